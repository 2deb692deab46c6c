// The on-device self-test on the host: the net10.0 build is started as users
// start it (`dotnet NanoMailGateway.SelfTest.dll`) and its output is checked line by line:
// every check "ok", "<N> passed, 0 failed", "SELFTEST PASS" last (the heap probe's two
// "heap free at" lines are the only other lines), and at least the
// checks and scenarios known today, so that a scenario that silently stops running fails
// here. The runner's own behaviour (exceptions are failures with their type, a run
// without checks fails) is tested in-process.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Guard;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.SelfTest
{
    public class SelfTestHostTests
    {
        /// <summary>Checks the self-test runs today; raise it when a scenario adds checks.</summary>
        private const int ExpectedAtLeast = 79;

        /// <summary>Every scenario prefix that must show up with at least one check.</summary>
        private static readonly string[] Scenarios = { "buffers.", "text.", "config.", "dns.", "dns.resolver.", "pop3.", "smtp.", "smtp.end-of-data.", "smtpclient.", "delivery.", "bounce.", "queue.", "pipeline.", "agent.", "gateway." };

        private sealed class Lines : ILineOutput
        {
            public List<string> All { get; } = new List<string>();
            public void WriteLine(string line) => All.Add(line);
        }

        /// <summary>The net10.0 build of the self-test program <paramref name="name"/> (its project folder and assembly name).</summary>
        internal static string SelfTestDll(string name)
        {
            string path = Path.Combine(BuildOutput.RepoRoot(), "firmware", name, "bin", BuildOutput.Configuration(), "net10.0", name + ".dll");
            if (!File.Exists(path)) throw new FileNotFoundException("self-test not built: " + path + " (run dotnet build at the repository root)", path);
            return path;
        }

        [Fact]
        public void ChildProcessPassesEveryCheck()
        {
            RunChild(SelfTestDll("NanoMailGateway.SelfTest"), ExpectedAtLeast, Scenarios);
        }

        /// <summary>
        /// Starts a self-test program as users do and checks its output: every check ok, at
        /// least <paramref name="expectedAtLeast"/> of them, one of each scenario prefix, the verdict last.
        /// </summary>
        internal static void RunChild(string dll, int expectedAtLeast, string[] scenarios)
        {
            ProcessResult r = ProcessRunner.Run("dotnet", new[] { dll }, null, TimeSpan.FromSeconds(120));
            Assert.False(r.TimedOut, "self-test did not finish in 120 s; output so far:" + Environment.NewLine + r.StdOut);
            string[] lines = r.StdOut.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
            string why = Environment.NewLine + r.StdOut + r.StdErr;

            Assert.True(lines.Length >= 3, "too little output:" + why);
            Assert.Equal("NanoMailGateway self-test", lines[0]);
            Assert.True(lines[^1] == "SELFTEST PASS", "verdict:" + why);
            string[] body = lines.Skip(1).Take(lines.Length - 3).ToArray();
            Assert.Equal(2, body.Count(l => l.StartsWith("heap free at ", StringComparison.Ordinal)));
            string[] checks = body.Where(l => !l.StartsWith("heap free at ", StringComparison.Ordinal)).ToArray();
            string[] failed = checks.Where(l => !l.StartsWith("ok   ", StringComparison.Ordinal)).ToArray();
            Assert.True(failed.Length == 0, "failed checks:" + Environment.NewLine + string.Join(Environment.NewLine, failed));
            Assert.Equal(checks.Length + " passed, 0 failed", lines[^2]);
            Assert.True(checks.Length >= expectedAtLeast, "only " + checks.Length + " checks ran, expected at least " + expectedAtLeast + why);

            string[] names = checks.Select(l => l.Substring(5)).ToArray();
            Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
            foreach (string prefix in scenarios)
            {
                Assert.True(names.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)), "no check of scenario " + prefix + why);
            }
            Assert.Equal("", r.StdErr);
        }

        [Fact]
        public void RunnerPrintsFailuresAndExceptionsAndKeepsGoing()
        {
            var output = new Lines();
            var runner = new SelfTestRunner(output);
            runner.Run("a.holds", () => Expect.Equal(2, 1 + 1, "sum"));
            runner.Run("b.throws", () => throw new InvalidOperationException("boom\r\nsecond line"));
            runner.Run("c.expect", () => Expect.Equal("x", "y", "letter"));
            runner.Run("d.holds", () => { });
            Assert.False(runner.Finish());
            Assert.Equal(new[]
            {
                "ok   a.holds",
                "FAIL b.throws: System.InvalidOperationException: boom  second line",
                "FAIL c.expect: letter: expected 'x', got 'y'",
                "ok   d.holds",
                "2 passed, 2 failed",
                "SELFTEST FAIL",
            }, output.All);
        }

        [Fact]
        public void RunWithoutChecksFails()
        {
            var output = new Lines();
            var runner = new SelfTestRunner(output);
            Assert.False(runner.Finish());
            Assert.Equal(new[] { "0 passed, 0 failed", "SELFTEST FAIL" }, output.All);
        }

        [Fact]
        public void InProcessRunMatchesTheChildProcess()
        {
            // The same scenarios in the test process: a failure here shows the check's name
            // in the xunit output even when the child process cannot start.
            var output = new Lines();
            var runner = new SelfTestRunner(output);
            NanoMailGateway.SelfTest.Scenarios.RunAll(runner);
            Assert.True(runner.Finish(), string.Join(Environment.NewLine, output.All));
            Assert.True(runner.Passed >= ExpectedAtLeast, "only " + runner.Passed + " checks");
        }
    }
}
