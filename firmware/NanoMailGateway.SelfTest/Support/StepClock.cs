// IClock for the self-test: monotonic time that moves only when a check advances it, and
// a fixed wall clock, so that results do not depend on how slow the interpreter is.

using System;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Manually advanced clock. Thread-safe.</summary>
    public sealed class StepClock : IClock
    {
        private readonly object _gate = new object();
        private long _ms = 1000;

        /// <inheritdoc/>
        public long MonotonicMilliseconds { get { lock (_gate) { return _ms; } } }

        /// <inheritdoc/>
        public DateTime UtcNow { get { lock (_gate) { return new DateTime(2026, 1, 2, 3, 4, 5).AddMilliseconds(_ms); } } }

        /// <summary>Moves time forward by <paramref name="ms"/> milliseconds.</summary>
        public void Advance(long ms)
        {
            lock (_gate) { _ms += ms; }
        }
    }
}
