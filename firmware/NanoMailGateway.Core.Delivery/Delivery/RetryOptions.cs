// Retry settings (retry_min, retry_max, queue_lifetime, delay_warning).
// Defaults: RFC 5321 §4.5.4.1 asks for at least 30 minutes between retries and a
// give-up time of at least 4-5 days.

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Retry and expiry settings. Set before the schedule is made.</summary>
    public sealed class RetryOptions
    {
        /// <summary>First retry delay, ms (retry_min). Default 30 min (RFC 5321 §4.5.4.1).</summary>
        public long RetryMinMs { get; set; } = 30L * 60 * 1000;

        /// <summary>Largest retry delay before jitter, ms (retry_max). Default 4 h.</summary>
        public long RetryMaxMs { get; set; } = 4L * 60 * 60 * 1000;

        /// <summary>Jitter added to each delay, as a percentage of it (0..100). Default 20:
        /// spreads retries so that many messages for one dead host do not come back together.</summary>
        public int JitterPercent { get; set; } = 20;

        /// <summary>Give up after this long in the queue, ms (queue_lifetime). Default 5 days (RFC 5321 §4.5.4.1).</summary>
        public long QueueLifetimeMs { get; set; } = 5L * 24 * 60 * 60 * 1000;

        /// <summary>Send one "delayed" notice after this long, ms (delay_warning); 0 = never. Default 4 h.</summary>
        public long DelayWarningMs { get; set; } = 4L * 60 * 60 * 1000;
    }
}
