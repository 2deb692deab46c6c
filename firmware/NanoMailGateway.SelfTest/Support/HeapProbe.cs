// Measures the free managed heap the only way nanoFramework's mscorlib allows: it has no
// GC counters (nanoFramework.Runtime.Native's GC.Run is another package, not deployed
// with the self-test), so the probe allocates byte arrays, largest first, until the
// runtime throws OutOfMemoryException (it collects and compacts before it gives up),
// adds up what it got and lets it all go again. Printed at the start and the end of a
// run: the heap the checks have after the assemblies are loaded, and whether the checks
// left anything behind (README, On-device self-test).
// The figure is a lower bound: each chunk and its chain link cost a few heap blocks
// more than their payload (12-byte blocks on the ESP32), about 50 bytes per chunk.
// The ceiling keeps the host (gigabytes of heap) and PSRAM boards from probing for long.

using System;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Free-heap probe by allocation. One thread; nothing else may allocate meanwhile.</summary>
    public static class HeapProbe
    {
        /// <summary>Most bytes the probe takes before it stops: more than any board without PSRAM has.</summary>
        public const int Ceiling = 512 * 1024;

        // Chunk sizes 4096, 1024, 256, 64, 16: largest first, so that few chunks (and few
        // links) cover the heap; the smallest leaves less than a heap block or two
        // unmeasured. A loop rather than a static int[], which would itself be heap from
        // boot on nanoCLR (ARCHITECTURE.md, Memory).
        private const int LargestChunk = 4096;
        private const int SmallestChunk = 16;

        /// <summary>
        /// Makes the runtime collect and compact the heap, as the board app does with
        /// nanoFramework.Runtime.Native.GC.Run(true) once the gateway has started (that
        /// package is not deployed with the self-test): an array larger than any board's heap
        /// cannot be had, and nanoCLR compacts before it gives up on an array.
        /// </summary>
        public static void Compact()
        {
            try
            {
                byte[] never = new byte[Ceiling];
                never[0] = 1;
            }
            catch (OutOfMemoryException)
            {
            }
        }

        /// <summary>Payload bytes the heap could still hand out, up to <see cref="Ceiling"/>.</summary>
        public static int FreeBytes()
        {
            object?[]? chain = null;   // { byte[] chunk, object[] previous link }
            int total = 0;
            try
            {
                for (int size = LargestChunk; size >= SmallestChunk && total < Ceiling; size /= 4)
                {
                    while (total < Ceiling)
                    {
                        object?[] link;
                        try
                        {
                            link = new object?[2];
                            link[0] = new byte[size];
                        }
                        catch (OutOfMemoryException)
                        {
                            break;
                        }
                        link[1] = chain;
                        chain = link;
                        total += size;
                    }
                }
            }
            finally
            {
                chain = null;
            }
            return total;
        }

        /// <summary>The line the runner prints: "heap free at NAME: N bytes" (or "over N" at the ceiling).</summary>
        public static string Describe(string when, int free)
        {
            return "heap free at " + when + ": " + (free >= Ceiling ? "over " : "") + free.ToString() + " bytes";
        }
    }
}
