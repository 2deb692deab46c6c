// One noisy device must not stop another's alarm (README, Capacity): `nmg run` with a
// flapping sensor on 127.0.0.1 sending as fast as it can (python3 smtplib, one session,
// transaction after transaction) and a quiet sensor on 127.0.0.2 sending one alarm.
// With the relayhost down the flapping sensor fills its share of the queue (452 4.3.1);
// with a message rate limit it gets 450 4.7.1 after that many. Either way the quiet
// sensor's alarm is accepted and reaches the relayhost (Postfix's smtp-sink).

using System;
using System.IO;
using System.Linq;
using System.Text;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class NoisyClientEndToEndTests : IDisposable
    {
        // argv: port, source address, messages, subject tag. Prints one line per transaction:
        // the MAIL reply code when it was not 250, else the DATA reply code.
        private const string Sensor = "import smtplib,sys\n"
            + "port,src,n,tag=int(sys.argv[1]),sys.argv[2],int(sys.argv[3]),sys.argv[4]\n"
            + "s=smtplib.SMTP('127.0.0.1',port,local_hostname='sensor',source_address=(src,0),timeout=20)\n"
            + "s.ehlo()\n"
            + "for i in range(n):\n"
            + "  c,m=s.mail('sensor@plant.example')\n"
            + "  if c!=250:\n"
            + "    print(c,m.decode()); s.rset(); continue\n"
            + "  c,m=s.rcpt('ops@remote.example')\n"
            + "  if c!=250:\n"
            + "    print('rcpt',c); s.rset(); continue\n"
            + "  c,m=s.data(('Subject: %s %d\\r\\n\\r\\nboiler 3.1 bar\\r\\n'%(tag,i)).encode())\n"
            + "  print(c)\n"
            + "s.quit()\n";

        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-noisy-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private string Config(int relayPort, string extra)
        {
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" +
                "trusted_networks = 127.0.0.0/8\n" +
                "relayhost = [127.0.0.1]:" + relayPort + "\nretry_min = 1s\nretry_max = 2s\n" +
                "dns_servers = 127.0.0.1:" + FreePort.Udp() + "\nuser.postmaster = pm\n" + extra);
            return cfg;
        }

        private static string[] Send(string python, NmgProcess nmg, string source, int messages, string tag)
        {
            int port = int.Parse(nmg.Smtp.Substring(nmg.Smtp.LastIndexOf(':') + 1));
            var r = ProcessRunner.Run(python, new[] { "-c", Sensor, port.ToString(), source, messages.ToString(), tag }, null, TimeSpan.FromSeconds(120));
            Assert.True(r.ExitCode == 0, r.StdErr + "\n" + nmg.Output);
            return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        private static bool Arrived(SmtpSinkPeer sink, string subject)
        {
            return Directory.GetFiles(sink.DumpDir).Any(f => File.ReadAllText(f, Encoding.Latin1).Contains("Subject: " + subject + "\n"));
        }

        private static void WaitForArrival(SmtpSinkPeer sink, string subject, NmgProcess nmg)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Arrived(sink, subject) && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(100);
            Assert.True(Arrived(sink, subject), "'" + subject + "' never reached the relayhost:\n" + nmg.Output);
        }

        [SkippableFact]
        public void The_flapping_sensor_fills_only_its_share_and_the_quiet_alarm_gets_through()
        {
            string python = Peers.RequirePython("smtplib");
            Peers.Require("smtp-sink");
            int relayPort = FreePort.Tcp();
            using var nmg = NmgProcess.Start(Config(relayPort, ""), Path.Combine(_dir, "data"));   // esp32-wroom-32: 32 entries

            // The relayhost is down: the flapping sensor's mail stays queued until its half is used.
            string[] flapping = Send(python, nmg, "127.0.0.1", 40, "flap");
            Assert.Equal(15, flapping.Count(l => l == "250"));                 // half of the listener's 30 entries
            Assert.Contains(flapping, l => l.StartsWith("452 4.3.1 Queue share of this client used up", StringComparison.Ordinal));
            Assert.Contains("reject: MAIL from [127.0.0.1]: 452 4.3.1 queue share of this client used up", nmg.Output);

            string[] quiet = Send(python, nmg, "127.0.0.2", 1, "quiet alarm");
            Assert.Equal(new[] { "250" }, quiet);

            using var sink = new SmtpSinkPeer("127.0.0.1", relayPort);        // the relayhost comes back
            WaitForArrival(sink, "quiet alarm 0", nmg);
            WaitForArrival(sink, "flap 14", nmg);                              // and what it accepted from the noisy one
        }

        [SkippableFact]
        public void Past_the_message_rate_the_flapping_sensor_gets_450_and_the_quiet_alarm_gets_through()
        {
            string python = Peers.RequirePython("smtplib");
            int relayPort = FreePort.Tcp();
            using var sink = new SmtpSinkPeer("127.0.0.1", relayPort);
            using var nmg = NmgProcess.Start(Config(relayPort, "smtpd_client_message_rate_limit = 5\n"), Path.Combine(_dir, "data"));

            string[] flapping = Send(python, nmg, "127.0.0.1", 30, "flap");
            Assert.Equal(5, flapping.Count(l => l == "250"));
            Assert.Equal(25, flapping.Count(l => l.StartsWith("450 4.7.1 Too much mail from this client", StringComparison.Ordinal)));

            string[] quiet = Send(python, nmg, "127.0.0.2", 1, "quiet alarm");
            Assert.Equal(new[] { "250" }, quiet);
            WaitForArrival(sink, "quiet alarm 0", nmg);
        }
    }
}
