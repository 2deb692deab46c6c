// Storage faults recover in place (README, Storage faults), with the real `nmg run`: its
// data directory is an emulated drive of NMG_MEDIUM_SIZE bytes that another file (as the
// board's Wi-Fi credentials and certificates share I:) nearly fills. Mail is sent until
// the medium is full (451 4.3.0 or 452 4.3.1); the other file is deleted; without a
// restart the gateway takes mail again and delivers everything it said 250 to.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class StorageFaultEndToEndTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-medium-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>Sends one message; the final reply (MAIL's when it was refused, else DATA's).</summary>
        private static string SendOne(NmgProcess nmg, string subject)
        {
            using var c = new LineClient(nmg.Smtp);
            c.ReadReply();
            c.Command("EHLO sensor");
            string mail = c.Command("MAIL FROM:<sensor@plant.example>");
            if (!mail.StartsWith("250", StringComparison.Ordinal)) return mail;
            Assert.StartsWith("250", c.Command("RCPT TO:<ops@remote.example>"));
            Assert.StartsWith("354", c.Command("DATA"));
            string text = "Subject: " + subject + "\r\n\r\n" + string.Concat(Enumerable.Repeat("boiler 3.1 bar, pump 2 off\r\n", 40));
            string reply = c.Command(text + ".");
            c.Command("QUIT");
            return reply;
        }

        private static bool Arrived(SmtpSinkPeer sink, string subject)
        {
            return Directory.GetFiles(sink.DumpDir).Any(f => File.ReadAllText(f, Encoding.Latin1).Contains("Subject: " + subject + "\n"));
        }

        [SkippableFact]
        public void A_full_medium_is_freed_and_the_running_gateway_takes_and_delivers_mail_again()
        {
            int relayPort = FreePort.Tcp();
            using var sink = new SmtpSinkPeer("127.0.0.1", relayPort);
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" +
                "relayhost = [127.0.0.1]:" + relayPort + "\nretry_min = 1s\nretry_max = 2s\n" +
                "dns_servers = 127.0.0.1:" + FreePort.Udp() + "\nuser.postmaster = pm\n");
            string data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            string other = Path.Combine(data, "certs.pem");
            File.WriteAllBytes(other, new byte[250 * 1024]);                  // 6 KB of the 256 KB drive left
            using var nmg = NmgProcess.Start(cfg, data, null, "256K");
            Assert.Contains("emulated medium of 262144 bytes", nmg.Output);

            var accepted = new List<string>();
            string refused = "";
            for (int i = 0; i < 40 && refused.Length == 0; i++)
            {
                string reply = SendOne(nmg, "before " + i);
                if (reply.StartsWith("250", StringComparison.Ordinal)) accepted.Add("before " + i);
                else refused = reply;
            }
            Assert.True(refused.StartsWith("451 4.3.0", StringComparison.Ordinal) || refused.StartsWith("452 4.3.1", StringComparison.Ordinal),
                "the medium never filled: " + refused + "\n" + nmg.Output);
            Assert.True(nmg.WaitForOutput("no space left on the medium", 10000), "no log line for the full medium:\n" + nmg.Output);

            File.Delete(other);                                               // space is free again
            var deadline = DateTime.UtcNow.AddSeconds(90);
            string after = "";
            while (!after.StartsWith("250", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                after = SendOne(nmg, "after");
                if (!after.StartsWith("250", StringComparison.Ordinal)) System.Threading.Thread.Sleep(500);
            }
            Assert.True(after.StartsWith("250", StringComparison.Ordinal), "no 250 after the medium was freed: " + after + "\n" + nmg.Output);
            accepted.Add("after");
            Assert.True(nmg.WaitForOutput("queue store reopened after a storage fault", 10000), "no reopen logged:\n" + nmg.Output);

            // Everything that got 250 reaches the relayhost (at least once: a delivery whose status could not
            // be written while the medium was full is made again, a duplicate, never a loss).
            deadline = DateTime.UtcNow.AddSeconds(90);
            while (accepted.Any(s => !Arrived(sink, s)) && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(200);
            Assert.True(accepted.All(s => Arrived(sink, s)), "not delivered: " + string.Join(", ", accepted.Where(s => !Arrived(sink, s))) + "\n" + nmg.Output);
            Assert.False(nmg.HasExited);
        }
    }
}
