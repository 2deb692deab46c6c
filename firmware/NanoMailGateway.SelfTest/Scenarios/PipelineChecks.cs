// Scenario: the gateway's path end to end on the real flash queue (ARCHITECTURE.md, Message path),
// all in memory: SMTP listener -> MessageStore on the FlashSimulator -> power cut ->
// recovery -> SMTP client to a scripted MX -> removal; and a refused recipient ->
// RFC 3464 bounce queued as local mail -> mailbox -> POP3 RETR.
// - "250 after DATA" means durable: the power is cut right after the 250, without an
//   orderly close, and the message is there after recovery (RFC 5321 §6.1);
// - the client sends the queued octets dot-stuffed, and the delivered message leaves
//   the queue for good;
// - the bounce reaches the mailbox and POP3 serves it with LIST size = RETR octets.
// Left out on purpose: DNS (the MX is given), retries over time (DeliveryChecks), and
// the delivery runner's scheduling (it drives these same calls).

using System;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.SelfTest
{
    /// <summary>End-to-end checks on the flash queue.</summary>
    public static class PipelineChecks
    {
        private const int Capacity = 40 * 1024;
        // The message as the sensor sends it (dot-stuffed, RFC 5321 §4.5.2), and the end of
        // it as queued (the listener adds Received:, Date: and Message-ID: to the header).
        private const string BodyText = "\r\n\r\n.5 bar below limit\r\nsent by sensor 7\r\n";
        private const string BodyOnTheWire = "Subject: pump 3 pressure low\r\n\r\n..5 bar below limit\r\nsent by sensor 7\r\n";
        private const string PeerHello = "220 mx.example.net ESMTP\r\n250-mx.example.net\r\n250 PIPELINING\r\n";

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("pipeline.smtp-250-survives-power-cut", new Check(SmtpSurvivesPowerCut));
            r.Run("pipeline.queue-to-mx-then-removed", new Check(QueueToMxThenRemoved));
            r.Run("pipeline.bounce-to-mailbox-via-pop3", new Check(BounceToMailboxViaPop3));
        }

        private static QueueOptions Options()
        {
            return new QueueOptions(Capacity, 4096, 256, 20 * 1024, 8, 1);
        }

        /// <summary>Accepts one message over SMTP into <paramref name="store"/>; returns its queue id from the 250 reply.</summary>
        private static string AcceptViaSmtp(MessageStore store, string recipient)
        {
            SmtpServerOptions o = new SmtpServerOptions();
            o.HostName = "gw.example.org";
            string[] local = { "gw.example.org" };
            o.LocalDomains = local;
            o.MessageSizeLimit = 4000;
            BufferPool pool = new BufferPool("smtp", SmtpServer.MinBufferSize, SmtpServer.BuffersPerSession);
            SmtpServer server = new SmtpServer(o, store, pool, null, new OneAddressTrusted(ScriptedSession.ClientAddress), new AccountDirectory(), new AuthThrottle(new StepClock()), new StepClock(), new QuietLog());
            Transcript t = ScriptedSession.Run(new Acceptor(server).Serve,
                "EHLO sensor7.example.org\r\nMAIL FROM:<sensor7@gw.example.org>\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n" + BodyOnTheWire + ".\r\nQUIT\r\n", 1024);
            int ok = t.Find("250 2.0.0 Ok: queued as ", 0);
            Expect.True(ok > 0, "message accepted: " + t.Line(t.Count - 2));
            return t.Line(ok).Substring("250 2.0.0 Ok: queued as ".Length);
        }

        /// <summary>Adapts SmtpServer.CreateSession to ServeConnection.</summary>
        private sealed class Acceptor
        {
            private readonly SmtpServer _server;

            public Acceptor(SmtpServer server)
            {
                _server = server;
            }

            public void Serve(IConnection c)
            {
                SmtpServerSession? s = _server.CreateSession(c, 1);
                if (s == null) Expect.Fail("no SMTP session buffers");
                s!.Run();
            }
        }

        private static SmtpClientSession Client(ScriptedPeer peer)
        {
            SmtpClientOptions o = new SmtpClientOptions();
            o.HeloName = "gw.example.org";
            o.TlsMode = SmtpTlsMode.None;
            return new SmtpClientSession(peer.Client, null, "mx.example.net", o, new byte[600], new byte[1024], new StepClock(), new QuietLog(), 1);
        }

        private static EnvelopeRecipient[] RecipientsOf(QueuedMessage m)
        {
            EnvelopeRecipient[] r = new EnvelopeRecipient[m.Envelope.RecipientCount];
            for (int i = 0; i < r.Length; i++) r[i] = m.Envelope.GetRecipient(i);
            return r;
        }

        private static void SmtpSurvivesPowerCut()
        {
            FlashSimulator flash = new FlashSimulator(Capacity, 21);
            StepClock clock = new StepClock();
            MessageStore store = MessageStore.Open(flash, Options(), clock);
            string id = AcceptViaSmtp(store, "ops@example.net");
            flash.CutPowerNow(); // no Close: the 250 alone must mean durable
            flash.Reboot();
            MessageStore again = MessageStore.Open(flash, Options(), clock);
            QueuedMessage? m = again.Find(id);
            Expect.NotNull(m, "message " + id + " after the power cut");
            Expect.Equal("sensor7@gw.example.org", m!.Envelope.Sender, "sender");
            Expect.Equal("ops@example.net", m.Envelope.GetRecipient(0).Address, "recipient");
            string text = ReadAll(again, m);
            Expect.Contains("\r\nSubject: pump 3 pressure low\r\n", text, "header after the power cut");
            Expect.True(text.Length > BodyText.Length && text.Substring(text.Length - BodyText.Length) == BodyText, "body after the power cut");
            Expect.StartsWith("Received: ", text, "trace header first (RFC 5321 §4.4)");
            again.Close();
        }

        private static void QueueToMxThenRemoved()
        {
            FlashSimulator flash = new FlashSimulator(Capacity, 22);
            StepClock clock = new StepClock();
            MessageStore store = MessageStore.Open(flash, Options(), clock);
            string id = AcceptViaSmtp(store, "ops@example.net");
            QueuedMessage m = store.Find(id)!;
            long size = m.Size;

            ScriptedPeer peer = new ScriptedPeer(PeerHello + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n250 2.0.0 Ok: queued as MX1\r\n221 2.0.0 Bye\r\n", 1024);
            SmtpClientSession client = Client(peer);
            Expect.True(client.Open(), "open");
            DeliveryResult r = client.Deliver(m.Envelope, RecipientsOf(m), store.OpenReader(m));
            client.Quit();
            Expect.True(r.Statuses[0].Outcome == DeliveryOutcome.Sent, "sent, got " + r.Statuses[0].Describe());
            Transcript sent = peer.Sent();
            Expect.Equal("RCPT TO:<ops@example.net>", sent.Line(2), "RCPT");
            int data = sent.FindExact("DATA", 0);
            Expect.True(data > 0, "DATA sent");
            Expect.True(sent.FindExact("..5 bar below limit", data) > data, "queued octets sent dot-stuffed");
            Expect.True(sent.FindExact("sent by sensor 7", data) > data, "last body line sent");
            Expect.Equal(".", sent.Line(sent.Count - 2), "end of data");
            Expect.True(sent.Line(1).IndexOf("SIZE=") < 0 || sent.Line(1).IndexOf("SIZE=" + size.ToString()) > 0, "SIZE= is the queued size");

            store.MarkDelivered(m, 0, r.Statuses[0].EnhancedCode, r.Statuses[0].Text);
            Expect.True(m.AllFinal, "every recipient final");
            Expect.True(store.Remove(m), "removed");
            store.Close();
            flash.Reboot();
            MessageStore again = MessageStore.Open(flash, Options(), clock);
            Expect.Null(again.Find(id), "a delivered and removed message came back after reboot");
            Expect.Equal(0, again.Count, "messages after reboot");
            again.Close();
        }

        private static void BounceToMailboxViaPop3()
        {
            FlashSimulator flash = new FlashSimulator(Capacity, 23);
            StepClock clock = new StepClock();
            MessageStore store = MessageStore.Open(flash, Options(), clock);
            string id = AcceptViaSmtp(store, "nobody@example.net");
            // Each step in its own method: the interpreter keeps a method's locals alive
            // until it returns, so the SMTP client's buffers are garbage before POP3 runs.
            Bounce(store, clock, id);
            ReadBounceViaPop3(store, clock);
            store.Close();
        }

        /// <summary>Delivers message <paramref name="id"/> to a scripted MX that refuses its recipient, and files the bounce in the sender's mailbox.</summary>
        private static void Bounce(MessageStore store, StepClock clock, string id)
        {
            QueuedMessage m = store.Find(id)!;
            ScriptedPeer peer = new ScriptedPeer(PeerHello + "250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.net>: User unknown\r\n221 2.0.0 Bye\r\n", 1024);
            SmtpClientSession client = Client(peer);
            Expect.True(client.Open(), "open");
            DeliveryResult r = client.Deliver(m.Envelope, RecipientsOf(m), store.OpenReader(m));
            client.Quit();
            DeliveryStatus st = r.Statuses[0];
            Expect.True(st.Outcome == DeliveryOutcome.Permanent, "550 is permanent, got " + st.Describe());
            store.MarkFailed(m, 0, st.EnhancedCode, st.Text);
            Expect.True(DsnPolicy.ShouldNotify(m.Envelope.Sender, m.Envelope.GetRecipient(0).Notify, DsnAction.Failed, false), "the sender is told");

            // The bounce: from <>, to the sender's local mailbox "sensor7".
            Envelope bounceEnvelope = new Envelope("");
            bounceEnvelope.AddRecipient(new EnvelopeRecipient(m.Envelope.Sender, true, DsnNotify.Never, null));
            IMessageWriter? w = store.BeginLocalMessage(bounceEnvelope);
            Expect.NotNull(w, "room for the bounce");
            DsnComposerOptions dsn = new DsnComposerOptions();
            dsn.HostName = "gw.example.org";
            DsnRecipient[] report = new DsnRecipient[] { new DsnRecipient(m.Envelope.GetRecipient(0), DsnAction.Failed, st, "mx.example.net", clock.UtcNow, clock.UtcNow) };
            Expect.True(new DsnComposer(dsn, clock, new CountingRandom()).Compose(w!, m.Envelope, report, store.OpenReader(m)), "compose");
            w!.Commit();
            Expect.True(store.Remove(m), "the failed original leaves the queue");
            QueuedMessage bounce = store.Find(w.QueueId)!;
            store.SetStatus(bounce, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "sensor7", 0));
        }

        /// <summary>Reads the one message of mailbox sensor7 over POP3 and checks it is the RFC 3464 report with LIST size = RETR octets.</summary>
        private static void ReadBounceViaPop3(MessageStore store, StepClock clock)
        {
            // Read it with POP3 through the queue's mailboxes.
            AccountDirectory accounts = new AccountDirectory();
            accounts.Add("sensor7", "pump-secret");
            Pop3ServerOptions po = new Pop3ServerOptions();
            po.SendTimeoutMs = 2000; // a reply that outgrows the pipe fails fast instead of hanging
            Pop3Server pop3 = new Pop3Server(po, new MailboxStore(store), accounts, new AuthThrottle(clock, 1, 2, 2, 60000), null, new BufferPool("pop3", Pop3Server.MinBufferSize, 2), clock, new QuietLog());
            Transcript t = ScriptedSession.Run(pop3.Serve, "USER sensor7\r\nPASS pump-secret\r\nLIST\r\nRETR 1\r\nQUIT\r\n", 3072);
            Expect.StartsWith("+OK", t.Line(2), "login");
            Expect.StartsWith("+OK", t.Line(3), "LIST");
            string listed = t.Line(4);
            Expect.Equal(".", t.Line(5), "one message in the mailbox");
            Expect.StartsWith("+OK", t.Line(6), "RETR");
            long octets = 0;
            int i = 7;
            bool report3464 = false;
            for (; i < t.Count && t.Line(i) != "."; i++)
            {
                string l = t.Line(i);
                if (l.Length > 0 && l[0] == '.') l = l.Substring(1);
                octets += l.Length + 2;
                if (l.IndexOf("report-type=delivery-status") >= 0) report3464 = true;
            }
            Expect.True(i < t.Count, "RETR ended with its dot line");
            Expect.Equal("1 " + octets.ToString(), listed, "LIST size equals RETR octets");
            Expect.True(report3464, "the mailbox holds the RFC 3464 report");
            Expect.StartsWith("+OK", t.Line(i + 1), "QUIT");
            Expect.True(t.Octets < 2600, "bounce transcript of " + t.Octets.ToString() + " octets grew towards its 3 KB pipe");
        }

        private static string ReadAll(MessageStore store, QueuedMessage m)
        {
            MessageReader reader = store.OpenReader(m);
            byte[] buf = new byte[(int)m.Size];
            int n = 0;
            while (n < buf.Length)
            {
                int k = reader.Read(n, buf, n, buf.Length - n);
                if (k <= 0) break;
                n += k;
            }
            return NanoMailGateway.Core.Text.Ascii.GetString(buf, 0, n);
        }
    }
}
