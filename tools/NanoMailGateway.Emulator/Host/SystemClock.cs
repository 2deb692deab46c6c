// IClock on the host: Stopwatch for monotonic milliseconds (never jumps when NTP sets the
// wall clock) and DateTime.UtcNow for wall time.

using System;
using System.Diagnostics;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>The host's clocks. Thread-safe.</summary>
    public sealed class SystemClock : IClock
    {
        private readonly long _start = Stopwatch.GetTimestamp();

        public long MonotonicMilliseconds => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

        public DateTime UtcNow => DateTime.UtcNow;
    }
}
