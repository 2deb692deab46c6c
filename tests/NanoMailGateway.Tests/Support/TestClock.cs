// An IClock that tests move by hand, so retries and timeouts run without sleeping.

using System;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Tests.Support
{
    public sealed class TestClock : IClock
    {
        private long _ms;
        private long _utcTicks;

        public TestClock(DateTime startUtc)
        {
            _utcTicks = startUtc.Ticks;
            _ms = 1_000_000;
        }

        public TestClock() : this(new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc)) { }

        public long MonotonicMilliseconds => Interlocked.Read(ref _ms);

        public DateTime UtcNow => new DateTime(Interlocked.Read(ref _utcTicks), DateTimeKind.Utc);

        public void Advance(TimeSpan by)
        {
            Interlocked.Add(ref _ms, (long)by.TotalMilliseconds);
            Interlocked.Add(ref _utcTicks, by.Ticks);
        }
    }
}
