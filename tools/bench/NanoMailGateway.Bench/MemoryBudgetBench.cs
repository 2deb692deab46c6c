// Memory budget per board: the managed-heap bytes the gateway takes at start (buffer pool,
// session threads, DNS cache, queue index, configuration and runtime base) against the
// board's heap (boards/*.conf heap_bytes), with the share left free. The board app must
// leave at least a third of the heap free on boards without PSRAM (esp32-wroom-32,
// esp32-c3): that is what transient objects (strings kept per message, exceptions, TLS
// glue, the Wi-Fi helper) and GC fragmentation live in.
// Sizes are nanoFramework's, computed, not measured on the host (the host's object
// layout differs): a heap block is 12 bytes, an object at least 2 blocks (24 B), an
// array a 24-byte header plus its data rounded up to a block (ARCHITECTURE.md, Platform facts).
// Per-entry and per-thread figures marked "allowance" are budget numbers, to be replaced
// by measurements on a board (nanoFramework.Runtime.Native.GC.Run before/after).
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

        /// <summary>Allowance per thread (thread object, its first stack frames, the session object).</summary>
        public const int ThreadAllowance = 1024;

        /// <summary>Threads besides sessions: main (watch loop), one per listener, the queue runner.</summary>
        public const int FixedThreads = 2;

        /// <summary>Allowance per cached MX answer: domain string, an MxResult with two hosts of one address.</summary>
        public const int DnsEntryAllowance = 256;

        /// <summary>Allowance per queue index entry: queue id, envelope sender, per-recipient states.</summary>
        public const int QueueEntryAllowance = 192;

        /// <summary>Allowance for GatewayConfig, accounts, static tables and protocol literals.</summary>
        public const int BaseAllowance = 6 * 1024;

        /// <summary>Bytes a byte[n] takes on the board.</summary>
        public static int ArrayBytes(int dataBytes)
        {
            return ArrayHeader + (dataBytes + Block - 1) / Block * Block;
        }

        public static void Run(string[] args)
        {
            Console.WriteLine("| board | heap | pool | threads | dns cache | queue index | base | total | free | free/heap |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (string board in ConfigLoader.KnownBoards())
            {
                byte[] data = File.ReadAllBytes(Path.Combine(ConfigLoader.BoardsDirectory, board + ".conf"));
                var c = new GatewayConfig();
                ConfigError? err = ConfigParser.Parse(data, 0, data.Length, board, c, true);
                if (err != null) throw new InvalidOperationException(err.ToString());
                BoardProfile b = c.Board;
                // BufferPool: the buffers, plus its two byte[][] tables (all and free).
                long pool = (long)b.BufferCount * ArrayBytes(b.BufferSize) + 2 * ArrayBytes(4 * b.BufferCount);
                int listeners = c.SmtpListen.Length + c.Pop3Listen.Length;
                long threads = (long)(b.TotalSessions + listeners + FixedThreads) * ThreadAllowance;
                long dns = (long)b.DnsCacheEntries * DnsEntryAllowance + 4 * ArrayBytes(8 * b.DnsCacheEntries);
                long queue = (long)b.QueueMaxMessages * QueueEntryAllowance;
                long total = pool + threads + dns + queue + BaseAllowance;
                long free = b.HeapBytes - total;
                double share = 100.0 * free / b.HeapBytes;
                Console.WriteLine("| " + board + " | " + b.HeapBytes + " | " + pool + " | " + threads + " | " + dns + " | " + queue
                    + " | " + BaseAllowance + " | " + total + " | " + free + " | "
                    + share.ToString("F0", CultureInfo.InvariantCulture) + "%" + (share >= 100.0 / 3 ? "" : " (below 1/3!)") + " |");
            }
            Console.WriteLine();
            Console.WriteLine("pool = buffer_count x (24 + buffer_size rounded to 12) + 2 tables; threads = (sessions + listeners + "
                + FixedThreads + ") x " + ThreadAllowance + " B; dns = entries x " + DnsEntryAllowance + " B + 4 arrays; queue = entries x "
                + QueueEntryAllowance + " B; base = " + BaseAllowance + " B.");
            Console.WriteLine("TLS buffers (~33 KB per session, mbedTLS) are native memory, outside this heap; tls_server = no on boards without PSRAM.");
        }
    }
}
