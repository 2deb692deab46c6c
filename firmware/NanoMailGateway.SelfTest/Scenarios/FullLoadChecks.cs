// Scenario: the composed gateway (Core/Gateway/MailGateway) at full load on a board's
// profile, all in memory: the board's buffer pool, queue and resolver as MailGateway
// sizes them, its listener and delivery threads, the FlashSimulator as its flash, and a
// MemoryNetwork around it (MemoryListener, ScriptedDnsNetwork, ScriptedMx). One run:
// - every SMTP session slot is taken by a client that stopped in the middle of DATA,
//   and one client more is refused with 421 4.3.2 (README, SMTP listener: sessions from
//   the board), because no slot is free; then each client finishes and gets its 250
//   (RFC 5321 §4.1.1.4) and 221;
// - the delivery thread looks up example.net (MX mx.example.net) and hands every
//   message over whole to the scripted MX; one recipient is refused there with 550
//   5.1.1, which is permanent (RFC 5321 §4.2.1);
// - the RFC 3464 report for that recipient goes to the sender's local mailbox, and POP3
//   (RFC 1939) serves it with STAT octets = RETR octets;
// - Stop ends every thread and every session buffer is back in the pool.
// It runs once per board profile (BoardProfiles, mirroring boards/*.conf), within that
// board's heap: this is what the profile promises (README, Supported boards). A profile
// for a bigger board than the one running the self-test is reported as skipped, with the
// heap it needs: a C3 cannot show that a WROOM's gateway fits a WROOM.
// Left out on purpose: TLS (no server TLS on these boards), retries over time and
// expiry (DeliveryChecks), power cuts (QueueChecks, PipelineChecks).

using System.Threading;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.SelfTest
{
    /// <summary>The composed gateway at full load, per board profile: one instance per profile.</summary>
    public sealed class FullLoadChecks
    {
        private const string Sender = "sensor7@gw.example.org";
        private const string Refused = "nobody@example.net";
        private const string LastLine = "end of load report";
        private const int SmtpPort = 25;
        private const int Pop3Port = 110;
        // A pipe holds a command batch or a reply or two; writers wait for readers beyond
        // that. Small, because here the network's buffers are managed heap (on a board they
        // are lwIP's).
        private const int PipeCapacity = 64;
        // Delivery runs on its own thread; the interpreter under emulation is slow.
        private const int DeliveryWaitMs = 120000;
        private const int PollMs = 50;

        private const string MainCf =
            "hostname = gw.example.org\n" +
            "smtp_listen = 192.0.2.1:25\n" +
            "pop3_listen = 192.0.2.1:110\n" +
            "trusted_networks = 192.0.2.0/24\n" +
            "dns_servers = " + ScriptedDnsNetwork.ServerAddress + "\n" +
            "user.sensor7 = pump-secret\n";

        /// <summary>
        /// What the self-test's assemblies take of a board's heap before Main, bytes: 19.4 KB
        /// measured on nanoCLR (README, Supported boards), plus what the heap probe cannot
        /// see. A profile is this board's (or a smaller one's) when the heap free at start is
        /// at least its heap_bytes less this share.
        /// </summary>
        public const int LoadedShareBytes = 21 * 1024;

        private readonly string _profile;
        private readonly string _profileFile;

        private FullLoadChecks(string profile, string profileFile)
        {
            _profile = profile;
            _profileFile = profileFile;
        }

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            // The check runs straight from here (no wrapper method per profile): on nanoCLR
            // every frame of the main thread is heap while the gateway's threads are at their
            // deepest, and FitsThisBoard's parsed profile is garbage before the check starts.
            if (FitsThisBoard(r, BoardProfiles.Wroom32, "esp32-wroom-32"))
            {
                r.Run("gateway.full-load-esp32-wroom-32", new Check(new FullLoadChecks(BoardProfiles.Wroom32, "esp32-wroom-32.conf").FullLoad));
            }
            if (FitsThisBoard(r, BoardProfiles.C3, "esp32-c3"))
            {
                r.Run("gateway.full-load-esp32-c3", new Check(new FullLoadChecks(BoardProfiles.C3, "esp32-c3.conf").FullLoad));
            }
        }

        /// <summary>False, with a skip line, when the profile is for a board with more heap than this one.</summary>
        private static bool FitsThisBoard(SelfTestRunner r, string profile, string board)
        {
            GatewayConfig c = new GatewayConfig();
            if (ConfigParser.Parse(profile, board + ".conf", c, true) != null) return true;   // the check itself reports the error
            long need = (long)c.Board.HeapBytes - LoadedShareBytes;
            if (r.FreeHeapAtStart >= need) return true;
            r.Skip("gateway.full-load-" + board, "for a board with " + c.Board.HeapBytes.ToString() + " bytes of heap ("
                + need.ToString() + " free at start); this one had " + r.FreeHeapAtStart.ToString());
            return false;
        }

        private void FullLoad()
        {
            GatewayConfig c = new GatewayConfig();
            Expect.Null(ConfigParser.Parse(_profile, _profileFile, c, true), "profile error");
            Expect.Null(ConfigParser.Parse(MainCf, "main.cf", c, false), "main.cf error");
            Expect.Null(ConfigValidator.Validate(c), "validator error");
            ScriptedMx mx = new ScriptedMx(Refused, LastLine);
            MemoryNetwork net = new MemoryNetwork(mx);
            FlashSimulator flash = new FlashSimulator(c.Board.StorageCapacity, 41);
            QuietLog log = new QuietLog();
            MailGateway g = new MailGateway(c, new GatewayPlatform(net, flash, null, null, new StepClock(), new CountingRandom(), log));
            g.Start();
            HeapProbe.Compact();   // as the board app after start (BoardHealth.Compact)
            try
            {
                int slots = c.Board.SmtpSessions;
                AllSlotsBusy(g, net, slots);
                AwaitDelivery(g, mx, slots, log);
                ReadBounce(net);
            }
            finally
            {
                Expect.True(g.Stop(10000), "every session and thread ended at Stop");
            }
            Expect.Equal(0, g.Pool.InUse, "session buffers in use after Stop");
        }

        /// <summary>Fills every SMTP slot with a client stopped inside DATA, checks the next one is refused, then lets each finish.</summary>
        private static void AllSlotsBusy(MailGateway g, MemoryNetwork net, int slots)
        {
            object?[] clients = new object?[slots];   // LineClient; object[] slots start null on the device too
            for (int i = 0; i < slots; i++)
            {
                LineClient client = net.Dial(SmtpPort, "192.0.2." + (10 + i).ToString(), PipeCapacity);
                clients[i] = client;
                client.ReadUntil("220 ", "greeting " + i.ToString());
                client.Send("EHLO sensor" + i.ToString() + ".gw.example.org\r\n");
                client.ReadUntil("250 ", "EHLO " + i.ToString());
                // Pipelined (RFC 2920): MAIL, RCPT and DATA in one batch. Client 0 also
                // names the recipient the MX refuses, so that its message bounces.
                client.Send("MAIL FROM:<" + Sender + ">\r\nRCPT TO:<ops" + i.ToString() + "@example.net>\r\n"
                    + (i == 0 ? "RCPT TO:<" + Refused + ">\r\n" : "") + "DATA\r\n");
                client.ReadUntil("250 2.1.0", "MAIL " + i.ToString());
                client.ReadUntil("250 2.1.5", "RCPT " + i.ToString());
                if (i == 0) client.ReadUntil("250 2.1.5", "second RCPT");
                client.ReadUntil("354 ", "DATA " + i.ToString());
                client.Send("From: <" + Sender + ">\r\nSubject: load " + i.ToString() + "\r\n\r\nfirst half\r\n");
            }
            Expect.Equal(slots, g.SmtpAccepted, "SMTP sessions running at once");

            NoSlotLeft(g, net);

            for (int i = 0; i < slots; i++)
            {
                LineClient client = (LineClient)clients[i]!;
                client.Send(LastLine + "\r\n.\r\nQUIT\r\n");
                client.ReadUntil("250 2.0.0 Ok: queued as ", "end of data " + i.ToString());
                client.ReadUntil("221 ", "QUIT " + i.ToString());
                Expect.Null(client.ReadLine(), "connection after 221");
                clients[i] = null;
            }
        }

        /// <summary>
        /// Every slot is taken: the next client waits its grace time and is refused busy. A
        /// method of its own, so that its connection is garbage before delivery starts (the
        /// interpreter keeps a method's locals until it returns).
        /// </summary>
        private static void NoSlotLeft(MailGateway g, MemoryNetwork net)
        {
            LineClient extra = net.Dial(SmtpPort, "192.0.2.99", PipeCapacity);
            Expect.StartsWith("421 4.3.2", extra.ReadLine(), "a client beyond the slots");
            Expect.Null(extra.ReadLine(), "connection after 421");
            Expect.Equal(1, g.SmtpRefused, "refused busy");
        }

        /// <summary>Waits until the MX has every message and only the bounce is left queued, in its mailbox.</summary>
        private static void AwaitDelivery(MailGateway g, ScriptedMx mx, int messages, QuietLog log)
        {
            for (int waited = 0; !Delivered(g, mx, messages); waited += PollMs)
            {
                if (waited > DeliveryWaitMs)
                {
                    Expect.Fail("delivery did not finish: MX has " + mx.Messages.ToString() + " of " + messages.ToString()
                        + " messages, queue " + g.QueueCount.ToString() + "; last log line: " + log.Last);
                }
                Thread.Sleep(PollMs);
            }
            Expect.Equal(messages, mx.AcceptedRecipients, "recipients the MX accepted");
            Expect.Equal(1, mx.RefusedRecipients, "recipients the MX refused");
            Expect.Equal(messages, mx.MarkedLines, "messages that reached the MX whole (their last line)");
        }

        private static bool Delivered(MailGateway g, ScriptedMx mx, int messages)
        {
            if (mx.Messages < messages) return false;
            QueuedMessage[] left = g.Store.GetMessages();
            if (left.Length != 1) return false;
            QueuedMessage m = left[0];
            return m.Envelope.Sender.Length == 0 && m.RecipientCount == 1 && m.GetStatus(0).State == RecipientState.InMailbox;
        }

        /// <summary>Reads the bounce from the sender's mailbox over POP3 and checks it is the RFC 3464 report for the refused recipient.</summary>
        private static void ReadBounce(MemoryNetwork net)
        {
            LineClient pop = net.Dial(Pop3Port, "192.0.2.10", PipeCapacity);
            Expect.StartsWith("+OK", pop.ReadLine(), "POP3 greeting");
            pop.Send("USER sensor7\r\nPASS pump-secret\r\nSTAT\r\nRETR 1\r\nQUIT\r\n");
            Expect.StartsWith("+OK", pop.ReadLine(), "USER");
            Expect.StartsWith("+OK", pop.ReadLine(), "PASS");
            string? stat = pop.ReadLine();
            Expect.StartsWith("+OK 1 ", stat, "STAT: one message");
            Expect.StartsWith("+OK", pop.ReadLine(), "RETR");
            long octets = 0;
            bool report = false, status = false, recipient = false, autoReply = false;
            string? line;
            while ((line = pop.ReadLine()) != null && line != ".")
            {
                // Undo dot-stuffing (RFC 1939 §3) to count the message's own octets.
                octets += pop.LastLineOctets - (line.Length > 0 && line[0] == '.' ? 1 : 0);
                if (line.IndexOf("report-type=delivery-status") >= 0) report = true;
                if (line == "Status: 5.1.1") status = true;
                if (line.IndexOf("Final-Recipient:") == 0 && line.IndexOf(Refused) > 0) recipient = true;
                if (line == "Auto-Submitted: auto-replied") autoReply = true;
            }
            Expect.Equal(".", line, "RETR ends with its dot line");
            Expect.Equal("+OK 1 " + octets.ToString(), stat!, "STAT octets equal RETR octets");
            Expect.True(report, "an RFC 3464 multipart/report");
            Expect.True(status, "Status: 5.1.1 for the refused recipient");
            Expect.True(recipient, "Final-Recipient names " + Refused);
            Expect.True(autoReply, "Auto-Submitted: auto-replied (RFC 3834)");
            Expect.StartsWith("+OK", pop.ReadLine(), "QUIT");
            Expect.Null(pop.ReadLine(), "connection after QUIT");
        }
    }
}
