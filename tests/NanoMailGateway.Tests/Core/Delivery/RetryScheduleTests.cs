using System;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class RetryScheduleTests
    {
        private static readonly RetryOptions Opts = new RetryOptions
        {
            RetryMinMs = 60_000,
            RetryMaxMs = 600_000,
            JitterPercent = 20,
            QueueLifetimeMs = 5L * 24 * 3600 * 1000,
            DelayWarningMs = 4L * 3600 * 1000,
        };

        [Theory]
        [InlineData(1, 60_000)]
        [InlineData(2, 120_000)]
        [InlineData(3, 240_000)]
        [InlineData(4, 480_000)]
        [InlineData(5, 600_000)]
        [InlineData(50, 600_000)]
        [InlineData(int.MaxValue, 600_000)]
        public void DoublesUpToTheMaximumWithAddedJitter(int failures, long baseDelay)
        {
            var s = new RetrySchedule(Opts, new CountingRandom(failures));
            long min = long.MaxValue, max = 0;
            for (int i = 0; i < 200; i++)
            {
                long d = s.NextDelayMs(failures);
                min = Math.Min(min, d);
                max = Math.Max(max, d);
            }
            Assert.True(min >= baseDelay, "never sooner than the base delay");
            Assert.True(max < baseDelay + baseDelay / 5, "jitter stays under 20%");
            Assert.True(max > min, "jitter spreads the retries");
        }

        [Fact]
        public void NoJitterGivesExactDelaysAndNextAttemptAddsToNow()
        {
            var s = new RetrySchedule(new RetryOptions { RetryMinMs = 1000, RetryMaxMs = 8000, JitterPercent = 0 }, new CountingRandom(1));
            Assert.Equal(1000, s.NextDelayMs(0));
            Assert.Equal(4000, s.NextDelayMs(3));
            Assert.Equal(5000 + 8000, s.NextAttemptAt(5000, 10));
        }

        [Fact]
        public void LargeDelaysStillGetJitter()
        {
            var s = new RetrySchedule(new RetryOptions { RetryMinMs = 30L * 24 * 3600 * 1000, RetryMaxMs = 60L * 24 * 3600 * 1000, JitterPercent = 50 }, new CountingRandom(3));
            long d = s.NextDelayMs(2);
            Assert.InRange(d, 60L * 24 * 3600 * 1000, 90L * 24 * 3600 * 1000);
        }

        [Fact]
        public void ExpiresAfterTheLifetimeWith447()
        {
            var s = new RetrySchedule(Opts, new CountingRandom(1));
            var arrival = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
            Assert.False(s.IsExpired(arrival, arrival.AddDays(5).AddSeconds(-1)));
            Assert.True(s.IsExpired(arrival, arrival.AddDays(5)));
            Assert.Equal(arrival.AddDays(5), s.GiveUpTime(arrival));
            var last = new DeliveryStatus(DeliveryOutcome.Transient, 451, "4.3.0", "try later");
            DeliveryStatus expired = RetrySchedule.Expired(last);
            Assert.Equal(DeliveryOutcome.Permanent, expired.Outcome);
            Assert.Equal("4.4.7", expired.EnhancedCode);
            Assert.Contains("451 4.3.0 try later", expired.Text);
            Assert.Equal("4.4.7", RetrySchedule.Expired(null).EnhancedCode);
        }

        [Fact]
        public void DelayWarningOnceAfterTheDelay()
        {
            var s = new RetrySchedule(Opts, new CountingRandom(1));
            var arrival = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
            Assert.False(s.IsDelayWarningDue(arrival, arrival.AddHours(3), false));
            Assert.True(s.IsDelayWarningDue(arrival, arrival.AddHours(4), false));
            Assert.False(s.IsDelayWarningDue(arrival, arrival.AddHours(5), true));
            var off = new RetrySchedule(new RetryOptions { DelayWarningMs = 0 }, new CountingRandom(1));
            Assert.False(off.IsDelayWarningDue(arrival, arrival.AddDays(4), false));
        }
    }
}
