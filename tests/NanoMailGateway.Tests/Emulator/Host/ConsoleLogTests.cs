using System;
using System.IO;
using System.Threading;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public class ConsoleLogTests
    {
        [Theory]
        [InlineData(2026, 11, 28, "Nov 28 13:48:13 gw.example nmg/smtpd[3]: 4F2A1C: from=<a@b>")]
        [InlineData(2026, 3, 5, "Mar  5 13:48:13 gw.example nmg/smtpd[3]: 4F2A1C: from=<a@b>")]
        public void FormatsPostfixStyle(int y, int m, int d, string expected)
        {
            var t = new DateTime(y, m, d, 13, 48, 13, DateTimeKind.Utc);
            Assert.Equal(expected, ConsoleLog.Format(t, "gw.example", "smtpd", 3, "4F2A1C: from=<a@b>"));
        }

        [Fact]
        public void WritesWholeLinesFromManyThreads()
        {
            var w = new StringWriter();
            var log = new ConsoleLog("gw.example", new StepClock(), w);
            const int threads = 8, perThread = 200;
            var all = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int id = t;
                all[t] = new Thread(() =>
                {
                    for (int i = 0; i < perThread; i++) log.Write("smtpd", id, "line " + i + " " + new string('x', 100));
                });
                all[t].Start();
            }
            foreach (Thread t in all) t.Join();
            string[] lines = w.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(threads * perThread, lines.Length);
            foreach (string l in lines)
            {
                Assert.Matches(@"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d gw\.example nmg/smtpd\[\d\]: line \d+ x{100}$", l);
            }
        }

        [Fact]
        public void NeverThrowsOnAClosedWriter()
        {
            var w = new StringWriter();
            w.Dispose();
            var log = new ConsoleLog("gw.example", new StepClock(), w);
            log.Write("smtpd", 1, "still alive");
        }
    }
}
