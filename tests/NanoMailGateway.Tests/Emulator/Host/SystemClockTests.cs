using System;
using System.Threading;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public class SystemClockTests
    {
        [Fact]
        public void MonotonicAdvancesAndUtcIsNow()
        {
            var c = new SystemClock();
            long a = c.MonotonicMilliseconds;
            Thread.Sleep(50);
            long b = c.MonotonicMilliseconds;
            Assert.InRange(b - a, 45, 5000);
            Assert.Equal(DateTimeKind.Utc, c.UtcNow.Kind);
            Assert.InRange((DateTime.UtcNow - c.UtcNow).Duration().TotalSeconds, 0, 5);
        }
    }
}
