// IClock for the board (shared board/host source). Monotonic time is
// System.Environment.TickCount64: milliseconds since boot, which on nanoFramework lives in
// the nanoFramework.Runtime.Native package (mscorlib 1.17 has no Environment) and on .NET
// in the BCL, so one line serves both. It never jumps when SNTP sets the wall clock, which
// DateTime.UtcNow.Ticks would (the board boots at 1 Jan 2000 until SNTP answers).
// Wall time is DateTime.UtcNow, valid once WifiNetworkHelper returned with
// requiresDateTime: true (Program waits for that before starting the gateway).

using System;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>Board clock. Thread-safe.</summary>
    public sealed class NanoClock : NanoMailGateway.Core.Platform.IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public DateTime UtcNow => DateTime.UtcNow;
    }
}
