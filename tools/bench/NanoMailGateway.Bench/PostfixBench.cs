// Side by side with Postfix (README, The numbers): `nmg run` (the emulator, as a child
// process, on the esp32-s3 profile) and a throwaway Postfix relay (ThrowawayPostfix: its
// own config and queue, fsync as always) get the same loads from Postfix's smtp-source and
// relay everything to an smtp-sink each. Rounds alternate between the two (nmg, postfix,
// nmg, postfix, ...). A round is timed from smtp-source's first connection until that
// system's smtp-sink has counted every message of the round (end to end: relayed, not
// only accepted). CPU per message is the system's user + system time over the round
// (nmg: its process; Postfix: the master and every daemon in its session, reaped ones
// included) divided by the messages. Every message must arrive at smtp-sink, or the bench
// says so loudly and fails. Writes docs/bench/throughput-by-size.png.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- postfix [ROUNDS]

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace NanoMailGateway.Bench
{
    internal static class PostfixBench
    {
        private sealed class Load
        {
            public Load(string label, int size, int sessions, int messages, bool roomy = false) { Label = label; Size = size; Sessions = sessions; Messages = messages; Roomy = roomy; }
            public string Label { get; }
            public int Size { get; }
            public int Sessions { get; }
            public int Messages { get; }

            /// <summary>True when the esp32-s3's own queue cannot hold what the load leaves waiting (then RoomyProfile).</summary>
            public bool Roomy { get; }
        }

        // smtp-source's -l is the body size; smtp-source adds about 300 bytes of header, so
        // "1 MB" is 10^6 bytes of body to stay within the esp32-s3's message_size_limit (1M).
        // Two loads do not fit the esp32-s3's queue, and smtp-source gives up at the first
        // 452 4.3.1: its 1536K drive holds one 1 MB message beside the 48 KB reserve and the
        // mailboxes' 384K, not the next one arriving while the first is relayed; and 5
        // sessions of 1 KB arrive faster than 2 delivery sessions relay them, so the 256
        // entries fill within seconds. Those run on the same profile with room
        // (RoomyProfile), as Postfix's queue has.
        private const string RoomyStorage = "storage_capacity = 8M";
        private const string RoomyEntries = "queue_max_messages = 2048";

        /// <summary>The esp32-s3 profile with an 8 MB queue drive (a 16 MB-flash module) and 2048 queue entries.</summary>
        private static string RoomyProfile(string s3) =>
            s3.Contains("storage_capacity = 1536K") && s3.Contains("queue_max_messages = 256")
                ? s3.Replace("storage_capacity = 1536K", RoomyStorage).Replace("queue_max_messages = 256", RoomyEntries)
                : throw new InvalidOperationException("boards/esp32-s3.conf changed: update PostfixBench.RoomyProfile");

        private static readonly Load[] Loads =
        {
            new Load("1 KB × 1 session", 1024, 1, 1500),
            new Load("1 KB × 5 sessions", 1024, 5, 2000, true),
            new Load("64 KB × 1 session", 64 * 1024, 1, 300),
            new Load("1 MB × 1 session", 1_000_000, 1, 30, true),
        };

        private sealed class Target
        {
            public Target(string name, int port, SinkCounter sink, Func<double> cpuMs) { Name = name; Port = port; Sink = sink; CpuMs = cpuMs; }
            public string Name { get; }
            public int Port { get; set; }
            public SinkCounter Sink { get; }
            public Func<double> CpuMs { get; set; }
        }

        private sealed class Tally
        {
            public readonly List<double> Rates = new List<double>();
            public double CpuMs;
            public long Sent;
            public long Counted;

            public double Median()
            {
                var r = new List<double>(Rates);
                r.Sort();
                return r.Count == 0 ? 0 : r.Count % 2 == 1 ? r[r.Count / 2] : (r[r.Count / 2 - 1] + r[r.Count / 2]) / 2;
            }

            public double CpuPerMessage => Counted == 0 ? 0 : CpuMs / Counted;
        }

        public static void Run(string[] args)
        {
            foreach (string tool in new[] { "/usr/sbin/postfix", "/usr/sbin/smtp-source", "/usr/sbin/smtp-sink" })
            {
                if (!File.Exists(tool))
                {
                    Console.WriteLine(tool + " not installed (Debian package postfix)");
                    return;
                }
            }
            int rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
            string? repo = Charts.RepoRoot();
            if (repo == null) throw new InvalidOperationException("run from the checkout: boards/esp32-s3.conf is needed");
            string root = Directory.CreateTempSubdirectory("nmg-vs-postfix-").FullName;
            var failures = new List<string>();
            string version = PostfixVersion();
            var results = new List<(Load Load, Tally Nmg, Tally Postfix)>();
            try
            {
                using var nmgSink = new SinkCounter();
                using var postfixSink = new SinkCounter();
                using var postfix = new ThrowawayPostfix(Path.Combine(root, "postfix"), postfixSink.Port);
                string config = Path.Combine(root, "nmg.cf");
                // smtp-source sends from one address: the per-client queue share (a guard for
                // many sensors) would refuse it half the queue, so it is off here.
                File.WriteAllText(config, "hostname = gw.bench.example\nsmtp_listen = 127.0.0.1:0\npop3_listen =\ntrusted_networks = 127.0.0.0/8\n"
                    + "relayhost = [127.0.0.1]:" + nmgSink.Port + "\ndns_servers = 127.0.0.1:9\nsmtpd_client_queue_share = 100\n");
                var targets = new[]
                {
                    new Target("nmg", 0, nmgSink, () => 0),
                    new Target("postfix", postfix.Port, postfixSink, () => postfix.CpuMs),
                };
                Console.WriteLine("nmg run (esp32-s3 profile) and Postfix " + version + " (own config in " + root + "), each relaying to its smtp-sink; "
                    + rounds + " rounds per load, alternating; " + Environment.ProcessorCount + " CPUs");
                string s3 = File.ReadAllText(Path.Combine(repo, "boards", "esp32-s3.conf"));
                foreach (Load load in Loads)
                {
                    // A fresh nmg per load (its own profile and an empty queue); Postfix's queue is empty after every round.
                    string profile = Path.Combine(root, load.Roomy ? "esp32-s3-roomy.conf" : "esp32-s3.conf");
                    File.WriteAllText(profile, load.Roomy ? RoomyProfile(s3) : s3);
                    string data = Path.Combine(root, "nmg-data");
                    if (Directory.Exists(data)) Directory.Delete(data, true);
                    using var nmg = new NmgChild(config, profile, data);
                    targets[0].Port = nmg.SmtpPort;
                    targets[0].CpuMs = () => nmg.CpuMs;
                    // Untimed warm-up of both with the load itself (the JIT, Postfix's process pool).
                    foreach (Target t in targets) Round(t, load.Size, load.Sessions, Math.Max(2, load.Messages / 10), new Tally(), failures);
                    var nmgTally = new Tally();
                    var postfixTally = new Tally();
                    for (int r = 0; r < rounds; r++)
                    {
                        Round(targets[0], load.Size, load.Sessions, load.Messages, nmgTally, failures);
                        Round(targets[1], load.Size, load.Sessions, load.Messages, postfixTally, failures);
                        Console.WriteLine("  " + load.Label + " round " + (r + 1) + ": nmg " + nmgTally.Rates[r].ToString("F1") + " msg/s, postfix " + postfixTally.Rates[r].ToString("F1") + " msg/s");
                    }
                    results.Add((load, nmgTally, postfixTally));
                    if (failures.Count > 0) Console.WriteLine("nmg log tail:\n" + nmg.Tail);
                }
                if (failures.Count > 0) Console.WriteLine("postfix log tail:\n" + Tail(postfix.Log, 15));
            }
            finally
            {
                try
                {
                    Directory.Delete(root, true);
                }
                catch (IOException e)
                {
                    Console.WriteLine("could not delete " + root + ": " + e.Message);
                }
            }

            Console.WriteLine();
            Console.WriteLine("| load | nmg profile | messages/round | nmg msg/s | postfix msg/s | nmg/postfix | nmg CPU ms/msg | postfix CPU ms/msg | nmg/postfix CPU | at smtp-sink: nmg | postfix |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (load, n, p) in results)
            {
                Console.WriteLine("| " + load.Label + " | " + (load.Roomy ? "esp32-s3, 8M queue, 2048 entries" : "esp32-s3") + " | " + load.Messages + " | " + n.Median().ToString("F1") + " | " + p.Median().ToString("F1") + " | " + (n.Median() / p.Median()).ToString("F2")
                    + "× | " + n.CpuPerMessage.ToString("F2") + " | " + p.CpuPerMessage.ToString("F2") + " | " + (n.CpuPerMessage / p.CpuPerMessage).ToString("F2")
                    + "× | " + n.Counted + " of " + n.Sent + " | " + p.Counted + " of " + p.Sent + " |");
            }
            Console.WriteLine("msg/s: median of the rounds; CPU: all rounds' CPU / all messages; roomy profile: " + RoomyStorage + ", " + RoomyEntries + ".");
            if (results.Count == Loads.Length) Console.WriteLine("chart: " + Chart(results, rounds, version));
            if (failures.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("!!!!!!!! NOT EVERY MESSAGE ARRIVED (or smtp-source failed) !!!!!!!!");
                foreach (string f in failures) Console.WriteLine("!!! " + f);
                throw new InvalidOperationException(failures.Count + " round(s) lost messages or failed; the table above is not valid");
            }
        }

        /// <summary>
        /// One round: smtp-source sends <paramref name="messages"/> of <paramref name="size"/>
        /// bytes over <paramref name="sessions"/> parallel sessions (one message per
        /// connection, smtp-source's default); timed until the target's smtp-sink counted them all.
        /// </summary>
        private static void Round(Target t, int size, int sessions, int messages, Tally tally, List<string> failures)
        {
            long before = t.Sink.Messages;
            double cpu0 = t.CpuMs();
            var psi = new ProcessStartInfo("/usr/sbin/smtp-source") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-s", sessions.ToString(), "-m", messages.ToString(), "-l", size.ToString(), "-f", "sensor@plant.example", "-t", "ops@relay.example", "127.0.0.1:" + t.Port })
                psi.ArgumentList.Add(a);
            var watch = Stopwatch.StartNew();
            string err;
            int exit;
            using (var p = Process.Start(psi)!)
            {
                var errTask = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                err = errTask.Result.Trim();
                exit = p.ExitCode;
            }
            long arrived = t.Sink.WaitFor(before + messages, exit == 0 ? 120_000 : 10_000) - before;
            double seconds = watch.Elapsed.TotalSeconds;
            // What is left after the last message arrived (status, removal) belongs to the round too.
            Thread.Sleep(300);
            arrived = t.Sink.Messages - before;
            double cpu = t.CpuMs() - cpu0;
            tally.Rates.Add(messages / seconds);
            tally.CpuMs += cpu;
            tally.Sent += messages;
            tally.Counted += arrived;
            if (exit != 0 || arrived != messages)
                failures.Add(t.Name + ": " + messages + " × " + size + " B over " + sessions + " session(s): smtp-sink counted " + arrived + ", smtp-source exit " + exit + (err.Length > 0 ? ": " + Tail(err, 3) : ""));
        }

        private static string Tail(string text, int lines)
        {
            string[] all = text.TrimEnd().Split('\n');
            return string.Join("\n", all, Math.Max(0, all.Length - lines), Math.Min(lines, all.Length));
        }

        private static string PostfixVersion()
        {
            var psi = new ProcessStartInfo("/usr/sbin/postconf") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-dh");
            psi.ArgumentList.Add("mail_version");
            using var p = Process.Start(psi)!;
            string v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }

        /// <summary>Throughput against message size, both systems, log-log: 1 session as lines, 5 sessions as points.</summary>
        private static string Chart(List<(Load Load, Tally Nmg, Tally Postfix)> results, int rounds, string version)
        {
            var plot = new ScottPlot.Plot();
            var one = results.FindAll(r => r.Load.Sessions == 1);
            var five = results.FindAll(r => r.Load.Sessions == 5);
            double[] xs = one.ConvertAll(r => Math.Log10(r.Load.Size)).ToArray();
            var nmgColor = ScottPlot.Colors.C0;
            var postfixColor = ScottPlot.Colors.C1;
            var n = plot.Add.Scatter(xs, one.ConvertAll(r => Math.Log10(r.Nmg.Median())).ToArray());
            n.LegendText = "nmg run, 1 session";
            n.Color = nmgColor;
            n.LineWidth = 2;
            n.MarkerSize = 9;
            var p = plot.Add.Scatter(xs, one.ConvertAll(r => Math.Log10(r.Postfix.Median())).ToArray());
            p.LegendText = "Postfix, 1 session";
            p.Color = postfixColor;
            p.LineWidth = 2;
            p.MarkerSize = 9;
            if (five.Count > 0)
            {
                double[] x5 = five.ConvertAll(r => Math.Log10(r.Load.Size)).ToArray();
                var n5 = plot.Add.ScatterPoints(x5, five.ConvertAll(r => Math.Log10(r.Nmg.Median())).ToArray());
                n5.LegendText = "nmg run, 5 sessions";
                n5.Color = nmgColor;
                n5.MarkerShape = ScottPlot.MarkerShape.OpenTriangleUp;
                n5.MarkerSize = 12;
                var p5 = plot.Add.ScatterPoints(x5, five.ConvertAll(r => Math.Log10(r.Postfix.Median())).ToArray());
                p5.LegendText = "Postfix, 5 sessions";
                p5.Color = postfixColor;
                p5.MarkerShape = ScottPlot.MarkerShape.OpenTriangleUp;
                p5.MarkerSize = 12;
            }
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            foreach (var (bytes, label) in new[] { (1024.0, "1 KB"), (4096.0, "4 KB"), (16384.0, "16 KB"), (65536.0, "64 KB"), (262144.0, "256 KB"), (1e6, "1 MB") })
                ticks.AddMajor(Math.Log10(bytes), label);
            plot.Axes.Bottom.TickGenerator = ticks;
            Charts.LogAxis(plot.Axes.Left, v => v.ToString("0.#"));
            var all = new List<double>();
            foreach (var r in results) all.AddRange(new[] { r.Nmg.Median(), r.Postfix.Median() });
            all.Sort();
            plot.Axes.SetLimitsY(Math.Floor(Math.Log10(Math.Max(0.1, all[0]))), Math.Ceiling(Math.Log10(Math.Max(1, all[all.Count - 1]))) + 0.15);
            plot.Axes.SetLimitsX(Math.Log10(700), Math.Log10(1.5e6));
            plot.Title("nmg run vs Postfix " + version + ", relayed to smtp-sink (median of " + rounds + " rounds, " + DateTime.UtcNow.ToString("yyyy-MM-dd") + ")");
            plot.XLabel("message size (log scale)");
            plot.YLabel("messages per second (log scale)");
            plot.ShowLegend(ScottPlot.Alignment.UpperRight);
            return Charts.Save(plot, "throughput-by-size.png");
        }
    }
}
