// Board housekeeping that only nanoFramework has: free managed heap after a collection
// (nanoFramework.Runtime.Native.GC.Run) and a clean reboot (Power.RebootDevice). There is
// no managed watchdog on the ESP32 (ARCHITECTURE.md, Platform facts), so the board app reboots
// itself when it cannot go on: Wi-Fi down for too long, or the storage failing.
// Board-only.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Device
{
    /// <summary>Heap report and reboot. Static (one board).</summary>
    public static class BoardHealth
    {
        /// <summary>Collects garbage (without compaction, which pauses longer) and returns the free managed heap in bytes.</summary>
        public static uint FreeHeap()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }

        /// <summary>
        /// Collects and compacts the heap, returning the free bytes. Called once the gateway
        /// has started: start-up leaves the config text, the recovery scan's garbage and
        /// the threads' first frames scattered over the heap, and nanoCLR compacts on its own
        /// only after an array allocation failed, so a later call frame (heap on nanoCLR) can
        /// fail with kilobytes free in small holes (README, Supported boards).
        /// </summary>
        public static uint Compact()
        {
            return nanoFramework.Runtime.Native.GC.Run(true);
        }

        /// <summary>Logs why, then reboots. Does not return.</summary>
        public static void Reboot(ILog log, string reason)
        {
            log.Write("board", 0, "rebooting: " + reason);
            // Let the line leave the serial port before the reset cuts it.
            System.Threading.Thread.Sleep(500);
            nanoFramework.Runtime.Native.Power.RebootDevice();
        }
    }
}
