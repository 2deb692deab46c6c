// The whole chain of the design card through `nmg run` as a child process:
//   sensor --SMTP--> nmg (listener -> queue -> DNS MX from dnsmasq -> SMTP) --> smtp-sink
// One recipient's MX (ok.test) takes the message; another's (fail.test) rejects RCPT
// with 5xx, so delivery writes an RFC 3464 report into the local sender's mailbox, which
// the test then reads over POP3. Afterwards the queue holds only that report. It runs with
// the board's 2 KB pool buffers and again with buffer_size = 512, the smallest allowed:
// the content has 1000-octet lines (RFC 5321 §4.5.3.1.6), streamed, never held whole.

using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Tests.Core.Delivery;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class FullChainEndToEndTests : IClassFixture<DeliveryZone>, IDisposable
    {
        private readonly DeliveryZone _zone;
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-chain-").FullName;

        public FullChainEndToEndTests(DeliveryZone zone) { _zone = zone; }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        [SkippableTheory]
        [InlineData("")]
        [InlineData("buffer_size = 512\n")]
        public void SensorMailReachesTheMxAndA5xxBouncesIntoTheSendersMailbox(string buffers)
        {
            string dns = _zone.Dns();
            using var ok = new SmtpSinkPeer("127.0.0.3", _zone.SmtpPort);
            using var fail = new SmtpSinkPeer("127.0.0.4", _zone.SmtpPort, "-f", "RCPT");
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" +
                "dns_servers = " + dns + "\nsmtp_port = " + _zone.SmtpPort + "\n" +
                "user.postmaster = pm\nuser.alerts = al-secret\n" + buffers);
            string data = Path.Combine(_dir, "data");
            using var nmg = NmgProcess.Start(cfg, data, "esp32-s3");
            Assert.Contains("session pool 64 x " + (buffers.Length == 0 ? "2048" : "512") + " bytes", nmg.Output);

            string content = "From: alerts@plant.example\r\nTo: ops@ok.test, ops@fail.test\r\nSubject: chain\r\n"
                + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <chain-1@plant.example>\r\n\r\n"
                + ".dot line\r\nboiler 3.1 bar\r\n" + new string('t', 998) + "\r\n." + new string('u', 997) + "\r\n";
            using (var c = new LineClient(nmg.Smtp))
            {
                Assert.StartsWith("220", c.ReadReply());
                Assert.StartsWith("250", c.Command("EHLO sensor"));
                Assert.StartsWith("250", c.Command("MAIL FROM:<alerts@plant.example>"));
                Assert.StartsWith("250", c.Command("RCPT TO:<ops@ok.test>"));
                Assert.StartsWith("250", c.Command("RCPT TO:<ops@fail.test>"));
                Assert.StartsWith("354", c.Command("DATA"));
                Assert.Matches(@"^250 2\.0\.0 Ok: queued as \S+$", c.Command(content.Replace("\r\n.", "\r\n..") + "."));
                Assert.StartsWith("221", c.Command("QUIT"));
            }

            // At the MX: our Received: line on top, then the content unchanged (smtp-sink writes LF).
            byte[] got = Assert.Single(ok.Messages(1, 10000));
            string text = Encoding.Latin1.GetString(got);
            Assert.StartsWith("Received: from sensor ([127.0.0.1])", text);
            Assert.EndsWith(content.Replace("\r\n", "\n"), text);

            // The 5xx for ops@fail.test comes back as a report in alerts' mailbox, over POP3.
            var sw = System.Diagnostics.Stopwatch.StartNew();
            string? report = null;
            while (report == null)
            {
                using var p = new MailKit.Net.Pop3.Pop3Client { Timeout = 10_000 };
                int colon = nmg.Pop3.LastIndexOf(':');
                p.Connect("127.0.0.1", int.Parse(nmg.Pop3.Substring(colon + 1)), MailKit.Security.SecureSocketOptions.None);
                p.Authenticate("alerts", "al-secret");
                if (p.Count > 0)
                {
                    MimeMessage m = p.GetMessage(0);
                    var r = Assert.IsType<MultipartReport>(m.Body);
                    Assert.Equal("delivery-status", r.ReportType);
                    var status = r.OfType<MessageDeliveryStatus>().Single().StatusGroups;
                    Assert.Equal("rfc822; ops@fail.test", status[1]["Final-Recipient"]);
                    Assert.Equal("failed", status[1]["Action"]);
                    report = m.ToString();
                }
                p.Disconnect(true);
                if (report == null)
                {
                    Assert.True(sw.ElapsedMilliseconds < 10000, "no report in the mailbox after 10 s:\n" + nmg.Output);
                    System.Threading.Thread.Sleep(100);
                }
            }
            Assert.Contains("status=sent", nmg.Output);
            Assert.Contains("status=bounced", nmg.Output);
            nmg.StopClean();

            // The queue keeps the report (in the mailbox) and nothing else.
            var o = new StringWriter();
            Assert.Equal(0, MailqCommand.Run(new[] { "--data", data }, o, new StringWriter()));
            Assert.Single(Regex.Matches(o.ToString(), @"^\S+\s+\d+ [A-Z][a-z]{2} [A-Z][a-z]{2} ", RegexOptions.Multiline));
        }
    }
}
