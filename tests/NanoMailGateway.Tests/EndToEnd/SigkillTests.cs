// Durable accept: clients send while `nmg run` is killed with SIGKILL again and
// again and restarted on the same data directory. Every message whose DATA got
// "250 2.0.0 Ok: queued as <id>" must be in `nmg mailq` exactly once afterwards (a
// message whose 250 was lost in the kill may be there too: RFC 5321 §6.1 allows the
// duplicate, never the loss). The recipients are remote and dns_servers points at a
// dead local port, so nothing can be delivered and the queue keeps every message.

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class SigkillTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-kill-").FullName;
        private readonly ITestOutputHelper _out;

        public SigkillTests(ITestOutputHelper output) { _out = output; }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        [SkippableFact]
        public void EveryAcknowledgedMessageSurvivesRepeatedSigkillExactlyOnce()
        {
            Skip.If(OperatingSystem.IsWindows(), "SIGKILL is a POSIX signal");
            int port = FreePort.Tcp();
            int deadDns = FreePort.Udp();
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:" + port + "\npop3_listen = 127.0.0.1:0\n" +
                "dns_servers = 127.0.0.1:" + deadDns + "\nuser.postmaster = pm\n");
            string data = Path.Combine(_dir, "data");
            string endpoint = "127.0.0.1:" + port;

            var acked = new ConcurrentBag<string>();
            int attempts = 0;
            using var stop = new CancellationTokenSource();
            var senders = new Thread[3];
            for (int t = 0; t < senders.Length; t++)
            {
                int thread = t;
                senders[t] = new Thread(() => Send(endpoint, thread, acked, ref attempts, stop.Token)) { IsBackground = true };
            }

            var sw = Stopwatch.StartNew();
            var rnd = new Random(4);
            int roundsWithMail = 0;
            NmgProcess? nmg = NmgProcess.Start(cfg, data, "esp32-s3");
            try
            {
                foreach (Thread s in senders) s.Start();
                for (int round = 0; round < 5; round++)
                {
                    int before = acked.Count;
                    Thread.Sleep(400 + rnd.Next(500));
                    nmg.KillHard();
                    if (acked.Count > before) roundsWithMail++;
                    nmg.Dispose();
                    nmg = null;
                    nmg = NmgProcess.Start(cfg, data, "esp32-s3");
                }
                Thread.Sleep(500);
                stop.Cancel();
                foreach (Thread s in senders) Assert.True(s.Join(15000), "sender did not stop");
                nmg.StopClean();
            }
            finally
            {
                stop.Cancel();
                nmg?.Dispose();
            }

            var o = new StringWriter();
            var e = new StringWriter();
            Assert.Equal(0, MailqCommand.Run(new[] { "--data", data }, o, e));
            string mailq = o.ToString();
            var listed = new Dictionary<string, int>();
            foreach (string line in mailq.Split('\n'))
            {
                Match m = Regex.Match(line, @"^(\S+)\s+\d+ [A-Z][a-z]{2} [A-Z][a-z]{2} ");   // "<id> <size> <arrival>"
                if (m.Success) listed[m.Groups[1].Value] = listed.GetValueOrDefault(m.Groups[1].Value) + 1;
            }
            _out.WriteLine(roundsWithMail + " rounds with mail; " + acked.Count + " acknowledged of " + attempts + " attempts; " + listed.Count + " in the queue; " + sw.ElapsedMilliseconds + " ms");
            Assert.True(roundsWithMail >= 4, "mail was acknowledged in only " + roundsWithMail + " of 5 rounds");
            Assert.True(acked.Count >= 20, "too few messages got through to prove anything: " + acked.Count);
            Assert.Equal(acked.Count, acked.Distinct().Count());   // queue ids never reused across restarts
            foreach (string id in acked)
            {
                Assert.True(listed.TryGetValue(id, out int n), "acknowledged " + id + " is missing from mailq");
                Assert.Equal(1, n);
            }
        }

        /// <summary>Sends messages over and over; reconnects whenever the server vanishes.</summary>
        private static void Send(string endpoint, int thread, ConcurrentBag<string> acked, ref int attempts, CancellationToken stop)
        {
            int n = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var c = new LineClient(endpoint, 5000);
                    if (!(c.ReadReply() ?? "").StartsWith("220")) continue;
                    if (!c.Command("EHLO sender" + thread).StartsWith("250")) continue;
                    while (!stop.IsCancellationRequested)
                    {
                        n++;
                        Interlocked.Increment(ref attempts);
                        if (!c.Command("MAIL FROM:<sensor" + thread + "@plant.example>").StartsWith("250")) break;
                        if (!c.Command("RCPT TO:<ops@remote.example>").StartsWith("250")) break;
                        if (!c.Command("DATA").StartsWith("354")) break;
                        string reply = c.Command("Subject: kill test " + thread + "-" + n + "\r\n\r\nbody " + n + "\r\n.");
                        Match m = Regex.Match(reply, @"^250 2\.0\.0 Ok: queued as (\S+)$");
                        if (!m.Success) break;
                        acked.Add(m.Groups[1].Value);
                        Thread.Sleep(80);   // spread the messages over every round (the queue holds 240 of them)
                    }
                    Thread.Sleep(50);       // refused (queue full, shutting down): do not hammer
                }
                catch (SocketException)
                {
                    Thread.Sleep(20);   // the gateway is down: try again
                }
                catch (IOException)
                {
                    Thread.Sleep(20);
                }
            }
        }
    }
}
