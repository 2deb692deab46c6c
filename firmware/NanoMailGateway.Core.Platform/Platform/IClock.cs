// Time, behind a seam so that tests can drive retries and timeouts without sleeping.
// Two clocks because they answer different questions: monotonic milliseconds for
// deadlines and backoff (never jumps when SNTP sets the wall clock on the board),
// UTC wall time for Date:, Received: and arrival times that survive a restart.

using System;

namespace NanoMailGateway.Core.Platform
{
    /// <summary>Time source. Thread-safe.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary start; never goes backwards.</summary>
        long MonotonicMilliseconds { get; }

        /// <summary>Current UTC wall-clock time (may jump when the board syncs SNTP).</summary>
        DateTime UtcNow { get; }
    }
}
