// An alert storm (README, Capacity): the gateway composed as `nmg run` composes it (real
// queue files, loopback sockets, Postfix's smtp-sink as the relayhost) on the
// esp32-wroom-32 profile. For 10 s a flapping sensor on 127.0.0.1 sends transaction after
// transaction on one session as fast as the gateway answers, while a quiet sensor on
// 127.0.0.2 sends one alarm a second, each on a new connection. Reported per scenario:
// what the flapping sensor got (250, 452 4.3.1 past its queue share, 450 4.7.1 past the
// message rate), the quiet alarms accepted and their time from connect to the 250 after
// DATA, and the time until the last of them had left the queue for the relayhost.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- storm

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Gateway;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Bench
{
    internal static class StormBench
    {
        private const int StormMs = 10_000;

        public static void Run(string[] args)
        {
            Console.WriteLine("Alert storm on esp32-wroom-32 (2 SMTP slots, 32 queue entries): a flapping sensor as fast as it can, a quiet one alarm/s, 10 s, relayhost smtp-sink");
            Console.WriteLine("| limits | flapping: 250 | 452 4.3.1 | 450 4.7.1 | quiet alarms accepted | quiet: connect to 250, median / max | last quiet alarm at the relayhost |");
            Console.WriteLine("|--------|--------------:|----------:|----------:|----------------------:|-------------------------------------:|----------------------------------:|");
            foreach (var (name, extra) in new[] { ("defaults (queue share 50 %)", ""), ("smtpd_client_message_rate_limit = 60", "smtpd_client_message_rate_limit = 60\n") })
            {
                int port = BenchKit.FreePort();
                using Process p = BenchKit.StartSmtpSink(port);
                try
                {
                    BenchKit.WaitForPort(port, "smtp-sink");
                    Console.WriteLine("| " + name + " | " + Storm(port, extra) + " |");
                }
                finally
                {
                    p.Kill();
                    p.WaitForExit();
                }
            }
        }

        private static string Storm(int relayPort, string extra)
        {
            string dir = Directory.CreateTempSubdirectory("nmg-storm-").FullName;
            var c = new GatewayConfig();
            if (ConfigParser.Parse(NanoMailGateway.SelfTest.BoardProfiles.Wroom32, "esp32-wroom-32.conf", c, true) != null) throw new InvalidOperationException("profile");
            string mainCf = "hostname = gw.example\nlocal_domains = plant.example\nsmtp_listen = 127.0.0.1:0\n"
                + "trusted_networks = 127.0.0.0/8\nrelayhost = [127.0.0.1]:" + relayPort + "\ndns_servers = 127.0.0.1:9\n" + extra;
            if (ConfigParser.Parse(mainCf, "main.cf", c, false) != null) throw new InvalidOperationException("main.cf");
            using var g = new EmulatorGateway(c, Path.Combine(dir, "data"), new SystemClock(), new HostRandom(), new BenchKit.NullLog());
            g.Start();
            try
            {
                int port = int.Parse(g.SmtpEndpoints[0].Substring(g.SmtpEndpoints[0].LastIndexOf(':') + 1));
                var flapping = new Dictionary<string, int>();
                var stop = Stopwatch.StartNew();
                var flapper = new Thread(() => Flap(port, flapping, stop));
                flapper.Start();
                var quietMs = new List<long>();
                var quietIds = new List<string>();
                int quietSent = 0;
                while (stop.ElapsedMilliseconds < StormMs)
                {
                    quietSent++;
                    var sw = Stopwatch.StartNew();
                    string? id = SendOne(port, "127.0.0.2", "quiet alarm " + quietSent);
                    if (id != null)
                    {
                        quietMs.Add(sw.ElapsedMilliseconds);
                        quietIds.Add(id);
                    }
                    Thread.Sleep(Math.Max(0, 1000 - (int)sw.ElapsedMilliseconds));
                }
                flapper.Join();
                // Until every quiet alarm has left the queue (delivered to the relayhost).
                var left = Stopwatch.StartNew();
                while (left.ElapsedMilliseconds < 120_000 && AnyQueued(g.Gateway.Store, quietIds)) Thread.Sleep(20);
                string delivered = AnyQueued(g.Gateway.Store, quietIds) ? "not within 120 s" : (stop.ElapsedMilliseconds - StormMs) + " ms after the storm";
                quietMs.Sort();
                string times = quietMs.Count == 0 ? "-" : quietMs[quietMs.Count / 2] + " / " + quietMs[quietMs.Count - 1] + " ms";
                return Count(flapping, "250") + " | " + Count(flapping, "452") + " | " + Count(flapping, "450") + " | "
                    + quietIds.Count + " of " + quietSent + " | " + times + " | " + delivered;
            }
            finally
            {
                g.Stop();
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }

        private static int Count(Dictionary<string, int> d, string code) => d.TryGetValue(code, out int n) ? n : 0;

        private static bool AnyQueued(MessageStore store, List<string> ids)
        {
            foreach (QueuedMessage m in store.GetMessages())
            {
                if (ids.Contains(m.QueueId)) return true;
            }
            return false;
        }

        // One session from 127.0.0.1, transactions back to back until the storm ends; counts
        // the reply code of each (MAIL's when it refused, else the one after DATA).
        private static void Flap(int port, Dictionary<string, int> codes, Stopwatch stop)
        {
            using var s = Connect(port, "127.0.0.1");
            var r = new StreamReader(s.GetStream(), Encoding.ASCII);
            Reply(r);
            Command(s, r, "EHLO flapping.plant.example");
            for (int i = 0; stop.ElapsedMilliseconds < StormMs; i++)
            {
                string mail = Command(s, r, "MAIL FROM:<flap@plant.example>");
                string code;
                if (!mail.StartsWith("250", StringComparison.Ordinal))
                {
                    code = mail.Substring(0, 3);
                    Command(s, r, "RSET");
                }
                else
                {
                    Command(s, r, "RCPT TO:<ops@remote.example>");
                    Command(s, r, "DATA");
                    code = Command(s, r, "Subject: flap " + i + "\r\n\r\nboiler 3.1 bar\r\n.").Substring(0, 3);
                }
                codes[code] = Count(codes, code) + 1;
            }
            Command(s, r, "QUIT");
        }

        // One alarm on a new connection; its queue id, or null when it was refused.
        private static string? SendOne(int port, string source, string subject)
        {
            using var s = Connect(port, source);
            var r = new StreamReader(s.GetStream(), Encoding.ASCII);
            if (!Reply(r).StartsWith("220", StringComparison.Ordinal)) return null;
            Command(s, r, "EHLO quiet.plant.example");
            if (!Command(s, r, "MAIL FROM:<quiet@plant.example>").StartsWith("250", StringComparison.Ordinal)) return null;
            Command(s, r, "RCPT TO:<ops@remote.example>");
            Command(s, r, "DATA");
            string done = Command(s, r, "Subject: " + subject + "\r\n\r\nwater in the basement\r\n.");
            Command(s, r, "QUIT");
            const string Queued = "queued as ";
            int at = done.IndexOf(Queued, StringComparison.Ordinal);
            return done.StartsWith("250", StringComparison.Ordinal) && at > 0 ? done.Substring(at + Queued.Length).Trim() : null;
        }

        private static TcpClient Connect(int port, string source)
        {
            var s = new TcpClient(new IPEndPoint(IPAddress.Parse(source), 0));
            s.Connect("127.0.0.1", port);
            s.ReceiveTimeout = 30000;
            return s;
        }

        private static string Command(TcpClient s, StreamReader r, string line)
        {
            byte[] b = Encoding.ASCII.GetBytes(line + "\r\n");
            s.GetStream().Write(b, 0, b.Length);
            return Reply(r);
        }

        // The last line of a reply (RFC 5321 §4.2.1: "xyz-" lines continue it).
        private static string Reply(StreamReader r)
        {
            string? line;
            while ((line = r.ReadLine()) != null && line.Length > 3 && line[3] == '-') { }
            return line ?? "";
        }
    }
}
