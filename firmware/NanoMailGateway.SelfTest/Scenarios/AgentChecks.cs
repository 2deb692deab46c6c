// Scenario: the queue runner (Core.Delivery, DeliveryAgent) in one synchronous pass
// (RunOnce), on the real MessageStore over the FlashSimulator, with MX lookups answered
// by ScriptedDnsNetwork and the MX's SMTP side a ScriptedPeer:
// - a local recipient lands in its mailbox and the POP3 view shows it;
// - a remote recipient is looked up (MX example.net), sent, and the message leaves the queue;
// - a 550 from the MX bounces: the RFC 3464 report reaches the local sender's mailbox in
//   the same pass and the failed original leaves the queue;
// - a 451 defers the recipient no sooner than retry_min and keeps the message.
// Left out on purpose: the worker threads (Start/Stop), expiry and delay notices over
// real time (DeliveryChecks covers the schedule), TLS and smarthost AUTH.

using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Delivery agent checks.</summary>
    public static class AgentChecks
    {
        private const int Capacity = 40 * 1024;
        private const string Message = "From: sensor7@gw.example.org\r\nSubject: tank 2 level\r\n\r\nlevel 12 %\r\n";
        private const string PeerHello = "220 mx.example.net ESMTP\r\n250-mx.example.net\r\n250 PIPELINING\r\n";

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("agent.local-to-mailbox", new Check(LocalToMailbox));
            r.Run("agent.remote-sent-and-removed", new Check(RemoteSentAndRemoved));
            r.Run("agent.remote-550-bounce-to-sender-mailbox", new Check(Remote550Bounce));
            r.Run("agent.remote-451-deferred", new Check(Remote451Deferred));
        }

        private sealed class Rig
        {
            public readonly GatewayConfig Config = new GatewayConfig();
            public readonly FlashSimulator Flash = new FlashSimulator(Capacity, 31);
            public readonly StepClock Clock = new StepClock();
            public readonly ScriptedDnsNetwork Network = new ScriptedDnsNetwork();
            public readonly MessageStore Store;
            public readonly MailboxStore Mailboxes;
            public readonly LocalRecipientMap Local;
            public readonly DeliveryAgent Agent;
            public readonly DeliveryAgentOptions Options;

            public Rig()
            {
                Config.Hostname = "gw.example.org";
                Config.SetAccount("sensor7", "pump-secret");
                Config.SetAccount("postmaster", "pm-secret");
                Store = MessageStore.Open(Flash, new QueueOptions(Capacity, 4096, 256, 20 * 1024, 8, 1), Clock);
                Mailboxes = new MailboxStore(Store);
                Local = new LocalRecipientMap(Config);
                Options = DeliveryAgentOptions.From(Config);
                Options.Retry.JitterPercent = 0;
                DnsOptions dns = new DnsOptions();
                string[] servers = { ScriptedDnsNetwork.ServerAddress };
                dns.Servers = servers;
                dns.Attempts = 1;
                dns.PacketBuffers = 1;
                dns.PacketBufferSize = 512;
                dns.CacheEntries = 2;
                MxResolver resolver = new MxResolver(Network, Clock, new CountingRandom(), dns, new QuietLog());
                BufferPool pool = new BufferPool("delivery", 1024, 3);
                Agent = new DeliveryAgent(Store, Mailboxes, Local, Options, Network, null, resolver, pool, Clock, new CountingRandom(), new QuietLog());
            }

            public QueuedMessage Put(string sender, string recipient)
            {
                Envelope e = new Envelope(sender);
                e.AddRecipient(new EnvelopeRecipient(recipient, Local.IsLocal(recipient), DsnNotify.Unspecified, null));
                IMessageWriter? w = Store.BeginMessage(e);
                if (w == null) Expect.Fail("queue refused the message");
                byte[] data = NanoMailGateway.Core.Text.Ascii.GetBytes(Message);
                if (!w!.Write(data, 0, data.Length)) Expect.Fail("queue ran out of room");
                w.Commit();
                return Store.Find(w.QueueId)!;
            }

            /// <summary>Messages in <paramref name="mailbox"/>, through the POP3 view.</summary>
            public int MailboxCount(string mailbox)
            {
                IMaildrop drop = Mailboxes.Open(mailbox)!;
                try
                {
                    return drop.Count;
                }
                finally
                {
                    drop.Close();
                }
            }

            /// <summary>Fails unless message <paramref name="index"/> of <paramref name="mailbox"/> has the line <paramref name="line"/> right after the blank line that ends the header.</summary>
            public void ExpectBody(string mailbox, int index, string line, string what)
            {
                IMaildrop drop = Mailboxes.Open(mailbox)!;
                try
                {
                    MaildropLines lines = new MaildropLines(drop, index);
                    string? previous = null;
                    for (string? l = lines.ReadLine(); l != null; l = lines.ReadLine())
                    {
                        if (l == line && previous != null && previous.Length == 0) return;
                        previous = l;
                    }
                    Expect.Fail(what + ": no line '" + line + "' after a blank line");
                }
                finally
                {
                    drop.Close();
                }
            }

            /// <summary>
            /// Fails unless message <paramref name="index"/> of <paramref name="mailbox"/> has a
            /// line containing each of <paramref name="parts"/>. Read line by line: a report
            /// copied whole into an array and a string would cost twice its size on the board.
            /// </summary>
            public void ExpectLines(string mailbox, int index, string what, params string[] parts)
            {
                IMaildrop drop = Mailboxes.Open(mailbox)!;
                try
                {
                    bool[] found = new bool[parts.Length];
                    MaildropLines lines = new MaildropLines(drop, index);
                    for (string? line = lines.ReadLine(); line != null; line = lines.ReadLine())
                    {
                        for (int i = 0; i < parts.Length; i++) if (line.IndexOf(parts[i]) >= 0) found[i] = true;
                    }
                    for (int i = 0; i < parts.Length; i++) Expect.True(found[i], what + ": no line with '" + parts[i] + "'");
                }
                finally
                {
                    drop.Close();
                }
            }
        }

        private static void LocalToMailbox()
        {
            Rig rig = new Rig();
            QueuedMessage m = rig.Put("alarm@example.net", "Sensor7@GW.example.org");
            Expect.Equal(1, rig.Agent.RunOnce(), "attempts");
            Expect.True(m.GetStatus(0).State == RecipientState.InMailbox, "recipient in its mailbox, state " + ((int)m.GetStatus(0).State).ToString());
            Expect.Equal("sensor7", m.GetStatus(0).Mailbox, "mailbox named by the account");
            Expect.Equal(1, rig.MailboxCount("sensor7"), "messages in the mailbox");
            rig.ExpectBody("sensor7", 0, "level 12 %", "the message as queued");
            Expect.Equal(0, rig.Network.SmtpConnects, "no SMTP connection for local mail");
            Expect.Equal(0, rig.Agent.RunOnce(), "nothing due after delivery");
        }

        private static void RemoteSentAndRemoved()
        {
            Rig rig = new Rig();
            QueuedMessage m = rig.Put("sensor7@gw.example.org", "ops@example.net");
            ScriptedPeer peer = new ScriptedPeer(PeerHello + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n250 2.0.0 Ok: queued as MX7\r\n221 2.0.0 Bye\r\n", 1024);
            rig.Network.SmtpPeer = peer;
            Expect.Equal(1, rig.Agent.RunOnce(), "attempts");
            Expect.Equal(1, rig.Network.SmtpConnects, "one SMTP connection to the MX");
            Expect.Equal(0, rig.Store.Count, "a sent message leaves the queue");
            Transcript t = peer.Sent();
            Expect.True(t.FindExact("RCPT TO:<ops@example.net>", 0) > 0, "RCPT to the recipient");
            Expect.True(t.FindExact("level 12 %", 0) > 0, "body sent");
            Expect.True(t.FindExact("QUIT", 0) > 0, "QUIT");
        }

        private static void Remote550Bounce()
        {
            Rig rig = new Rig();
            rig.Put("sensor7@gw.example.org", "nobody@example.net");
            rig.Network.SmtpPeer = new ScriptedPeer(PeerHello + "250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.net>: User unknown\r\n221 2.0.0 Bye\r\n", 1024);
            rig.Agent.RunOnce();
            Expect.Equal(1, rig.MailboxCount("sensor7"), "reports in the sender's mailbox");
            // An RFC 3464 report on the failed recipient, marked Auto-Submitted (RFC 3834).
            rig.ExpectLines("sensor7", 0, "the report", "report-type=delivery-status", "Status: 5.1.1", "nobody@example.net", "Auto-Submitted: auto-replied");
            QueuedMessage[] left = rig.Store.GetMessages();
            for (int i = 0; i < left.Length; i++)
            {
                Expect.True(left[i].Envelope.Sender.Length == 0, "only the report (from <>) stays queued, found one from " + left[i].Envelope.Sender);
            }
        }

        private static void Remote451Deferred()
        {
            Rig rig = new Rig();
            QueuedMessage m = rig.Put("sensor7@gw.example.org", "ops@example.net");
            rig.Network.SmtpPeer = new ScriptedPeer(PeerHello + "250 2.1.0 Ok\r\n451 4.3.0 try later\r\n221 2.0.0 Bye\r\n", 1024);
            rig.Agent.RunOnce();
            RecipientStatus s = m.GetStatus(0);
            Expect.True(s.State == RecipientState.Deferred, "deferred, state " + ((int)s.State).ToString());
            Expect.Equal(1, s.Attempts, "attempts recorded");
            Expect.Equal("4.3.0", s.Code, "the MX's code kept for the next report");
            long waitMs = (s.NextAttemptUtc.Ticks - rig.Clock.UtcNow.Ticks) / System.TimeSpan.TicksPerMillisecond;
            Expect.True(waitMs >= rig.Options.Retry.RetryMinMs, "next attempt no sooner than retry_min (RFC 5321 §4.5.4.1), in " + waitMs.ToString() + " ms");
            Expect.Equal(1, rig.Store.Count, "the message stays queued");
            Expect.Equal(0, rig.Agent.RunOnce(), "nothing due before the retry time");
            Expect.Equal(0, rig.MailboxCount("sensor7"), "no report for a temporary failure (delay_warning not reached)");
        }
    }
}
