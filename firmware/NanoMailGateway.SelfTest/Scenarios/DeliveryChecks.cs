// Scenario: the retry schedule of delivery (Core/Delivery): the first retry no sooner
// than retry_min (RFC 5321 §4.5.4.1: at least 30 minutes), doubling up to retry_max,
// jitter that only adds and stays within its share; expiry after queue_lifetime with the
// permanent status 4.4.7 (RFC 3463: delivery time expired); one delay warning.

using System;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Retry schedule checks.</summary>
    public static class DeliveryChecks
    {
        private const long Minute = 60L * 1000;

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("delivery.retry-backoff", new Check(RetryBackoff));
            r.Run("delivery.expiry-4.4.7", new Check(Expiry));
            r.Run("delivery.delay-warning-once", new Check(DelayWarningOnce));
        }

        private static void RetryBackoff()
        {
            RetryOptions o = new RetryOptions();
            Expect.Equal(30 * Minute, o.RetryMinMs, "default retry_min (RFC 5321 §4.5.4.1)");
            RetrySchedule s = new RetrySchedule(o, new CountingRandom());
            long[] bases = new long[] { 30 * Minute, 60 * Minute, 120 * Minute, 240 * Minute, 240 * Minute, 240 * Minute };
            for (int n = 1; n <= bases.Length; n++)
            {
                for (int k = 0; k < 8; k++)
                {
                    long d = s.NextDelayMs(n);
                    long low = bases[n - 1];
                    long high = low + low * o.JitterPercent / 100;
                    // Texts only on failure: this loop runs 48 times on a small heap.
                    if (d < low || d > high)
                    {
                        Expect.Fail("delay after " + n.ToString() + " failures: " + d.ToString() + " ms outside " + low.ToString() + ".." + high.ToString());
                    }
                }
            }
            Expect.True(s.NextAttemptAt(1000, 1) >= 1000 + 30 * Minute, "next attempt time");
        }

        private static void Expiry()
        {
            RetrySchedule s = new RetrySchedule(new RetryOptions(), new CountingRandom());
            DateTime arrival = new DateTime(2026, 11, 1, 12, 0, 0);
            Expect.True(!s.IsExpired(arrival, arrival.AddDays(4).AddHours(23)), "not expired before 5 days");
            Expect.True(s.IsExpired(arrival, arrival.AddDays(5)), "expired after 5 days");
            Expect.True(s.GiveUpTime(arrival).Ticks == arrival.AddDays(5).Ticks, "give-up time");
            DeliveryStatus last = DeliveryStatus.LocalTransient("4.4.1", "connect to mx.example.net[192.0.2.25]:25: Connection refused");
            DeliveryStatus e = RetrySchedule.Expired(last);
            Expect.True(e.Outcome == DeliveryOutcome.Permanent, "expiry is permanent");
            Expect.Equal("4.4.7", e.EnhancedCode, "enhanced code");
            Expect.Contains("Connection refused", e.Text, "the last reason is kept");
        }

        private static void DelayWarningOnce()
        {
            RetrySchedule s = new RetrySchedule(new RetryOptions(), new CountingRandom());
            DateTime arrival = new DateTime(2026, 11, 1, 12, 0, 0);
            Expect.True(!s.IsDelayWarningDue(arrival, arrival.AddHours(3), false), "not before delay_warning");
            Expect.True(s.IsDelayWarningDue(arrival, arrival.AddHours(4), false), "due after delay_warning");
            Expect.True(!s.IsDelayWarningDue(arrival, arrival.AddHours(5), true), "only once");
            RetryOptions off = new RetryOptions();
            off.DelayWarningMs = 0;
            Expect.True(!new RetrySchedule(off, new CountingRandom()).IsDelayWarningDue(arrival, arrival.AddDays(2), false), "delay_warning = 0 turns it off");
        }
    }
}
