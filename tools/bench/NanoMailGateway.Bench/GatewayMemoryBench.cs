// The whole gateway's allocations per message: the gateway composed as `nmg run` composes
// it (real queue files, loopback sockets), fed by Postfix's smtp-source (its own process,
// one connection per message as a sensor sends) and relaying to Postfix's smtp-sink (its
// own process), so only the gateway's allocations are counted: listener, queue, delivery
// and log, host adapters included. Bytes are .NET's (GC.GetTotalAllocatedBytes, precise),
// over a run after a warm-up, divided by the messages delivered.
// The split by component comes from the log: every component logs on its own thread
// (a session's lines on its session thread, delivery's on its worker), so the bench's
// log reads GC.GetAllocatedBytesForCurrentThread at each line and charges what that
// thread allocated since its previous line to the component writing this one ("smtpd"
// = listener and queue accept on the session thread; "smtp"/"qmgr" = delivery with its
// queue updates). What no line closes (the accept loop, a thread's work after its last
// line) is "other"; the bench's own thread (starting smtp-source) is left out. The log
// text column is what the lines themselves take as strings (part of the components').
// With NMG_BENCH_DETAIL=1 it also prints the bytes per message charged to each kind of
// log line (the component and the line's first word), to find what a change should target.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- gateway [BOARD/SIZE]

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Gateway;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Bench
{
    internal static class GatewayMemoryBench
    {
        public static void Run(string[] args)
        {
            string source = File.Exists("/usr/sbin/smtp-source") ? "/usr/sbin/smtp-source" : "smtp-source";
            Console.WriteLine("Whole gateway (nmg run's composition): bytes allocated per message accepted and delivered,");
            Console.WriteLine("smtp-source (one connection per message) -> listener -> flash queue on files -> delivery -> smtp-sink");
            Console.WriteLine("| board | message | messages | total B/msg | listener + accept (smtpd) | delivery + queue updates (smtp, qmgr) | other | log lines B/msg |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            string? only = args.Length > 1 ? args[1] : null;
            foreach (var (board, size, count) in new[] { ("esp32-wroom-32", 1024, 300), ("esp32-s3", 1024, 300), ("esp32-s3", 64 * 1024, 100), ("esp32-s3", 1000 * 1024, 12) })
            {
                if (only == null || only == board + "/" + size) Console.WriteLine(Measure(source, board, size, count));
            }
        }

        private static string Measure(string source, string board, int size, int count)
        {
            int sinkPort = BenchKit.FreePort();
            using Process sink = BenchKit.StartSmtpSink(sinkPort);
            string dir = Directory.CreateTempSubdirectory("nmg-gwmem-").FullName;
            var log = new ThreadChargingLog();
            try
            {
                BenchKit.WaitForPort(sinkPort, "smtp-sink");
                var c = new GatewayConfig();
                string profile = File.ReadAllText(Path.Combine(ConfigLoader.BoardsDirectory, board + ".conf"));
                if (ConfigParser.Parse(profile, board + ".conf", c, true) != null) throw new InvalidOperationException("profile");
                string mainCf = "hostname = gw.example\nsmtp_listen = 127.0.0.1:0\ntrusted_networks = 127.0.0.0/8\n"
                    + "relayhost = [127.0.0.1]:" + sinkPort + "\ndns_servers = 127.0.0.1:9\nsmtpd_client_queue_share = 100\n";
                if (ConfigParser.Parse(mainCf, "main.cf", c, false) != null) throw new InvalidOperationException("main.cf");
                using var g = new EmulatorGateway(c, Path.Combine(dir, "data"), new SystemClock(), new HostRandom(), log);
                g.Start();
                try
                {
                    string endpoint = g.SmtpEndpoints[0];
                    // Warm-up: the JIT, the first segment files, the first connection to the relayhost.
                    SendAll(g, source, endpoint, size, Math.Max(2, count / 10));
                    log.Reset();
                    long before = GC.GetTotalAllocatedBytes(true);
                    long own = GC.GetAllocatedBytesForCurrentThread();
                    SendAll(g, source, endpoint, size, count);
                    own = GC.GetAllocatedBytesForCurrentThread() - own;   // starting smtp-source, polling: the bench's, not the gateway's
                    long total = GC.GetTotalAllocatedBytes(true) - before - own;
                    if (ThreadChargingLog.Detail) log.PrintDetail(count);
                    long smtpd = log.Charged("smtpd");
                    long delivery = log.Charged("smtp") + log.Charged("qmgr");
                    long other = total - smtpd - delivery;
                    return "| " + board + " | " + Size(size) + " | " + count + " | " + (total / count).ToString("N0")
                        + " | " + (smtpd / count).ToString("N0") + " | " + (delivery / count).ToString("N0")
                        + " | " + (other / count).ToString("N0") + " | " + (log.TextBytes / count).ToString("N0") + " |";
                }
                finally
                {
                    g.Stop();
                }
            }
            finally
            {
                sink.Kill();
                sink.WaitForExit();
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }

        private static string Size(int size) => size >= 1000 * 1024 ? "1 MB" : size / 1024 + " KB";

        // Messages bigger than a third of the queue go one at a time (the queue holds one
        // or two of them); the others in one smtp-source run.
        private static void SendAll(EmulatorGateway g, string source, string endpoint, int size, int count)
        {
            int step = size * 3L > g.Gateway.Store.Options.CapacityBytes ? 1 : count;
            for (int sent = 0; sent < count; sent += step)
            {
                Send(source, endpoint, size, Math.Min(step, count - sent));
                WaitEmpty(g);
            }
        }

        private static void Send(string source, string endpoint, int size, int count)
        {
            var psi = new ProcessStartInfo(source) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-s", "1", "-m", count.ToString(), "-l", size.ToString(), "-f", "sensor@plant.example", "-t", "ops@remote.example", "-c", endpoint })
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("smtp-source failed: " + err);
        }

        private static void WaitEmpty(EmulatorGateway g)
        {
            var sw = Stopwatch.StartNew();
            while (g.Gateway.Store.Count > 0)
            {
                if (sw.ElapsedMilliseconds > 300_000) throw new TimeoutException("the queue did not empty in 300 s");
                Thread.Sleep(5);
            }
        }

        /// <summary>
        /// A log that keeps no text: at each line it charges the writing thread's allocations
        /// since its previous line to the line's component. It allocates nothing itself per
        /// line once each component has its counter.
        /// </summary>
        private sealed class ThreadChargingLog : ILog
        {
            [ThreadStatic] private static long _mark;
            [ThreadStatic] private static int _generation;
            private readonly Dictionary<string, long[]> _charged = new Dictionary<string, long[]>();
            private long _textBytes;
            private int _currentGeneration = 1;

            public static readonly bool Detail = Environment.GetEnvironmentVariable("NMG_BENCH_DETAIL") == "1";

            private static string Key(string text)
            {
                int colon = text.IndexOf(": ");
                string t = colon == 8 ? text.Substring(10) : text;
                int sp = t.IndexOfAny(new[] { ' ', '=' });
                return sp < 0 ? t : t.Substring(0, sp);
            }

            public void PrintDetail(int count)
            {
                lock (_charged) foreach (var kv in _charged) Console.WriteLine("  " + kv.Key.PadRight(30) + (kv.Value[0] / count).ToString("N0"));
            }

            public long TextBytes => Interlocked.Read(ref _textBytes);

            public void Reset()
            {
                lock (_charged)
                {
                    _charged.Clear();
                    _textBytes = 0;
                    _currentGeneration++;
                }
            }

            public long Charged(string component)
            {
                lock (_charged) return _charged.TryGetValue(component, out long[]? c) ? c[0] : 0;
            }

            public void Write(string component, int session, string text)
            {
                long now = GC.GetAllocatedBytesForCurrentThread();
                lock (_charged)
                {
                    // A thread that never wrote a line started after the Reset (a session
                    // thread per connection): everything since its start is charged. A thread
                    // from before the Reset starts its count at its first line after it.
                    if (_generation == 0 || _generation == _currentGeneration)
                    {
                        if (!_charged.TryGetValue(component, out long[]? c)) _charged[component] = c = new long[1];
                        c[0] += now - (_generation == 0 ? 0 : _mark);
                        if (Detail)
                        {
                            string k = component + " " + Key(text);
                            if (!_charged.TryGetValue(k, out long[]? d)) _charged[k] = d = new long[1];
                            d[0] += now - (_generation == 0 ? 0 : _mark);
                        }
                    }
                    _generation = _currentGeneration;
                    _textBytes += 22 + 2L * text.Length;   // a .NET string: header, length, UTF-16
                }
                _mark = GC.GetAllocatedBytesForCurrentThread();
            }
        }
    }
}
