// The queue's promise under power loss (ARCHITECTURE.md, Flash format): a scripted
// workload (messages accepted, short ones in the shared segments and longer ones in
// message files of their own, some aborted mid-DATA, two writers interleaved, commits
// sharing a sync beside a message file's own, status changes, deliveries, removals,
// compaction that relocates a long-deferred message), and the cleaning workload of
// CleaningPowerLossTests, are each cut at every single write: under the board's LittleFS rule (everything since a file's
// last Sync lost), and under the host's and an SD card's (a clean cut with a random
// prefix of the unsynced appends, a torn write, a garbage tail). After each recovery: every committed message is there byte for byte with its
// latest committed status, nothing uncommitted is visible, ids are not reused, and the
// store still accepts, delivers and removes a message (and recovers that too).

using System;
using System.Collections.Generic;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class PowerLossTests
    {
        private readonly ITestOutputHelper _out;

        public PowerLossTests(ITestOutputHelper output) { _out = output; }

        internal static QueueOptions SmallOptions() => new QueueOptions(Capacity, 4096, 256, 20 * 1024, 16, 3);

        internal const long Capacity = 44 * 1024;

        [Fact]
        public void Workload_without_cut_exercises_compaction_and_ends_consistent()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var model = new Model();
            var clock = new StepClock();
            var store = MessageStore.Open(sim, SmallOptions(), clock);
            Workload.Run(store, clock, model);
            Assert.True(store.Relocations > 0, "the workload must make compaction copy a live message forward");
            Assert.True(store.SegmentsDeleted > 3, "the workload must delete segments: " + store.SegmentsDeleted);
            store.Close();
            sim.Reboot();
            var again = MessageStore.Open(sim, SmallOptions(), new StepClock());
            model.Verify(again);
            Assert.Equal(0, again.RecoveryDropped);
        }

        [Theory]
        [InlineData(nameof(Workload))]
        [InlineData(nameof(CleaningPowerLossTests))]
        public void Every_cut_point_under_the_boards_littlefs_rule_recovers_every_committed_message(string workload)
        {
            // The board's I: (LittleFS): a file's appends since its last Sync (a close there)
            // are all lost at a cut, whatever the driver had written, so a torn or garbage
            // tail never appears; what is left is each file as of its last Sync.
            int runs = Sweep(new[] { CutMode.Clean }, mode => UnflushedLoss.DropAll, Named(workload), OptionsOf(workload));
            _out.WriteLine("board rule (LittleFS), " + workload + ": " + runs + " recoveries checked");
        }

        [Theory]
        [InlineData(nameof(Workload))]
        [InlineData(nameof(CleaningPowerLossTests))]
        public void Every_cut_point_recovers_every_committed_message_and_nothing_else(string workload)
        {
            // The host and an SD card: unsynced appends survive as a random prefix (clean
            // cut) or all of them (torn and garbage cuts, the FAT driver syncing each Write).
            int runs = Sweep(new[] { CutMode.Clean, CutMode.Torn, CutMode.Garbage },
                mode => mode == CutMode.Clean ? UnflushedLoss.RandomPrefix : UnflushedLoss.KeepAll, Named(workload), OptionsOf(workload));
            _out.WriteLine("power-loss cut points x 3 modes, " + workload + ": " + runs + " recoveries checked");
        }

        /// <summary>The scripted workload below, or the cleaning one (out-of-order deliveries at high fill).</summary>
        private static Action<MessageStore, StepClock, Model> Named(string workload)
        {
            return workload == nameof(CleaningPowerLossTests) ? CleaningPowerLossTests.Run : Workload.Run;
        }

        /// <summary>The store options the workload runs with.</summary>
        private static QueueOptions OptionsOf(string workload)
        {
            return workload == nameof(CleaningPowerLossTests) ? CleaningPowerLossTests.Options() : SmallOptions();
        }

        /// <summary>Cuts <paramref name="run"/> at every write in each mode; returns the recoveries checked.</summary>
        private static int Sweep(CutMode[] modes, Func<CutMode, UnflushedLoss> loss, Action<MessageStore, StepClock, Model> run, QueueOptions options)
        {
            // Count the appends of an uncut run: those are the cut points.
            var probe = new FlashSimulator(Capacity, 1);
            run(MessageStore.Open(probe, options, new StepClock()), new StepClock(), new Model());
            long writes = probe.WriteCount;
            Assert.True(writes > 150, "workload too small: " + writes + " writes");

            int runs = 0;
            for (long k = 1; k <= writes; k++)
            {
                foreach (CutMode mode in modes)
                {
                    int seed = (int)(k * 3 + (int)mode);
                    var sim = new FlashSimulator(Capacity, seed);
                    sim.Loss = loss(mode);
                    sim.CutPowerAt(k, mode);
                    var model = new Model();
                    var clock = new StepClock();
                    try
                    {
                        run(MessageStore.Open(sim, options, clock), clock, model);
                        Assert.Fail("cut " + k + " did not happen");
                    }
                    catch (StorageException)
                    {
                        Assert.True(sim.PoweredOff, "a StorageException other than the cut at write " + k);
                    }
                    sim.Reboot();
                    try
                    {
                        CheckAfterReboot(sim, model, clock, options);
                    }
                    catch (Exception e)
                    {
                        throw new Exception("cut at write " + k + " mode " + mode + " loss " + sim.Loss + ": " + e.Message, e);
                    }
                    runs++;
                }
            }
            Assert.Equal(writes * modes.Length, runs);
            return runs;
        }

        [Theory]
        [InlineData(UnflushedLoss.RandomPrefix)]
        [InlineData(UnflushedLoss.DropAll)]
        public void A_second_cut_while_recovering_and_going_on_loses_nothing_either(UnflushedLoss loss)
        {
            var probe = new FlashSimulator(Capacity, 1);
            Workload.Run(MessageStore.Open(probe, SmallOptions(), new StepClock()), new StepClock(), new Model());
            long writes = probe.WriteCount;
            int runs = 0;
            for (long k = 1; k <= writes; k += 4)
            {
                for (long j = 1; ; j++)
                {
                    var sim = new FlashSimulator(Capacity, (int)(k * 131 + j));
                    sim.Loss = loss;
                    sim.CutPowerAt(k, CutMode.Torn);
                    var model = new Model();
                    var clock = new StepClock();
                    Assert.Throws<StorageException>(() => Workload.Run(MessageStore.Open(sim, SmallOptions(), clock), clock, model));
                    sim.Reboot();
                    // Settle the operation in flight at the first cut (a read-only look writes nothing).
                    var look = MessageStore.OpenReadOnly(sim, clock);
                    try { model.Verify(look); } catch (Exception e) { throw new Exception("read-only look after cut " + k + ": " + e.Message, e); }
                    model.Settle(look);
                    look.Close();
                    sim.CutPowerAt(j, CutMode.Garbage);
                    bool cut = false;
                    try
                    {
                        Continue(MessageStore.Open(sim, SmallOptions(), clock), model, 60);
                    }
                    catch (StorageException)
                    {
                        Assert.True(sim.PoweredOff);
                        cut = true;
                    }
                    sim.Reboot();
                    var store = MessageStore.Open(sim, SmallOptions(), clock);
                    try
                    {
                        model.Verify(store);
                        Assert.Equal(0, store.RecoveryDropped);
                        model.Settle(store);
                        Continue(store, model, 61);
                        model.Verify(store);
                    }
                    catch (Exception e) when (e is not StorageException)
                    {
                        throw new Exception("cuts at write " + k + " then " + j + ": " + e.Message, e);
                    }
                    runs++;
                    if (!cut) break;
                }
            }
            _out.WriteLine("double cuts: " + runs + " recoveries checked");
            Assert.True(runs > 100);
        }

        /// <summary>Accept, deliver and remove one more message, recording acknowledgements in the model.</summary>
        private static void Continue(MessageStore store, Model model, int n)
        {
            // Short (the shared segment): the messages kept after a cut may fill the 24 KB above
            // the reserve with message files, each in whole 4 KiB blocks.
            QueuedMessage m = Workload.Accept(store, model, n, 200, 1, 64);
            Workload.Status(store, model, m, 0, s => store.MarkDelivered(m, 0, "2.0.0", "250 ok"));
            Workload.Remove(store, model, m);
        }

        private static void CheckAfterReboot(FlashSimulator sim, Model model, StepClock clock, QueueOptions options)
        {
            var store = MessageStore.Open(sim, options, clock);
            model.Verify(store);
            Assert.Equal(0, store.RecoveryDropped);

            // The store keeps working: one more message in, delivered, removed; ids not reused.
            var env = new Envelope("after@example.com");
            env.AddRecipient(new EnvelopeRecipient("rcpt@example.net", false, DsnNotify.Unspecified, null));
            var w = store.BeginMessage(env);                     // the listener, not only bounces
            Assert.NotNull(w);
            long id = QueueId.Parse(w!.QueueId);
            Assert.True(id > model.MaxIdHandedOut || !model.CommittedIds.Contains(id), "queue id reused: " + w.QueueId);
            Assert.DoesNotContain(id, model.CommittedIds);
            byte[] body = Workload.Content(999, 700);
            Assert.True(w.Write(body, 0, body.Length));
            w.Commit();
            var m = store.Find(w.QueueId)!;
            Assert.Equal(body, Model.ReadAll(store, m));
            store.MarkDelivered(m, 0, "2.0.0", "250 ok");
            Assert.True(store.Remove(m));
            store.Close();
            sim.Reboot();
            var again = MessageStore.Open(sim, options, clock);
            Assert.Null(again.Find(w.QueueId));
            model.Verify(again);
        }

        /// <summary>What the store has acknowledged, and the one operation that was in flight.</summary>
        internal sealed class Model
        {
            public readonly Dictionary<long, Expected> Live = new();
            public readonly HashSet<long> CommittedIds = new();
            public long MaxIdHandedOut;
            public Expected? PendingCommit;            // Commit in flight: may or may not be there
            public Expected? PendingGroupCommit;       // a second one sharing its Sync (group commit)
            public Expected? PendingFileCommit;        // a third one, in its message file, beside them
            public long PendingRemove = -1;            // Remove in flight
            public (long id, int rcpt, RecipientStatus before)? PendingStatus;

            public void Verify(MessageStore store)
            {
                var present = new HashSet<long>();
                foreach (QueuedMessage m in store.GetMessages())
                {
                    present.Add(m.Id);
                    Expected? e;
                    if (!Live.TryGetValue(m.Id, out e))
                    {
                        e = PendingCommit != null && PendingCommit.Id == m.Id ? PendingCommit
                            : PendingGroupCommit != null && PendingGroupCommit.Id == m.Id ? PendingGroupCommit
                            : PendingFileCommit != null && PendingFileCommit.Id == m.Id ? PendingFileCommit : null;
                        Assert.True(e != null, "uncommitted message visible: " + m.QueueId);
                    }
                    Assert.Equal(e.Sender, m.Envelope.Sender);
                    Assert.Equal(e.Recipients.Length, m.RecipientCount);
                    for (int i = 0; i < e.Recipients.Length; i++) Assert.Equal(e.Recipients[i], m.Envelope.GetRecipient(i).Address);
                    Assert.Equal(e.Body.Length, m.Size);
                    Assert.True(e.Body.AsSpan().SequenceEqual(ReadAll(store, m)), "data differs for " + m.QueueId);
                    for (int i = 0; i < e.Status.Length; i++)
                    {
                        RecipientStatus got = m.GetStatus(i);
                        bool same = Same(e.Status[i], got);
                        if (!same && PendingStatus != null && PendingStatus.Value.id == m.Id && PendingStatus.Value.rcpt == i)
                        {
                            same = Same(PendingStatus.Value.before, got);
                        }
                        Assert.True(same, m.QueueId + " rcpt " + i + ": expected " + RecipientStatus.StateName(e.Status[i].State)
                            + "/" + e.Status[i].Attempts + " got " + RecipientStatus.StateName(got.State) + "/" + got.Attempts);
                    }
                }
                foreach (long id in Live.Keys)
                {
                    Assert.True(present.Contains(id) || id == PendingRemove, "committed message lost: " + QueueId.Format(id));
                }
            }

            /// <summary>The operation in flight went one way or the other: take what recovery found.</summary>
            public void Settle(MessageStore store)
            {
                foreach (Expected? p in new[] { PendingCommit, PendingGroupCommit, PendingFileCommit })
                {
                    if (p == null || store.Find(QueueId.Format(p.Id)) == null) continue;
                    Live[p.Id] = p;
                    CommittedIds.Add(p.Id);
                }
                if (PendingRemove >= 0 && store.Find(QueueId.Format(PendingRemove)) == null) Live.Remove(PendingRemove);
                if (PendingStatus is { } ps && Live.TryGetValue(ps.id, out var e)) e.Status[ps.rcpt] = store.Find(QueueId.Format(ps.id))!.GetStatus(ps.rcpt);
                PendingCommit = null;
                PendingGroupCommit = null;
                PendingFileCommit = null;
                PendingRemove = -1;
                PendingStatus = null;
            }

            private static bool Same(RecipientStatus a, RecipientStatus b)
            {
                return a.State == b.State && a.Attempts == b.Attempts && a.NextAttemptUtc.Ticks == b.NextAttemptUtc.Ticks
                    && a.Code == b.Code && a.Text == b.Text && a.Mailbox == b.Mailbox && a.Uid == b.Uid;
            }

            public static byte[] ReadAll(MessageStore store, QueuedMessage m)
            {
                var r = store.OpenReader(m);
                byte[] all = new byte[m.Size];
                byte[] chunk = new byte[97];
                long pos = 0;
                while (true)
                {
                    int n = r.Read(pos, chunk, 0, chunk.Length);
                    if (n == 0) break;
                    Array.Copy(chunk, 0, all, pos, n);
                    pos += n;
                }
                Assert.Equal(m.Size, pos);
                return all;
            }
        }

        internal sealed class Expected
        {
            public long Id;
            public string Sender = "";
            public string[] Recipients = Array.Empty<string>();
            public byte[] Body = Array.Empty<byte>();
            public RecipientStatus[] Status = Array.Empty<RecipientStatus>();
        }

        /// <summary>The scripted workload. Records acknowledgements in the model as they return.</summary>
        internal static class Workload
        {
            public static byte[] Content(int n, int size)
            {
                byte[] b = new byte[size];
                for (int i = 0; i < size; i++) b[i] = (byte)((i * 7 + n * 31 + (i / 77)) & 0xFF);
                return b;
            }

            public static void Run(MessageStore store, StepClock clock, Model model)
            {
                QueuedMessage a = Accept(store, model, 1, 700, 1, 100);
                QueuedMessage b = Accept(store, model, 2, 3000, 2, 333);
                Aborted(store, model, 3, 1500);
                Status(store, model, a, 0, s => store.Defer(a, 0, clock.UtcNow.AddMinutes(30), "4.4.1", "connection timed out"));
                for (int r = 0; r < 6; r++)
                {
                    // Two writers interleaved: Y starts, X is accepted whole, Y goes on.
                    var yEnv = Env(10 + r, 1);
                    var y = store.BeginMessage(yEnv)!;
                    Assert.NotNull(y);
                    model.MaxIdHandedOut = Math.Max(model.MaxIdHandedOut, QueueId.Parse(y.QueueId));
                    byte[] yBody = Content(10 + r, 900 + 100 * r);
                    Assert.True(y.Write(yBody, 0, 400));
                    QueuedMessage x = Accept(store, model, 20 + r, 2500 + r * 300, 1, 512);
                    Assert.True(y.Write(yBody, 400, yBody.Length - 400));
                    Status(store, model, x, 0, s => store.MarkDelivered(x, 0, "2.0.0", "250 2.0.0 Ok"));
                    Remove(store, model, x);
                    if (r % 2 == 0)
                    {
                        QueuedMessage ym = CommitWriter(store, model, y, yEnv, yBody);
                        Status(store, model, ym, 0, s => store.Defer(ym, 0, clock.UtcNow.AddMinutes(5), "4.2.0", "mailbox busy"));
                        Status(store, model, ym, 0, s => store.MarkFailed(ym, 0, "5.1.1", "550 5.1.1 no such user"));
                        Remove(store, model, ym);
                    }
                    else
                    {
                        y.Abort();
                    }
                    // Short messages (one unit each: data and Commit record in the shared segment).
                    for (int k = 0; k < 5; k++)
                    {
                        QueuedMessage z = Accept(store, model, 100 + 5 * r + k, 120 + 15 * r + 20 * k, 1, 50);
                        if (k > 0 || r % 3 != 2)
                        {
                            Status(store, model, z, 0, s => store.MarkDelivered(z, 0, "2.0.0", "250 ok"));
                            Remove(store, model, z);
                        }
                    }
                    Status(store, model, a, 0, s => store.Defer(a, 0, clock.UtcNow.AddMinutes(60), "4.4.1", "still no answer " + r));
                    clock.Advance(TimeSpan.FromMinutes(10));
                }
                Status(store, model, b, 0, s => store.MarkDelivered(b, 0, "2.0.0", "250 ok"));
                Status(store, model, b, 1, s => store.SetStatus(b, 1, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "postmaster", 0)));
                Status(store, model, b, 1, s => store.SetStatus(b, 1, new RecipientStatus(RecipientState.Expunged, 1, DateTime.MinValue, "2.0.0", "", "postmaster", s.Uid)));
                Remove(store, model, b);
                GroupCommit(store, model, 50);
                // Longer than a segment: the full segment is synced before it is left.
                Accept(store, model, 52, 5000, 1, 700);
                store.Maintain();
                Accept(store, model, 40, 1200, 1, 256);
            }

            private static Envelope Env(int n, int rcpts)
            {
                var e = new Envelope(n == 40 ? "" : "sender" + n + "@example.org");
                e.ClientAddress = "192.0.2." + n;
                e.ClientHelo = "host" + n;
                for (int i = 0; i < rcpts; i++) e.AddRecipient(new EnvelopeRecipient("r" + i + "@example.net", false, DsnNotify.Failure, "rfc822;r" + i + "@example.net"));
                return e;
            }

            internal static QueuedMessage Accept(MessageStore store, Model model, int n, int size, int rcpts, int chunk)
            {
                var env = Env(n, rcpts);
                var w = store.BeginMessage(env)!;
                Assert.NotNull(w);
                model.MaxIdHandedOut = Math.Max(model.MaxIdHandedOut, QueueId.Parse(w.QueueId));
                byte[] body = Content(n, size);
                for (int off = 0; off < size; off += chunk) Assert.True(w.Write(body, off, Math.Min(chunk, size - off)));
                return CommitWriter(store, model, w, env, body);
            }

            /// <summary>
            /// Two sessions' Commit records written before either syncs: one Sync makes both
            /// durable; a third session's longer message, committed between them, syncs its
            /// message file alone. Each is acknowledged only once its Publish returned.
            /// </summary>
            private static void GroupCommit(MessageStore store, Model model, int n)
            {
                var writers = new MessageWriter[3];
                var expected = new Expected[3];
                for (int i = 0; i < 3; i++)
                {
                    var env = Env(n + i, 1);
                    writers[i] = (MessageWriter)store.BeginMessage(env)!;
                    model.MaxIdHandedOut = Math.Max(model.MaxIdHandedOut, QueueId.Parse(writers[i].QueueId));
                    // The first two fit one write unit: written whole into the shared segment at
                    // commit; the third (three units) has a message file.
                    byte[] body = Content(n + i, i < 2 ? 100 * (i + 1) : 600);
                    Assert.True(writers[i].Write(body, 0, body.Length));
                    expected[i] = new Expected { Id = QueueId.Parse(writers[i].QueueId), Sender = env.Sender, Body = body,
                        Recipients = new[] { env.GetRecipient(0).Address }, Status = new[] { RecipientStatus.Initial } };
                }
                model.PendingCommit = expected[0];
                model.PendingGroupCommit = expected[1];
                model.PendingFileCommit = expected[2];
                QueuedMessage first = store.WriteCommitRecord(writers[0], FlushEconomyTests.Finish(store, writers[0], expected[0].Body.Length));
                QueuedMessage third = store.WriteCommitRecord(writers[2], FlushEconomyTests.Finish(store, writers[2], expected[2].Body.Length));
                QueuedMessage second = store.WriteCommitRecord(writers[1], FlushEconomyTests.Finish(store, writers[1], expected[1].Body.Length));
                long start = store.SyncCount;
                store.Publish(writers[0], first);
                writers[0].Release();
                Acknowledge(model, expected[0]);
                model.PendingCommit = null;
                long syncs = store.SyncCount;
                store.Publish(writers[2], third);
                writers[2].Release();
                Assert.Equal(syncs + 1, store.SyncCount);
                Acknowledge(model, expected[2]);
                model.PendingFileCommit = null;
                store.Publish(writers[1], second);
                writers[1].Release();
                // The two short ones share one Sync (when the segment filled between their
                // records, its Sync as it was left covered the first and the second has one).
                Assert.Equal(start + 2, store.SyncCount);
                Acknowledge(model, expected[1]);
                model.PendingGroupCommit = null;
            }

            private static void Acknowledge(Model model, Expected e)
            {
                model.Live[e.Id] = e;
                model.CommittedIds.Add(e.Id);
            }

            private static QueuedMessage CommitWriter(MessageStore store, Model model, IMessageWriter w, Envelope env, byte[] body)
            {
                var e = new Expected { Id = QueueId.Parse(w.QueueId), Sender = env.Sender, Body = body };
                e.Recipients = new string[env.RecipientCount];
                e.Status = new RecipientStatus[env.RecipientCount];
                for (int i = 0; i < e.Recipients.Length; i++)
                {
                    e.Recipients[i] = env.GetRecipient(i).Address;
                    e.Status[i] = RecipientStatus.Initial;
                }
                model.PendingCommit = e;
                w.Commit();
                model.PendingCommit = null;
                model.Live[e.Id] = e;
                model.CommittedIds.Add(e.Id);
                return store.Find(w.QueueId)!;
            }

            private static void Aborted(MessageStore store, Model model, int n, int size)
            {
                var w = store.BeginMessage(Env(n, 1))!;
                model.MaxIdHandedOut = Math.Max(model.MaxIdHandedOut, QueueId.Parse(w.QueueId));
                byte[] body = Content(n, size);
                Assert.True(w.Write(body, 0, size));
                w.Abort();
            }

            internal static void Status(MessageStore store, Model model, QueuedMessage m, int rcpt, Func<RecipientStatus, RecipientStatus> change)
            {
                var e = model.Live[m.Id];
                model.PendingStatus = (m.Id, rcpt, e.Status[rcpt]);
                e.Status[rcpt] = change(e.Status[rcpt]);
                model.PendingStatus = null;
            }

            internal static void Remove(MessageStore store, Model model, QueuedMessage m)
            {
                model.PendingRemove = m.Id;
                Assert.True(store.Remove(m));
                model.PendingRemove = -1;
                model.Live.Remove(m.Id);
            }
        }
    }
}
