// COMPILE-ONLY STAND-IN for nanoFramework.Runtime.Native 1.7.11 (assembly
// nanoFramework.Runtime.Native). Declares the members the board app uses, with the real
// package's signatures (from its public sources: GC, Power and Environment;
// ARCHITECTURE.md, Platform facts); every body throws. Never deployed.

namespace nanoFramework.Runtime.Native
{
    /// <summary>Stand-in: nanoFramework.Runtime.Native.GC.</summary>
    public static class GC
    {
        /// <summary>Runs the collector; returns the free managed heap in bytes.</summary>
        public static uint Run(bool compactHeap) => throw new System.NotImplementedException();
    }

    /// <summary>Stand-in: nanoFramework.Runtime.Native.RebootOption.</summary>
    [System.Flags]
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }

    /// <summary>Stand-in: nanoFramework.Runtime.Native.Power.</summary>
    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) => throw new System.NotImplementedException();

        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot) => throw new System.NotImplementedException();
    }
}

namespace System
{
    /// <summary>Stand-in: the Environment part that nanoFramework.Runtime.Native adds to namespace System.</summary>
    public static partial class Environment
    {
        /// <summary>Milliseconds since the system started (monotonic).</summary>
        public static long TickCount64 => throw new NotImplementedException();
    }
}
