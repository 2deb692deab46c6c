// The board's clock, random source and log formatter (shared sources, see
// firmware/NanoMailGateway/Adapters).

using System;
using System.Threading;
using NanoMailGateway.Board.Adapters;
using Xunit;

namespace NanoMailGateway.Tests.Board.Adapters
{
    public class NanoClockRandomLogTests
    {
        [Fact]
        public void MonotonicClockAdvancesWithRealTimeAndWallClockIsUtcNow()
        {
            var clock = new NanoClock();
            long a = clock.MonotonicMilliseconds;
            Thread.Sleep(50);
            long b = clock.MonotonicMilliseconds;
            Assert.InRange(b - a, 40, 5000);
            Assert.InRange((clock.UtcNow - DateTime.UtcNow).Duration().TotalSeconds, 0, 2);
            Assert.Equal(DateTimeKind.Utc, clock.UtcNow.Kind);
        }

        [Fact]
        public void RandomStaysInRangeAndFillsOnlyTheRange()
        {
            var r = new NanoRandom();
            var seen = new bool[8];
            for (int i = 0; i < 2000; i++)
            {
                int v = r.Next(8);
                Assert.InRange(v, 0, 7);
                seen[v] = true;
            }
            Assert.All(seen, Assert.True);
            var buf = new byte[64];
            r.NextBytes(buf, 8, 48);
            for (int i = 0; i < 8; i++) Assert.Equal(0, buf[i]);
            for (int i = 56; i < 64; i++) Assert.Equal(0, buf[i]);
            int nonZero = 0;
            for (int i = 8; i < 56; i++) if (buf[i] != 0) nonZero++;
            Assert.True(nonZero > 30, "48 random bytes with only " + nonZero + " non-zero");
        }

        [Theory]
        [InlineData(2026, 11, 28, 14, 5, 31, "Nov 28 14:05:31 gw1 nmg/smtpd[3]: 4F2A01: from=<a@b>")]
        [InlineData(2000, 1, 1, 0, 0, 0, "Jan  1 00:00:00 gw1 nmg/smtpd[3]: 4F2A01: from=<a@b>")]
        [InlineData(2026, 12, 9, 23, 59, 9, "Dec  9 23:59:09 gw1 nmg/smtpd[3]: 4F2A01: from=<a@b>")]
        public void LogLinesArePostfixStyle(int y, int mo, int d, int h, int mi, int s, string expected)
        {
            var t = new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc);
            Assert.Equal(expected, NanoLog.FormatLine(t, "gw1", "smtpd", 3, "4F2A01: from=<a@b>"));
        }

        [Fact]
        public void LogWritesOneLineToTheConsole()
        {
            var old = Console.Out;
            var sw = new System.IO.StringWriter();
            // Console is process-wide: keep the swap short and restore it whatever happens.
            lock (typeof(Console))
            {
                Console.SetOut(sw);
                try
                {
                    new NanoLog("gw1").Write("board", 0, "started");
                }
                finally
                {
                    Console.SetOut(old);
                }
            }
            string line = sw.ToString();
            Assert.EndsWith(" gw1 nmg/board[0]: started" + Environment.NewLine, line);
        }
    }
}
