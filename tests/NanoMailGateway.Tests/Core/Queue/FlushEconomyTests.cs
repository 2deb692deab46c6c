// What the queue costs the medium per message (ARCHITECTURE.md, Flash format): one Sync
// per accepted message whatever its size (a message longer than a write unit in a message
// file of its own, created once and deleted once), one per delivery outcome, none when
// nothing was written (deleting dead segments included), several committers sharing one
// (group commit). Counted on the flash simulator behind a wrapper
// that counts opens and deletes and can make Sync slow, as a LittleFS close is.

using System;
using System.Collections.Generic;
using System.Threading;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class FlushEconomyTests
    {
        private const long Capacity = 4 * 1024 * 1024;

        private static QueueOptions Options(int writers = 4) => new QueueOptions(Capacity, 16384, 2048, 3 * 16384, 64, writers);

        [Theory]
        [InlineData(1024)]
        [InlineData(64 * 1024)]
        [InlineData(1024 * 1024)]
        public void A_message_costs_one_sync_to_accept_and_one_to_deliver_whatever_its_size(int size)
        {
            var files = new CountingFiles(new FlashSimulator(Capacity, 1) { Loss = UnflushedLoss.DropAll });
            var s = MessageStore.Open(files, Options(), new StepClock());
            Put(s, Body(100, 9));                         // something before it, as in a running queue
            long syncs = files.Inner.SyncCount, opens = files.Opens, writes = files.Inner.WriteCount;
            byte[] body = Body(size, 3);
            QueuedMessage m = Put(s, body);
            Assert.Equal(1, files.Inner.SyncCount - syncs);
            // Longer than a unit: one message file, its header, one write per 2 KB unit, the rest with the Commit record.
            int files1 = size > 2048 ? 1 : 0;
            Assert.Equal(files1, files.Opens - opens);
            int units = size / 2024 + 1;
            Assert.InRange(files.Inner.WriteCount - writes, 1, files1 + units + (units * 12 + 200) / 2048 + 1);
            Assert.Equal(body, ReadAll(s, m));
            Assert.True(files.Opens - opens <= 2 * files1, "files opened to read it: " + (files.Opens - opens - files1));

            // Delivered: the status rides on the removal's sync; the message file goes without one.
            syncs = files.Inner.SyncCount;
            long deletes = files.Deletes;
            s.SetStatus(m, 0, new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "250 ok", "", 0), false);
            Assert.True(s.Remove(m));
            Assert.Equal(1, files.Inner.SyncCount - syncs);
            Assert.Equal(files1, files.Deletes - deletes);

            // And it stays delivered after a power cut right then.
            files.Inner.CutPowerNow();
            files.Inner.Reboot();
            s = MessageStore.Open(files, Options(), new StepClock());
            Assert.Equal(1, s.Count);
            Assert.Null(s.Find(m.QueueId));
        }

        [Fact]
        public void Nothing_written_means_nothing_synced()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            QueuedMessage m = Put(s, Body(5000, 1));
            long syncs = sim.SyncCount;
            s.Flush();
            s.Maintain();
            s.Flush();
            Assert.Equal(syncs, sim.SyncCount);
            s.SetStatus(m, 0, new RecipientStatus(RecipientState.Delivered, 1, DateTime.MinValue, "2.0.0", "250 ok", "", 0), false);
            s.Flush();
            s.Flush();
            Assert.Equal(syncs + 1, sim.SyncCount);
        }

        [Fact]
        public void Commit_records_written_before_a_sync_share_it()
        {
            var sim = new FlashSimulator(Capacity, 1) { Loss = UnflushedLoss.DropAll };
            var s = MessageStore.Open(sim, Options(), new StepClock());
            var a = (MessageWriter)s.BeginMessage(Env())!;
            var b = (MessageWriter)s.BeginMessage(Env())!;
            // Each fits one write unit: its data go to the shared segment with its Commit record.
            Assert.True(a.Write(Body(1900, 1), 0, 1900));
            Assert.True(b.Write(Body(1000, 2), 0, 1000));
            long syncs = sim.SyncCount;
            // The two halves of two commits, interleaved as two sessions under load do it.
            QueuedMessage ma = s.WriteCommitRecord(a, Finish(s, a, 1900));
            QueuedMessage mb = s.WriteCommitRecord(b, Finish(s, b, 1000));
            s.Publish(a, ma);
            Assert.Equal(syncs + 1, sim.SyncCount);
            s.Publish(b, mb);
            Assert.Equal(syncs + 1, sim.SyncCount);
            Assert.Equal(2, s.Count);
            sim.CutPowerNow();
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            Assert.Equal(Body(1000, 2), ReadAll(s, s.Find(mb.QueueId)!));
        }

        [Fact]
        public void Sessions_committing_at_once_share_syncs_and_every_acknowledged_message_survives_a_cut()
        {
            var sim = new FlashSimulator(Capacity, 1) { Loss = UnflushedLoss.DropAll };
            var files = new CountingFiles(sim) { SyncDelayMs = 15 };
            // Four sessions of short messages, one of long ones (each in its own file, with its own sync).
            const int threads = 5, each = 8;
            var s = MessageStore.Open(files, Options(writers: threads), new StepClock());
            var acknowledged = new List<(string id, byte[] body)>();
            var failures = new List<Exception>();
            long syncs = sim.SyncCount;
            var workers = new Thread[threads];
            using var together = new Barrier(threads);
            for (int t = 0; t < threads; t++)
            {
                int seed = t;
                workers[t] = new Thread(() =>
                {
                    try
                    {
                        for (int i = 0; i < each; i++)
                        {
                            byte[] body = Body(seed == 4 ? 30_000 + i : 300 + 400 * seed + i, seed * 100 + i);
                            var w = s.BeginMessage(Env()) ?? throw new InvalidOperationException("refused");
                            if (!w.Write(body, 0, body.Length)) throw new InvalidOperationException("write refused");
                            together.SignalAndWait();          // the final dots of all sessions arrive at once
                            w.Commit();
                            lock (acknowledged) acknowledged.Add((w.QueueId, body));
                        }
                    }
                    catch (Exception e)
                    {
                        lock (failures) failures.Add(e);
                        together.RemoveParticipant();          // the others must not wait for it
                    }
                });
                workers[t].Start();
            }
            foreach (Thread w in workers) w.Join();
            Assert.Empty(failures);
            Assert.Equal(threads * each, acknowledged.Count);
            long used = sim.SyncCount - syncs;
            // The long messages take one each (their own files); the Sync runs outside the store's
            // lock, so the short ones append while it runs and the next one covers them (under
            // the lock they queued for it and shared next to none).
            long shortSyncs = used - each;
            Assert.True(4 * shortSyncs <= 3 * (threads - 1) * each, (threads - 1) * each + " short commits took " + shortSyncs + " syncs: too few shared");

            sim.CutPowerNow();
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            Assert.Equal(threads * each, s.Count);
            foreach (var (id, body) in acknowledged) Assert.Equal(body, ReadAll(s, s.Find(id)!));
        }

        /// <summary>What MessageWriter.Commit does before its Commit record: the data still in the unit go to the log.</summary>
        internal static long Finish(MessageStore s, MessageWriter w, int total)
        {
            int rest = total - (int)w.Length;
            if (rest > 0) Assert.True(s.AppendPieces(w, w.Unit!, rest));
            return total;
        }

        private static Envelope Env()
        {
            var e = new Envelope("alarm@sensor.lan");
            e.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            return e;
        }

        private static byte[] Body(int size, int seed)
        {
            byte[] b = new byte[size];
            new Random(seed).NextBytes(b);
            return b;
        }

        private static QueuedMessage Put(MessageStore s, byte[] body)
        {
            var w = s.BeginMessage(Env())!;
            for (int off = 0; off < body.Length; off += 1000) Assert.True(w.Write(body, off, Math.Min(1000, body.Length - off)));
            w.Commit();
            return s.Find(w.QueueId)!;
        }

        private static byte[] ReadAll(MessageStore s, QueuedMessage m)
        {
            var r = s.OpenReader(m);
            byte[] all = new byte[m.Size];
            long pos = 0;
            while (true)
            {
                int n = r.Read(pos, all, (int)pos, (int)Math.Min(1024, m.Size - pos));
                if (n == 0) break;
                pos += n;
            }
            Assert.Equal(m.Size, pos);
            return all;
        }

        /// <summary>The simulator, counting opens and deletes, with a Sync as slow as the board's close.</summary>
        private sealed class CountingFiles : IFileStore
        {
            public CountingFiles(FlashSimulator inner) { Inner = inner; }

            public FlashSimulator Inner { get; }

            public int SyncDelayMs { get; set; }

            public int Opens;

            public int Deletes;

            public IStoredFile? Open(string name, bool create)
            {
                Interlocked.Increment(ref Opens);
                IStoredFile? f = Inner.Open(name, create);
                return f == null ? null : new SlowSync(f, this);
            }

            public void Delete(string name)
            {
                Interlocked.Increment(ref Deletes);
                Inner.Delete(name);
            }

            public string[] List() => Inner.List();

            private sealed class SlowSync : IStoredFile
            {
                private readonly IStoredFile _f;
                private readonly CountingFiles _owner;

                public SlowSync(IStoredFile f, CountingFiles owner)
                {
                    _f = f;
                    _owner = owner;
                }

                public long Length => _f.Length;

                public int Read(long position, byte[] buffer, int offset, int count) => _f.Read(position, buffer, offset, count);

                public void Append(byte[] buffer, int offset, int count) => _f.Append(buffer, offset, count);

                public void Sync()
                {
                    if (_owner.SyncDelayMs > 0) Thread.Sleep(_owner.SyncDelayMs);
                    _f.Sync();
                }

                public void Close() => _f.Close();
            }
        }
    }
}
