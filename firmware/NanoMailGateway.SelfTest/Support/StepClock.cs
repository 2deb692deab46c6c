// IClock for the self-test and the tests: monotonic time that moves only when a check
// advances it, and a wall clock that moves with it, so that results do not depend on how
// slow the interpreter (or a loaded CI machine) is and retries run without sleeping.

using System;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Manually advanced clock. Thread-safe.</summary>
    public sealed class StepClock : IClock
    {
        // Far from 0, so that "never" and "long ago" stay apart from the start.
        private const long StartMs = 1000000;

        private readonly object _gate = new object();
        private readonly long _startTicks;
        private long _ms = StartMs;

        /// <summary>Starts at 2026-11-28 12:00:00 UTC.</summary>
        public StepClock() : this(new DateTime(2026, 11, 28, 12, 0, 0))
        {
        }

        /// <summary>Starts the wall clock at <paramref name="startUtc"/>.</summary>
        public StepClock(DateTime startUtc)
        {
            _startTicks = startUtc.Ticks;
        }

        /// <inheritdoc/>
        public long MonotonicMilliseconds { get { lock (_gate) { return _ms; } } }

        /// <inheritdoc/>
        public DateTime UtcNow
        {
            get { lock (_gate) { return new DateTime(_startTicks + (_ms - StartMs) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc); } }
        }

        /// <summary>Moves time forward by <paramref name="ms"/> milliseconds.</summary>
        public void Advance(long ms)
        {
            lock (_gate) { _ms += ms; }
        }

        /// <summary>Moves time forward by <paramref name="by"/> (whole milliseconds).</summary>
        public void Advance(TimeSpan by)
        {
            Advance(by.Ticks / TimeSpan.TicksPerMillisecond);
        }
    }
}
