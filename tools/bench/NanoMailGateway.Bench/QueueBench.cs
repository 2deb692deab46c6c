// Queue benchmark: what the flash queue costs per message, on the storage
// simulator with the board's block accounting.
//   WA        flash bytes appended / message bytes accepted, including data record
//             headers, commit and status records, removals, and cleaning copies
//   cleaning  the part of WA that cleaning appended (copied pieces, new Commit records,
//             Remove records carried forward), and segments it cleaned per message
//   writes    appends (each one write to the medium; the ESP32 driver flushes on every
//             Write) per message, and syncs per message (on the board's LittleFS each is a
//             close of the segment file)
//   LittleFS  what the syncs cost there (FlashSimulator's model of its copy-on-write):
//             4 KiB blocks erased (written or rewritten) per message, and WA with the
//             partial blocks LittleFS copies at the first append after each sync
//   alloc     managed bytes allocated per message: accept (Begin, Write, Commit) and
//             delivery (read it all through a 1 KB buffer, status, remove)
//   recovery  time to open (recover) the store when it is full to the fill level
// Steady state: the queue is kept at the fill level (share of capacity minus reserve,
// which new mail may not use): one message in, one out. Two delivery orders:
//  - outages (the realistic one): 8 destinations, one of them down at a time for twice
//    the time the queue takes to turn over, in turn; the queue runner delivers the oldest
//    message whose destination is up, and retries the held ones with growing backoff
//    (a Deferred status each time), so held messages stay while later ones leave;
//  - random: each new message pushes out a random older one (the worst case for any
//    cleaner: nothing about age tells what stays).
// Counted after a warm-up of a quarter of the run. 1 KB and 16 KB use a 192 KB store
// (4 MB board); 256 KB needs more than a 192 KB store can take and runs on 2 MB (8 MB
// board). Segment 16 KB, write unit 2 KB.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.Bench
{
    internal static class QueueBench
    {
        public static void Run(string[] args)
        {
            foreach (bool outages in new[] { true, false })
            {
                Console.WriteLine("Queue on the flash simulator, deliveries " + (outages ? "with destinations down in turn (one of 8 for two queue turnovers)" : "in random order")
                    + " (segment 16 KB, write unit 2 KB, reserve 48 KB; fill = share of capacity - reserve)");
                Console.WriteLine();
                Console.WriteLine("| message | store  | fill | msgs | WA    | of it cleaning | victims/msg      | writes/msg | syncs/msg | erased blocks/msg | WA with copies | alloc accept B/msg | alloc deliver B/msg | recovery ms |");
                Console.WriteLine("|---------|--------|------|------|-------|----------------|------------------|------------|-----------|-------------------|----------------|--------------------|---------------------|-------------|");
                foreach (int size in new[] { 1024, 16 * 1024, 256 * 1024 })
                {
                    long capacity = size > 64 * 1024 ? 2048 * 1024 : 192 * 1024;
                    foreach (int fill in new[] { 50, 90 }) Row(size, capacity, fill, outages);
                }
                Console.WriteLine();
            }
            Flushes();
            Console.WriteLine();
            GroupCommit();
        }

        /// <summary>
        /// Medium operations per message, accepted then delivered (status buffered, removal
        /// synced, dead segments deleted), one message after another on an 8 MB store: what
        /// a power cut can cost and what the board's LittleFS pays (each sync is a close).
        /// </summary>
        private static void Flushes()
        {
            Console.WriteLine("Medium operations per message (8 MB store, segment 16 KB, write unit 2 KB)");
            Console.WriteLine();
            Console.WriteLine("| message | syncs to accept | writes to accept | files created | files opened to read | syncs to deliver | writes to deliver | files deleted |");
            Console.WriteLine("|---------|-----------------|------------------|---------------|----------------------|------------------|-------------------|---------------|");
            foreach (int size in new[] { 1024, 64 * 1024, 1024 * 1024 })
            {
                const long capacity = 8L * 1024 * 1024;
                var options = new QueueOptions(capacity, 16384, 2048, 3 * 16384, 512, 4);
                var files = new CountingFiles(new FlashSimulator(capacity, 1));
                var clock = new Clock();
                var store = MessageStore.Open(files, options, clock);
                byte[] body = new byte[size];
                new Random(3).NextBytes(body);
                byte[] readBuf = new byte[1024];
                int n = size >= 1024 * 1024 ? 8 : size >= 64 * 1024 ? 40 : 200;
                long acceptSyncs = 0, acceptWrites = 0, created = 0, opened = 0, deliverSyncs = 0, deliverWrites = 0, deleted = 0;
                for (int i = 0; i < n; i++)
                {
                    long s0 = files.Inner.SyncCount, w0 = files.Inner.WriteCount, c0 = files.Creates;
                    QueuedMessage m = Accept(store, body);
                    acceptSyncs += files.Inner.SyncCount - s0;
                    acceptWrites += files.Inner.WriteCount - w0;
                    created += files.Creates - c0;
                    long o0 = files.Opens - files.Creates, d0 = files.Deletes;
                    s0 = files.Inner.SyncCount;
                    w0 = files.Inner.WriteCount;
                    var r = store.OpenReader(m);
                    for (long pos = 0; ;)
                    {
                        int k = r.Read(pos, readBuf, 0, readBuf.Length);
                        if (k == 0) break;
                        pos += k;
                    }
                    store.SetStatus(m, 0, new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "250 2.0.0 Ok", "", 0), false);
                    if (!store.Remove(m)) throw new InvalidOperationException("remove refused");
                    opened += files.Opens - files.Creates - o0;
                    deliverSyncs += files.Inner.SyncCount - s0;
                    deliverWrites += files.Inner.WriteCount - w0;
                    deleted += files.Deletes - d0;
                }
                Console.WriteLine("| " + Kb(size).PadRight(7) + " | " + Per(acceptSyncs, n, 15) + " | " + Per(acceptWrites, n, 16)
                    + " | " + Per(created, n, 13) + " | " + Per(opened, n, 20) + " | " + Per(deliverSyncs, n, 16) + " | " + Per(deliverWrites, n, 17)
                    + " | " + Per(deleted, n, 13) + " |");
                store.Close();
            }
        }

        /// <summary>
        /// Group commit: sessions accepting messages at the same time, each Sync taking as long
        /// as a LittleFS close (5 ms here), so that commits arrive while one is under way.
        /// Short messages share the shared segment's syncs; a message file has its own.
        /// </summary>
        private static void GroupCommit()
        {
            const int syncMs = 5;
            Console.WriteLine("Group commit: sessions committing at once (8 MB store, each sync " + syncMs + " ms as a LittleFS close)");
            Console.WriteLine();
            Console.WriteLine("| message | sessions | messages | syncs/msg | msg/s |");
            Console.WriteLine("|---------|----------|----------|-----------|-------|");
            foreach (int size in new[] { 1024, 64 * 1024 })
            {
                foreach (int sessions in new[] { 1, 5 })
                {
                    const long capacity = 8L * 1024 * 1024;
                    var files = new CountingFiles(new FlashSimulator(capacity, 1) { SyncDelayMs = syncMs });
                    var store = MessageStore.Open(files, new QueueOptions(capacity, 16384, 2048, 3 * 16384, 512, sessions), new Clock());
                    byte[] body = new byte[size];
                    new Random(5).NextBytes(body);
                    var threads = new System.Threading.Thread[sessions];
                    int each = size > 2048 ? 16 : 40;
                    Exception? failed = null;
                    long s0 = files.Inner.SyncCount;
                    var clock = Stopwatch.StartNew();
                    for (int t = 0; t < sessions; t++)
                    {
                        threads[t] = new System.Threading.Thread(() =>
                        {
                            try
                            {
                                for (int i = 0; i < each; i++) Accept(store, body);
                            }
                            catch (Exception e)
                            {
                                failed = e;
                            }
                        });
                        threads[t].Start();
                    }
                    foreach (var t in threads) t.Join();
                    clock.Stop();
                    if (failed != null) throw failed;
                    int n = sessions * each;
                    Console.WriteLine("| " + Kb(size).PadRight(7) + " | " + sessions.ToString().PadLeft(8) + " | " + n.ToString().PadLeft(8)
                        + " | " + Per(files.Inner.SyncCount - s0, n, 9) + " | " + ((int)(n / clock.Elapsed.TotalSeconds)).ToString().PadLeft(5) + " |");
                    store.Close();
                }
            }
        }

        private static string Per(long total, int n, int width) => ((double)total / n).ToString("F2").PadLeft(width);

        /// <summary>The simulator, counting files opened (created or not) and deleted.</summary>
        private sealed class CountingFiles : IFileStore
        {
            public CountingFiles(FlashSimulator inner) { Inner = inner; }

            public FlashSimulator Inner { get; }

            public long Opens { get; private set; }

            public long Creates { get; private set; }

            public long Deletes { get; private set; }

            public IStoredFile? Open(string name, bool create)
            {
                Opens++;
                if (create) Creates++;
                return Inner.Open(name, create);
            }

            public void Delete(string name)
            {
                Deletes++;
                Inner.Delete(name);
            }

            public string[] List() => Inner.List();
        }


        private sealed class Clock : IClock
        {
            public long MonotonicMilliseconds => Environment.TickCount64;
            public DateTime UtcNow => new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);
        }

        /// <summary>A queued message of the benchmark: its destination and its next retry.</summary>
        private sealed class Held
        {
            public Held(QueuedMessage message, int destination) { Message = message; Destination = destination; }

            public QueuedMessage Message { get; }

            public int Destination { get; }

            public long NextRetry = -1;

            public long Backoff;
        }

        private const int Destinations = 8;

        /// <summary>
        /// About what one message of <paramref name="size"/> bytes takes on flash (with a 2 KB
        /// write unit), to size a fill level: its bytes, a record header per 2000 bytes and the
        /// envelope; longer than a unit, a message file of its own in whole 4 KiB blocks.
        /// </summary>
        internal static long FlashBytesPerMessage(int size)
        {
            long bytes = size + (size / 2000 + 1) * 36 + 200;
            return size > 2048 ? (bytes + QueueOptions.BlockSize - 1) / QueueOptions.BlockSize * QueueOptions.BlockSize : bytes;
        }

        private static void Row(int size, long capacity, int fillPercent, bool outages)
        {
            var options = new QueueOptions(capacity, 16384, 2048, 3 * 16384, 512, 4);
            var sim = new FlashSimulator(capacity, 42);
            var clock = new Clock();
            var store = MessageStore.Open(sim, options, clock);
            var rnd = new Random(7);
            byte[] body = new byte[size];
            rnd.NextBytes(body);
            byte[] readBuf = new byte[1024];
            long usable = capacity - options.ReserveBytes;
            int target = (int)Math.Max(1, usable * fillPercent / 100 / FlashBytesPerMessage(size));
            var live = new List<Held>();
            int outage = Math.Max(8, 2 * target);   // steps one destination stays down

            // Fill to the level, then run long enough to turn the store over many times.
            for (int i = 0; i < target; i++) live.Add(new Held(Accept(store, body), rnd.Next(Destinations)));
            int steps = (int)Math.Max(30L * target, 8 * capacity / size);
            int warm = steps / 4;
            long bytes0 = 0, writes0 = 0, syncs0 = 0, erased0 = 0, copied0 = 0, cleaning0 = 0, cleaned0 = 0;
            long allocAccept = 0, allocDeliver = 0;
            int accepted = 0;
            for (int i = 0; i < steps; i++)
            {
                if (i == warm)
                {
                    bytes0 = sim.BytesWritten; writes0 = sim.WriteCount; syncs0 = sim.SyncCount; erased0 = sim.BlocksErased; copied0 = sim.BytesCopied;
                    cleaning0 = store.CleaningBytes; cleaned0 = store.SegmentsCleaned;
                    allocAccept = allocDeliver = accepted = 0;
                }
                long a0 = GC.GetAllocatedBytesForCurrentThread() - sim.AllocatedBytes;
                int victim = outages ? NextDelivery(store, clock, live, i, (i / outage) % Destinations, target) : rnd.Next(live.Count);
                QueuedMessage m = live[victim].Message;
                var r = store.OpenReader(m);
                for (long pos = 0; ;)
                {
                    int n = r.Read(pos, readBuf, 0, readBuf.Length);
                    if (n == 0) break;
                    pos += n;
                }
                if (!outages && i % 10 == 0) store.Defer(m, 0, clock.UtcNow.AddMinutes(30), "4.4.1", "connection timed out");
                // As the delivery agent does it: the status is buffered and the removal's sync covers it.
                store.SetStatus(m, 0, new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "250 2.0.0 Ok", "", 0), false);
                if (!store.Remove(m)) throw new InvalidOperationException("remove refused");
                live.RemoveAt(victim);
                long a1 = GC.GetAllocatedBytesForCurrentThread() - sim.AllocatedBytes;
                allocDeliver += a1 - a0;
                if (!store.HasRoomFor(size)) throw new InvalidOperationException("refused at fill " + fillPercent + "% after " + i + " steps, used " + sim.UsedBytes);
                live.Add(new Held(Accept(store, body), rnd.Next(Destinations)));
                allocAccept += GC.GetAllocatedBytesForCurrentThread() - sim.AllocatedBytes - a1;
                accepted++;
            }
            double msgBytes = (double)accepted * size;
            double wa = (sim.BytesWritten - bytes0) / msgBytes;
            double cleaning = (store.CleaningBytes - cleaning0) / msgBytes;
            double cleaned = (double)(store.SegmentsCleaned - cleaned0) / accepted;
            double writes = (double)(sim.WriteCount - writes0) / accepted;
            double syncs = (double)(sim.SyncCount - syncs0) / accepted;
            double erased = (double)(sim.BlocksErased - erased0) / accepted;
            double waCopies = (sim.BytesWritten - bytes0 + sim.BytesCopied - copied0) / msgBytes;

            // Recovery of the store as it stands (full to the level).
            store.Close();
            double best = double.MaxValue;
            for (int k = 0; k < 5; k++)
            {
                sim.Reboot();
                var sw = Stopwatch.StartNew();
                var again = MessageStore.Open(sim, options, clock);
                sw.Stop();
                if (again.Count != live.Count) throw new InvalidOperationException("recovery lost messages");
                again.Close();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine("| " + Kb(size).PadRight(7) + " | " + Kb(capacity).PadRight(6) + " | " + (fillPercent + "%").PadLeft(4)
                + " | " + live.Count.ToString().PadLeft(4) + " | " + wa.ToString("F3").PadLeft(5) + " | " + cleaning.ToString("F3").PadLeft(14)
                + " | " + cleaned.ToString("F3").PadLeft(16) + " | " + writes.ToString("F2").PadLeft(10)
                + " | " + syncs.ToString("F2").PadLeft(9) + " | " + erased.ToString("F2").PadLeft(17) + " | " + waCopies.ToString("F3").PadLeft(14)
                + " | " + (allocAccept / accepted).ToString().PadLeft(18) + " | " + (allocDeliver / accepted).ToString().PadLeft(19)
                + " | " + best.ToString("F2").PadLeft(11) + " |");
        }

        /// <summary>
        /// The queue runner with destination <paramref name="down"/> unreachable: retries the
        /// held messages that are due (a Deferred status, backoff doubling from a quarter of
        /// the queue's turnover up to twice it) and returns the oldest message it can deliver.
        /// </summary>
        private static int NextDelivery(MessageStore store, Clock clock, List<Held> live, long step, int down, int turnover)
        {
            int pick = -1;
            for (int k = 0; k < live.Count; k++)
            {
                Held h = live[k];
                if (h.Destination != down)
                {
                    if (pick < 0) pick = k;
                    continue;
                }
                if (h.NextRetry > step) continue;
                if (h.NextRetry >= 0) store.Defer(h.Message, 0, clock.UtcNow.AddMinutes(h.Backoff), "4.4.1", "connection timed out");
                h.Backoff = h.Backoff == 0 ? Math.Max(1, turnover / 4) : Math.Min(2L * turnover, 2 * h.Backoff);
                h.NextRetry = step + h.Backoff;
            }
            return pick >= 0 ? pick : 0;
        }

        private static QueuedMessage Accept(MessageStore store, byte[] body)
        {
            var env = new Envelope("alarm@sensor.lan");
            env.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            var w = store.BeginMessage(env) ?? throw new InvalidOperationException("queue refused, used " + store.UsedBytes);
            for (int off = 0; off < body.Length; off += 512)
            {
                if (!w.Write(body, off, Math.Min(512, body.Length - off))) throw new InvalidOperationException("write refused");
            }
            w.Commit();
            return store.Find(w.QueueId)!;
        }

        private static string Kb(long n) => n >= 1024 * 1024 ? (n / (1024 * 1024)) + " MB" : (n / 1024) + " KB";
    }
}

