// When to try a deferred recipient again, when to give up, when to warn the sender.
// Pure functions of times the caller passes in: monotonic milliseconds for the next
// attempt (survives no reboot but never jumps), UTC arrival time for expiry and the
// delay warning (survives reboots; the queue stores it).
//   delay(n) = min(retry_min * 2^(n-1), retry_max) + jitter in [0, delay * jitter%)
// Jitter only adds, so no retry comes sooner than retry_min (RFC 5321 §4.5.4.1).
// Expiry is RFC 3463 4.4.7 "delivery time expired", reported with Action: failed.

using System;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Backoff, expiry and delay-warning decisions. Thread-safe (no state besides options).</summary>
    public sealed class RetrySchedule
    {
        private readonly RetryOptions _options;
        private readonly IRandom _random;

        /// <summary>Creates the schedule.</summary>
        public RetrySchedule(RetryOptions options, IRandom random)
        {
            _options = options;
            _random = random;
        }

        /// <summary>
        /// Delay in ms before the next attempt after <paramref name="failedAttempts"/> failed
        /// attempts (1 after the first failure).
        /// </summary>
        public long NextDelayMs(int failedAttempts)
        {
            long delay = _options.RetryMinMs;
            if (delay < 1) delay = 1;
            for (int i = 1; i < failedAttempts && delay < _options.RetryMaxMs; i++) delay *= 2;
            if (delay > _options.RetryMaxMs) delay = _options.RetryMaxMs;
            long span = delay * _options.JitterPercent / 100;
            if (span > 0)
            {
                // IRandom.Next takes an int: draw the jitter in seconds when the span is large.
                delay += span <= int.MaxValue ? _random.Next((int)span) : (long)_random.Next((int)(span / 1000)) * 1000;
            }
            return delay;
        }

        /// <summary>Monotonic time of the next attempt.</summary>
        public long NextAttemptAt(long nowMonotonicMs, int failedAttempts)
        {
            return nowMonotonicMs + NextDelayMs(failedAttempts);
        }

        /// <summary>True when a message that arrived at <paramref name="arrivalUtc"/> has outlived queue_lifetime.</summary>
        public bool IsExpired(DateTime arrivalUtc, DateTime nowUtc)
        {
            return (nowUtc.Ticks - arrivalUtc.Ticks) / TimeSpan.TicksPerMillisecond >= _options.QueueLifetimeMs;
        }

        /// <summary>When the queue gives up on the message (RFC 3464 §2.3.9 Will-Retry-Until).</summary>
        public DateTime GiveUpTime(DateTime arrivalUtc)
        {
            return new DateTime(arrivalUtc.Ticks + _options.QueueLifetimeMs * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        }

        /// <summary>True when the one delay notice is due: delay_warning is on, has passed, and
        /// none was sent yet (the queue records that it was).</summary>
        public bool IsDelayWarningDue(DateTime arrivalUtc, DateTime nowUtc, bool alreadyWarned)
        {
            if (alreadyWarned || _options.DelayWarningMs <= 0) return false;
            return (nowUtc.Ticks - arrivalUtc.Ticks) / TimeSpan.TicksPerMillisecond >= _options.DelayWarningMs;
        }

        /// <summary>
        /// The final status of a recipient whose lifetime ran out: permanent, 4.4.7
        /// (RFC 3463: delivery time expired), decided locally; the text carries the last reason.
        /// </summary>
        public static DeliveryStatus Expired(DeliveryStatus? lastAttempt)
        {
            string reason = "delivery time expired";
            if (lastAttempt != null) reason += " (last attempt: " + lastAttempt.Describe() + ")";
            return DeliveryStatus.LocalPermanent("4.4.7", reason);
        }
    }
}
