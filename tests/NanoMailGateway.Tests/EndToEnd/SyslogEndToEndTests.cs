// Remote syslog through `nmg run` (README, Remote syslog): the test starts Debian's rsyslogd
// on a loopback UDP port with a template that writes each message's facility, severity,
// host, app and MSGID, starts the gateway with syslog_server pointing at it, sends a
// message over SMTP, and finds the gateway's lines in rsyslog's file as RFC 5424 parsed
// them: facility mail, app nmg, the component as MSGID, the queue id in the text.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class SyslogEndToEndTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-syslog-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static int FreeUdpPort()
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)s.LocalEndPoint!).Port;
        }

        [SkippableFact]
        public void Every_line_reaches_rsyslog_as_mail_facility_from_app_nmg()
        {
            string rsyslogd = Peers.Require("rsyslogd");
            int port = FreeUdpPort();
            string received = Path.Combine(_dir, "received.log");
            string conf = Path.Combine(_dir, "rsyslog.conf");
            File.WriteAllText(conf,
                "global(workDirectory=\"" + _dir + "\")\n" +
                "module(load=\"imudp\")\n" +
                "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + port + "\")\n" +
                "template(name=\"fields\" type=\"string\" string=\"%syslogfacility-text%|%syslogseverity-text%|%hostname%|%app-name%|%msgid%|%msg%\\n\")\n" +
                "*.* action(type=\"omfile\" file=\"" + received + "\" template=\"fields\")\n");
            var psi = new ProcessStartInfo(rsyslogd) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in new[] { "-n", "-f", conf, "-i", Path.Combine(_dir, "rsyslogd.pid") }) psi.ArgumentList.Add(a);
            using var daemon = Process.Start(psi)!;
            try
            {
                string cfg = ByteExactTests.HoldingConfig(_dir, "syslog_server = 127.0.0.1:" + port + "\n");
                using var nmg = NmgProcess.Start(cfg, Path.Combine(_dir, "data"));
                string queueId;
                using (var smtp = new LineClient(nmg.Smtp))
                {
                    Assert.StartsWith("220 ", smtp.ReadLine());
                    smtp.Command("EHLO sensor.plant.example");
                    Assert.StartsWith("250", smtp.Command("MAIL FROM:<sensor@plant.example>"));
                    Assert.StartsWith("250", smtp.Command("RCPT TO:<postmaster@plant.example>"));
                    Assert.StartsWith("354", smtp.Command("DATA"));
                    string done = smtp.Command("Subject: to syslog\r\n\r\nboiler 3.1 bar\r\n.");
                    Assert.StartsWith("250 2.0.0", done);
                    queueId = done.Substring(done.LastIndexOf(' ') + 1);
                    smtp.Command("QUIT");
                }
                string[] lines = Array.Empty<string>();
                var deadline = DateTime.UtcNow.AddSeconds(15);
                while (DateTime.UtcNow < deadline)
                {
                    lines = File.Exists(received) ? File.ReadAllLines(received) : Array.Empty<string>();
                    if (lines.Any(l => l.Contains("|smtpd|") && l.Contains(queueId + ": from=<sensor@plant.example>")) && lines.Any(l => l.Contains("|local|"))) break;
                    Thread.Sleep(100);
                }
                string all = string.Join("\n", lines);
                Assert.True(lines.Any(l => l.StartsWith("mail|info|gw.example|nmg|smtpd|", StringComparison.Ordinal) && l.Contains(queueId + ": from=<sensor@plant.example>")), all);
                Assert.Contains(lines, l => l.StartsWith("mail|info|gw.example|nmg|local|", StringComparison.Ordinal) && l.Contains(queueId));
                Assert.DoesNotContain(lines, l => !l.StartsWith("mail|", StringComparison.Ordinal));
            }
            finally
            {
                if (!daemon.HasExited) daemon.Kill();
                daemon.WaitForExit();
            }
        }
    }
}
