// Entry point of the on-device self-test. On a board it runs once after
// deployment and prints to the serial/debug console; on the host it is a console program
// (dotnet run --project firmware/NanoMailGateway.SelfTest). The verdict is the last line,
// never the exit code: the nanoCLR interpreter does not report one.

using System;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Runs every scenario and prints one line per check, the counts and the verdict.</summary>
    public static class Program
    {
        /// <summary>Runs the self-test; the verdict is the last line printed.</summary>
        public static void Main()
        {
            SelfTestRunner runner = new SelfTestRunner(new ConsoleOutput());
            runner.Header();
            // Free heap before and after the checks (README, On-device self-test): what the
            // loaded assemblies leave to the checks, and what the checks left behind.
            int free = HeapProbe.FreeBytes();
            runner.FreeHeapAtStart = free;
            runner.Note(HeapProbe.Describe("start", free));
            Scenarios.RunAll(runner);
            runner.Note(HeapProbe.Describe("end", HeapProbe.FreeBytes()));
            runner.Finish();
        }

        private sealed class ConsoleOutput : ILineOutput
        {
            public void WriteLine(string line)
            {
                Console.WriteLine(line);
            }
        }
    }
}
