// The composed gateway in-process on real loopback sockets and the flash simulator:
// SMTP and POP3 listen on the bound ports, the RCPT check of local mailboxes answers
// 550 5.1.1 / 452 4.2.2 where it should, mail is queued durably and survives a restart,
// POP3 sessions beyond the board's slots get -ERR [SYS/TEMP], and Stop closes everything.

using System;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;
using CountingRandom = NanoMailGateway.SelfTest.CountingRandom;
using QuietLog = NanoMailGateway.SelfTest.QuietLog;

namespace NanoMailGateway.Tests.Core.Gateway
{
    public sealed class MailGatewayTests
    {
        private readonly FlashSimulator _flash = new FlashSimulator(192 * 1024, 7);
        private readonly QuietLog _log = new QuietLog(true);

        private static GatewayConfig Config(int quota = 64 * 1024)
        {
            var c = new GatewayConfig
            {
                Hostname = "gw.example",
                LocalDomains = new[] { "plant.example" },
                SmtpListen = new[] { new Endpoint("127.0.0.1", 0) },
                Pop3Listen = new[] { new Endpoint("127.0.0.1", 0) },
                DnsServers = new[] { new Endpoint("127.0.0.1", 9) },
            };
            c.Board.MailboxQuota = quota;
            c.Board.Pop3Sessions = 1;
            c.SetAccount("postmaster", "pm-secret");
            c.SetAccount("alerts", "al-secret");
            return c;
        }

        private MailGateway Start(GatewayConfig c)
        {
            var platform = new GatewayPlatform(new HostSocketNetwork(), _flash, null, null, new SystemClock(), new CountingRandom(3), _log);
            var g = new MailGateway(c, platform);
            g.Start();
            return g;
        }

        private static void Fill(MessageStore s, string mailbox, int size)
        {
            var env = new Envelope("");
            env.AddRecipient(new EnvelopeRecipient(mailbox + "@gw.example", true, DsnNotify.Never, null));
            var w = s.BeginLocalMessage(env)!;
            byte[] b = Encoding.ASCII.GetBytes("Subject: fill\r\n\r\n" + new string('x', size - 19) + "\r\n");
            w.Write(b, 0, b.Length);
            w.Commit();
            // The running gateway's delivery agent files it (local delivery, exactly at the
            // quota). Setting the status here instead would race the agent, which may
            // record its own outcome for the same recipient a moment later.
            DateTime deadline = DateTime.UtcNow.AddSeconds(10);
            while (s.Find(w.QueueId)!.GetStatus(0).State != RecipientState.InMailbox)
            {
                Assert.True(DateTime.UtcNow < deadline, "the delivery agent did not file the fill message into " + mailbox);
                System.Threading.Thread.Sleep(10);
            }
        }

        [Fact]
        public void RcptChecksLocalMailboxesAndQueuesAcceptedMail()
        {
            MailGateway g = Start(Config(quota: 1000));
            try
            {
                Assert.Single(g.SmtpEndpoints);
                Assert.Matches(@"^127\.0\.0\.1:[1-9]\d*$", g.SmtpEndpoints[0]);
                Fill(g.Store, "postmaster", 1000);
                using var c = new LineClient(g.SmtpEndpoints[0]);
                Assert.StartsWith("220 gw.example ESMTP", c.ReadReply());
                Assert.StartsWith("250 ", c.Command("EHLO sensor"));
                Assert.StartsWith("250 2.1.0", c.Command("MAIL FROM:<sensor@plant.example> SIZE=200"));
                Assert.StartsWith("550 5.1.1 ", c.Command("RCPT TO:<nobody@plant.example>"));
                Assert.StartsWith("550 5.1.1 ", c.Command("RCPT TO:<nobody@gw.example>"));
                Assert.StartsWith("452 4.2.2 ", c.Command("RCPT TO:<postmaster@plant.example>"));   // full
                Assert.StartsWith("452 4.2.2 ", c.Command("RCPT TO:<postmaster>"));                 // bare postmaster is the same mailbox
                Assert.StartsWith("250 2.1.5", c.Command("RCPT TO:<ALERTS@plant.example>"));
                Assert.StartsWith("250 2.1.5", c.Command("RCPT TO:<ops@remote.example>"));          // loopback is trusted: relay
                Assert.StartsWith("354 ", c.Command("DATA"));
                string reply = c.Command("Subject: t\r\n\r\nhello\r\n.");
                Match m = Regex.Match(reply, @"^250 2\.0\.0 Ok: queued as (\S+)$");
                Assert.True(m.Success, reply);
                // Declared size over what is left of the quota: 452 at RCPT; without SIZE the mailbox is not full yet.
                Assert.StartsWith("250 2.1.0", c.Command("MAIL FROM:<> SIZE=1001"));
                Assert.StartsWith("452 4.2.2 ", c.Command("RCPT TO:<alerts@plant.example>"));
                Assert.StartsWith("250 2.0.0", c.Command("RSET"));
                Assert.StartsWith("250 2.1.0", c.Command("MAIL FROM:<>"));
                Assert.StartsWith("250 2.1.5", c.Command("RCPT TO:<alerts@plant.example>"));
                Assert.StartsWith("221 ", c.Command("QUIT"));

                QueuedMessage q = g.Store.Find(m.Groups[1].Value)!;
                Assert.NotNull(q);
                Assert.Equal(2, q.RecipientCount);
                Assert.Equal(2, g.QueueCount);              // the fill message and this one
                Assert.True(_log.Contains("550 5.1.1 <nobody@plant.example>"));
                Assert.Same(g.Pool, g.Resolver!.Pool);      // lookups borrow session buffers: no DNS buffers of its own
            }
            finally
            {
                Assert.True(g.Stop(2000));
            }
            // A DNS lookup still running when Stop gave up on the delivery thread holds the
            // session buffer it borrowed until its own deadline (DnsOptions.TotalTimeoutMs).
            DateTime free = DateTime.UtcNow.AddSeconds(15);
            while (g.Pool.InUse != 0 && DateTime.UtcNow < free) System.Threading.Thread.Sleep(20);
            Assert.Equal(0, g.Pool.InUse);
        }

        [Fact]
        public void QueuedMailSurvivesRestartAndStopClosesThePorts()
        {
            MailGateway g = Start(Config());
            string id;
            string smtp = g.SmtpEndpoints[0];
            try
            {
                using var c = new LineClient(smtp);
                c.ReadReply();
                c.Command("HELO sensor");
                c.Command("MAIL FROM:<sensor@plant.example>");
                Assert.StartsWith("250", c.Command("RCPT TO:<alerts@plant.example>"));
                c.Command("DATA");
                id = Regex.Match(c.Command("Subject: keep\r\n\r\nbody\r\n."), @"queued as (\S+)").Groups[1].Value;
                Assert.NotEqual("", id);
            }
            finally
            {
                g.Stop(2000);
            }
            Assert.Throws<SocketException>(() => new LineClient(smtp).Dispose());
            Assert.True(_log.Contains("queue closed: 1 messages"));

            _flash.Reboot();
            MailGateway again = Start(Config());
            try
            {
                Assert.Equal(1, again.QueueCount);
                Assert.NotNull(again.Store.Find(id));
                Assert.True(_log.Contains("queue recovered in"));
            }
            finally
            {
                again.Stop(2000);
            }
        }

        [Fact]
        public void Pop3SessionsBeyondTheBoardSlotsAreRefusedTooManySessions()
        {
            MailGateway g = Start(Config());
            try
            {
                using var first = new LineClient(g.Pop3Endpoints[0]);
                Assert.StartsWith("+OK", first.ReadLine());
                Assert.StartsWith("+OK", first.Command("USER alerts"));
                Assert.StartsWith("+OK", first.Command("PASS al-secret"));
                using var second = new LineClient(g.Pop3Endpoints[0]);
                Assert.Equal("-ERR [SYS/TEMP] too many sessions", second.ReadLine());
                Assert.Null(second.ReadLine());
                Assert.Equal(1, g.Pop3Refused);
                Assert.StartsWith("+OK 0 0", first.Command("STAT"));
                Assert.StartsWith("+OK", first.Command("QUIT"));
            }
            finally
            {
                Assert.True(g.Stop(2000));
            }
        }

        [Fact]
        public void StopCutsSessionsThatDoNotEndWithinTheBound()
        {
            MailGateway g = Start(Config());
            using var idle = new LineClient(g.SmtpEndpoints[0]);
            Assert.StartsWith("220", idle.ReadReply());
            var sw = System.Diagnostics.Stopwatch.StartNew();
            g.Stop(300);
            Assert.True(sw.ElapsedMilliseconds < 5000, "stop took " + sw.ElapsedMilliseconds + " ms");
            Assert.Null(idle.ReadReply());
            Assert.Equal(0, g.Pool.InUse);
        }

        [Fact]
        public void OneAcceptThreadServesTheSmtpAndPop3EndpointsOnRealSockets()
        {
            // Two SMTP and one POP3 endpoint: one accept thread for all three (on the board a
            // thread is about 520 bytes of heap plus its waiting frames).
            GatewayConfig c = Config();
            c.SmtpListen = new[] { new Endpoint("127.0.0.1", 0), new Endpoint("127.0.0.1", 0) };
            MailGateway g = Start(c);
            try
            {
                Assert.Equal(1, g.AcceptThreads);
                // The first SMTP listener stays idle; the others answer promptly.
                var sw = System.Diagnostics.Stopwatch.StartNew();
                using (var pop = new LineClient(g.Pop3Endpoints[0]))
                {
                    Assert.StartsWith("+OK", pop.ReadLine());
                }
                Assert.True(sw.ElapsedMilliseconds < 2000, "POP3 greeting after " + sw.ElapsedMilliseconds + " ms");
                sw.Restart();
                using (var smtp = new LineClient(g.SmtpEndpoints[1]))
                {
                    Assert.StartsWith("220", smtp.ReadReply());
                    Assert.StartsWith("221", smtp.Command("QUIT"));
                }
                Assert.True(sw.ElapsedMilliseconds < 2000, "SMTP greeting after " + sw.ElapsedMilliseconds + " ms");
                using (var smtp = new LineClient(g.SmtpEndpoints[0]))
                {
                    Assert.StartsWith("220", smtp.ReadReply());
                }
                Assert.Equal(2, g.SmtpAccepted);
                Assert.Equal(1, g.Pop3Accepted);
                Assert.Equal(1, g.AcceptThreads);
            }
            finally
            {
                Assert.True(g.Stop(2000));
            }
            foreach (string ep in new[] { g.SmtpEndpoints[0], g.SmtpEndpoints[1], g.Pop3Endpoints[0] })
            {
                int port = int.Parse(ep.Substring(ep.LastIndexOf(':') + 1));
                using var probe = new TcpClient();
                Assert.ThrowsAny<SocketException>(() => probe.Connect("127.0.0.1", port));
            }
        }

        [Fact]
        public void QueueOptionsComeFromTheBoard()
        {
            var b = new BoardProfile { StorageCapacity = 256 * 1024, QueueMaxMessages = 40, SmtpSessions = 2 };
            QueueOptions o = MailGateway.QueueOptionsFrom(b);
            Assert.Equal(256 * 1024, o.CapacityBytes);
            Assert.Equal(40, o.MaxMessages);
            Assert.Equal(3, o.MaxWriters);
            Assert.Equal(1024, o.WriteUnit);                                       // buffer_size 1K: 1 KB write units
            Assert.Equal(MailGateway.WriteUnit, MailGateway.QueueOptionsFrom(new BoardProfile { BufferSize = 4096 }).WriteUnit);
            var c = Config();
            c.Board.DnsCacheEntries = 5;
            c.Board.DeliverySessions = 2;
            var d = MailGateway.DnsOptionsFrom(c);
            Assert.Equal(new[] { "127.0.0.1:9" }, d.Servers);
            Assert.Equal(5, d.CacheEntries);
            Assert.Equal(1024, d.PacketBufferSize);                                // a session buffer (buffer_size 1K) holds a packet
            c.Board.BufferSize = 512;
            Assert.Equal(512, MailGateway.DnsOptionsFrom(c).PacketBufferSize);     // what a TCP answer keeps is capped at a session buffer
        }
    }
}
