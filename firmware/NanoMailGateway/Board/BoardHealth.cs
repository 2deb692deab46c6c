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
