// Memory budget per board: the managed-heap bytes the gateway takes at start (the loaded
// Core libraries, buffer pool, session threads, DNS cache, queue index, configuration) against the
// board's heap (boards/*.conf heap_bytes), with the share left free. The board app must
// leave at least a third of the heap free on boards without PSRAM (esp32-wroom-32,
// esp32-c3): that is what transient objects (strings kept per message, exceptions, TLS
// glue, the Wi-Fi helper) and GC fragmentation live in.
// Sizes are nanoFramework's, computed, not measured on the host (the host's object
// layout differs): a heap block is 12 bytes, an object at least 2 blocks (24 B), an
// array a 24-byte header plus its data rounded up to a block (ARCHITECTURE.md, Platform facts).
// Measured on nanoCLR (nf-interpreter's targets/posix, 32-bit, so 12-byte heap blocks as
// on an ESP32): the eight gateway libraries take CodeMeasured bytes of heap once loaded
// (the runtime's type and member tables, as it reports them per assembly at load: they
// keep no static data; about 11.5 KB are needed while they load), and, with a probe that
// fills the free heap with fixed-size arrays, a parked thread
// 1,017 B, an 8 x 1 KB pool 9,000 B (this bench computes 8,568). Figures still marked
// "allowance" are budget numbers; the board app's own assembly and the nanoFramework
// packages it loads (System.Net, System.IO.FileSystem, Wi-Fi) are not counted: the
// interpreter built here has none of them.
// `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- memory`

using System;
using System.Globalization;
using System.IO;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Emulator.Gateway;

namespace NanoMailGateway.Bench
{
    public static class MemoryBudgetBench
    {
        /// <summary>nanoFramework heap block.</summary>
        public const int Block = 12;

        /// <summary>Array header: two blocks.</summary>
        public const int ArrayHeader = 2 * Block;

        /// <summary>Heap the eight gateway libraries take once loaded, measured on nanoCLR (see the header).</summary>
        public const int CodeMeasured = 10156;

        /// <summary>Per thread (thread object, its first stack frames, the session object); a parked thread measured 1,017 B.</summary>
        public const int ThreadAllowance = 1024;

        /// <summary>Threads besides sessions: main (watch loop), the one accept thread (AcceptLoop, all listeners), the queue runner.</summary>
        public const int FixedThreads = 3;

        /// <summary>Allowance per cached MX answer: domain string, an MxResult with two hosts of one address.</summary>
        public const int DnsEntryAllowance = 256;

        /// <summary>Allowance per queue index entry: queue id, envelope sender, per-recipient states.</summary>
        public const int QueueEntryAllowance = 192;

        /// <summary>Allowance for GatewayConfig and accounts (static tables and literals are in <see cref="CodeMeasured"/>).</summary>
        public const int BaseAllowance = 3 * 1024;

        /// <summary>Bytes a byte[n] takes on the board.</summary>
        public static int ArrayBytes(int dataBytes)
        {
            return ArrayHeader + (dataBytes + Block - 1) / Block * Block;
        }

        public static void Run(string[] args)
        {
            Console.WriteLine("| board | heap | code | pool | threads | dns cache | queue index | config | total | free | free/heap |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (string board in ConfigLoader.KnownBoards())
            {
                byte[] data = File.ReadAllBytes(Path.Combine(ConfigLoader.BoardsDirectory, board + ".conf"));
                var c = new GatewayConfig();
                ConfigError? err = ConfigParser.Parse(data, 0, data.Length, board, c, true);
                if (err != null) throw new InvalidOperationException(err.ToString());
                BoardProfile b = c.Board;
                // BufferPool: the buffers, plus its two byte[][] tables (all and free).
                long pool = (long)b.BufferCount * ArrayBytes(b.BufferSize) + 2 * ArrayBytes(4 * b.BufferCount);
                long threads = (long)(b.TotalSessions + FixedThreads) * ThreadAllowance;
                long dns = (long)b.DnsCacheEntries * DnsEntryAllowance + 4 * ArrayBytes(8 * b.DnsCacheEntries);
                // The index holds outbound entries and, beside them, the mailboxes' own (README, Capacity).
                long queue = (long)(b.QueueMaxMessages + b.MailboxMaxMessages) * QueueEntryAllowance;
                long total = CodeMeasured + pool + threads + dns + queue + BaseAllowance;
                long free = b.HeapBytes - total;
                double share = 100.0 * free / b.HeapBytes;
                Console.WriteLine("| " + board + " | " + b.HeapBytes + " | " + CodeMeasured + " | " + pool + " | " + threads + " | " + dns + " | " + queue
                    + " | " + BaseAllowance + " | " + total + " | " + free + " | "
                    + share.ToString("F0", CultureInfo.InvariantCulture) + "%" + (share >= 100.0 / 3 ? "" : " (below 1/3!)") + " |");
            }
            Console.WriteLine();
            Console.WriteLine("code = the eight gateway libraries once loaded, measured on nanoCLR; pool = buffer_count x (24 + buffer_size rounded to 12) + 2 tables; threads = (sessions + "
                + FixedThreads + ") x " + ThreadAllowance + " B; dns = entries x " + DnsEntryAllowance + " B + 4 arrays; queue = (queue_max_messages + mailbox_max_messages) x "
                + QueueEntryAllowance + " B; config = " + BaseAllowance + " B. Not counted: the board app's assembly and the nanoFramework packages it loads.");
            Console.WriteLine("TLS buffers (~33 KB per session, mbedTLS) are native memory, outside this heap; tls_server = no on boards without PSRAM.");
        }
    }
}
