// The unexpected-stop notice through `nmg run` (README, Notices): SIGKILL, then a start on
// the same data directory sends exactly one notice to the notify_to mailbox (read over
// POP3); a clean stop (SIGTERM) then a start sends none.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using MailKit.Net.Pop3;
using MailKit.Security;
using NanoMailGateway.Core.Health;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class NoticeEndToEndTests : IDisposable
    {
        private const string Subject = "Gateway gw.example started after an unexpected stop";
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-notice-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private string Config()
        {
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nsmtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" +
                "dns_servers = 127.0.0.1:" + FreePort.Udp() + "\nuser.postmaster = pm\nuser.ops = ops-secret\nnotify_to = ops\n");
            return cfg;
        }

        private static string[] Subjects(string pop3, string user, string password)
        {
            using var c = new Pop3Client { Timeout = 10_000 };
            int colon = pop3.LastIndexOf(':');
            c.Connect(pop3.Substring(0, colon), int.Parse(pop3.Substring(colon + 1)), SecureSocketOptions.None);
            c.Authenticate(user, password);
            string[] s = Enumerable.Range(0, c.Count).Select(i => c.GetMessage(i).Subject ?? "").ToArray();
            c.Disconnect(true);
            return s;
        }

        [SkippableFact]
        public void A_start_after_sigkill_sends_one_unexpected_stop_notice_and_a_clean_stop_none()
        {
            Skip.If(OperatingSystem.IsWindows(), "SIGKILL is a POSIX signal");
            string cfg = Config();
            string data = Path.Combine(_dir, "data");

            using (var first = NmgProcess.Start(cfg, data))
            {
                Assert.True(File.Exists(Path.Combine(data, RunMarker.FileName)), "no run marker while running");
                Assert.DoesNotContain(Subject, first.Output);                    // a first start is no unexpected one
                first.KillHard();
            }
            Assert.True(File.Exists(Path.Combine(data, RunMarker.FileName)));      // SIGKILL leaves it

            using (var second = NmgProcess.Start(cfg, data))
            {
                Assert.True(second.WaitForOutput("'" + Subject + "' to <ops@gw.example>", 10_000), second.Output);
                var sw = Stopwatch.StartNew();
                string[] subjects;
                while ((subjects = Subjects(second.Pop3, "ops", "ops-secret")).Length == 0 && sw.ElapsedMilliseconds < 10_000) Thread.Sleep(100);
                Assert.Equal(new[] { Subject }, subjects);
                Assert.Empty(Subjects(second.Pop3, "postmaster", "pm"));
                second.StopClean();
            }
            Assert.False(File.Exists(Path.Combine(data, RunMarker.FileName)));     // a clean stop removes it

            using (var third = NmgProcess.Start(cfg, data))
            {
                Thread.Sleep(1500);                                                   // time a notice would have taken
                Assert.DoesNotContain(Subject, third.Output);
                Assert.Single(Subjects(third.Pop3, "ops", "ops-secret"));           // still the one from before
                third.StopClean();
            }
        }
    }
}
