// IMAP in the composed gateway on real loopback sockets and the flash simulator: the
// time from the SMTP "250" of a local message to "* N EXISTS" on an idle IMAP session
// (the delivery agent files the message, the IDLE session sees the store's change), and
// POP3 and IMAP agreeing on the same mailbox (UIDL = UID in the queue-id alphabet).

using System;
using System.Diagnostics;
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
    public sealed class ImapGatewayTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _out;

        public ImapGatewayTests(Xunit.Abstractions.ITestOutputHelper output) { _out = output; }

        /// <summary>A gateway with SMTP, POP3 and IMAP on loopback, composed as the emulator and the board app do (EmulatorGateway, Program.cs).</summary>
        private static MailGateway NewGateway(QuietLog log)
        {
            var c = new GatewayConfig
            {
                Hostname = "gw.example",
                LocalDomains = new[] { "plant.example" },
                SmtpListen = new[] { new Endpoint("127.0.0.1", 0) },
                Pop3Listen = new[] { new Endpoint("127.0.0.1", 0) },
                ImapListen = new[] { new Endpoint("127.0.0.1", 0) },
                DnsServers = new[] { new Endpoint("127.0.0.1", 9) },
            };
            c.Board.ImapSessions = 1;
            c.SetAccount("alerts", "al-secret");
            var platform = new GatewayPlatform(new HostSocketNetwork(), new FlashSimulator(192 * 1024, 7), null, null, new SystemClock(), new CountingRandom(3), log);
            var g = new MailGateway(c, platform);
            g.AddMailboxService(new NanoMailGateway.Core.Imap.ImapServer(NanoMailGateway.Core.Imap.ImapServer.OptionsFrom(c),
                NanoMailGateway.Core.Smtp.SmtpServerSetup.AccountsFrom(c), g.Throttle, null, c.TrustedNetworks, new SystemClock(), log));
            return g;
        }

        [Fact]
        public void A_failed_POP3_login_doubles_the_delay_of_the_next_IMAP_one_from_that_address()
        {
            var log = new QuietLog(true);
            var g = NewGateway(log);
            g.Start();
            try
            {
                using (var pop = new LineClient(g.Pop3Endpoints[0]))
                {
                    Assert.StartsWith("+OK", pop.ReadLine());
                    pop.Command("USER alerts");
                    Assert.StartsWith("-ERR [AUTH]", pop.Command("PASS guess"));
                }
                using var imap = new LineClient(g.ImapEndpoints[0]);
                Assert.StartsWith("* OK", imap.ReadLine());
                var sw = Stopwatch.StartNew();
                Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", imap.Command("a1 LOGIN alerts guess2"));
                // The second failure of the address (README, Password guessing): 2 s, not the 1 s
                // of a first one, as each protocol counted alone before.
                Assert.InRange(sw.ElapsedMilliseconds, 1900, 3900);
                Assert.True(log.Contains("delay 2000 ms"));
            }
            finally
            {
                Assert.True(g.Stop(10000));
            }
        }

        [Fact]
        public void A_local_message_reaches_an_idle_imap_session_within_a_second_of_250()
        {
            var log = new QuietLog(true);
            var g = NewGateway(log);
            g.Start();
            try
            {
                Assert.Single(g.ImapEndpoints);
                Assert.True(log.Contains("imap 1 x 2"));
                using var imap = new LineClient(g.ImapEndpoints[0]);
                Assert.StartsWith("* OK [CAPABILITY IMAP4rev2", imap.ReadLine());
                Assert.StartsWith("a1 OK", imap.Command("a1 LOGIN alerts al-secret"));
                imap.Send("a2 SELECT INBOX\r\n");
                string? line;
                while ((line = imap.ReadLine()) != null && !line.StartsWith("a2 ", StringComparison.Ordinal)) { }
                Assert.Equal("a2 OK [READ-WRITE] SELECT completed", line);
                Assert.Equal("+ idling", imap.Command("a3 IDLE"));

                var times = new long[3];
                for (int i = 0; i < times.Length; i++)
                {
                    using var smtp = new LineClient(g.SmtpEndpoints[0]);
                    smtp.ReadReply();
                    smtp.Command("EHLO sensor");
                    smtp.Command("MAIL FROM:<sensor@plant.example>");
                    Assert.StartsWith("250", smtp.Command("RCPT TO:<alerts@plant.example>"));
                    smtp.Command("DATA");
                    var sw = Stopwatch.StartNew();
                    Assert.StartsWith("250 2.0.0", smtp.Command("Subject: alarm " + i + "\r\n\r\nfire\r\n."));
                    sw.Restart();
                    Assert.Equal("* " + (i + 1) + " EXISTS", imap.ReadLine());
                    times[i] = sw.ElapsedMilliseconds;
                    smtp.Command("QUIT");
                }
                _out.WriteLine("250 to EXISTS: " + string.Join(", ", times) + " ms");
                foreach (long t in times) Assert.True(t < 1000, "EXISTS " + t + " ms after 250");
                Assert.Equal("a3 OK IDLE terminated", imap.Command("DONE"));

                // POP3 sees the same three messages with the UIDs IMAP gives them.
                imap.Send("a4 UID SEARCH ALL\r\n");
                string search = imap.ReadLine()!;
                Assert.Equal("a4 OK completed", imap.ReadLine());
                using var pop = new LineClient(g.Pop3Endpoints[0]);
                pop.ReadLine();
                pop.Command("USER alerts");
                Assert.StartsWith("+OK", pop.Command("PASS al-secret"));
                pop.Send("UIDL\r\n");
                Assert.StartsWith("+OK", pop.ReadLine());
                string expected = "* SEARCH";
                string? u;
                while ((u = pop.ReadLine()) != null && u != ".") expected += " " + QueueId.Parse(u.Split(' ')[1]);
                Assert.Equal(expected, search);
                pop.Command("QUIT");
            }
            finally
            {
                Assert.True(g.Stop(2000));
            }
        }
    }
}
