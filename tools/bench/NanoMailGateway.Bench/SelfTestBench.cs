// How much heap each self-test check may need: the bytes it allocates in total (no
// collection counted), an upper bound of its live set, next to the esp32-c3 managed heap
// (54,472 bytes, nanoFramework Home#1824), and the bytes still reachable after it (a full
// collection before and after: what a check leaves behind for the rest of the run).
// .NET objects carry larger headers than nanoFramework's 12-byte blocks and .NET strings
// take 2 bytes per character (UTF-8 on nanoFramework), so the numbers lean high. Time per
// check is for the host only; the interpreter is far slower.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Bench
{
    public static class SelfTestBench
    {
        private const int C3HeapBytes = 54472;

        private sealed class Meter : ILineOutput
        {
            private long _mark = GC.GetAllocatedBytesForCurrentThread();
            private long _live = GC.GetTotalMemory(true);
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            public List<(string Line, long Bytes, long Retained, double Ms)> Rows { get; } = new();

            public void WriteLine(string line)
            {
                long now = GC.GetAllocatedBytesForCurrentThread();
                double ms = _clock.Elapsed.TotalMilliseconds;
                long live = GC.GetTotalMemory(true);
                Rows.Add((line, now - _mark, live - _live, ms));
                _live = GC.GetTotalMemory(true);
                _clock.Restart();
                _mark = GC.GetAllocatedBytesForCurrentThread();
            }
        }

        public static void Run(string[] args)
        {
            // Warm-up run: first-call costs of the runtime are not the self-test's.
            Scenarios.RunAll(new SelfTestRunner(new Meter()));
            var meter = new Meter();
            var runner = new SelfTestRunner(meter);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Scenarios.RunAll(runner);
            long total = GC.GetAllocatedBytesForCurrentThread() - before;
            runner.Finish();

            Console.WriteLine("check                                   allocated B   % of c3 heap   retained B    ms");
            long max = 0;
            string maxName = "";
            long retainedTotal = 0;
            foreach (var (line, bytes, retained, ms) in meter.Rows)
            {
                if (!line.StartsWith("ok   ", StringComparison.Ordinal) && !line.StartsWith("FAIL ", StringComparison.Ordinal)) continue;
                string name = line.Substring(5);
                if (bytes > max) { max = bytes; maxName = name; }
                retainedTotal += retained;
                Console.WriteLine(name.PadRight(40) + bytes.ToString().PadLeft(11) + (100.0 * bytes / C3HeapBytes).ToString("F1").PadLeft(15)
                    + retained.ToString().PadLeft(13) + ms.ToString("F2").PadLeft(7));
            }
            Console.WriteLine("checks: " + runner.Passed + " passed, " + runner.Failed + " failed; whole run " + total + " B allocated; largest check " + maxName + " " + max + " B;"
                + " retained after all checks " + retainedTotal + " B (each row includes its own ~80 B output line)");
        }
    }
}
