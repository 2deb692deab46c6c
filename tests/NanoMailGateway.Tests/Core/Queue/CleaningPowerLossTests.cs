// Cost-benefit cleaning under power loss (MessageStore.Compaction.cs): deliveries in random
// order at high fill, a message held for the whole run and retried, so that cleaning takes
// victims other than the oldest segment (copying their live messages, folding newer Status
// records into a new Commit, carrying Remove records forward) and deletes them while older
// segments stay. The messages fit one write unit, so their data and Commit records are in
// the shared segments cleaning works on; the held one is longer and has a message file of
// its own, its Status records in the shared segments (a segment holding one is cleaned, not
// just deleted, and the message gets a Commit there). PowerLossTests cuts the run at every
// single write, under the board's LittleFS rule and the host's and an SD card's; after each
// recovery every committed message is there byte for byte with its latest committed status
// and nothing removed comes back.

using System;
using System.Collections.Generic;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using Xunit;
using Xunit.Abstractions;
using static NanoMailGateway.Tests.Core.Queue.PowerLossTests;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class CleaningPowerLossTests
    {
        private readonly ITestOutputHelper _out;

        public CleaningPowerLossTests(ITestOutputHelper output) { _out = output; }

        [Fact]
        public void Out_of_order_deliveries_at_high_fill_clean_segments_other_than_the_oldest()
        {
            var sim = new FlashSimulator(Capacity, 1);
            var model = new Model();
            var clock = new StepClock();
            var store = MessageStore.Open(sim, Options(), clock);
            Run(store, clock, model);
            _out.WriteLine("cleaned " + store.SegmentsCleaned + ", out of order " + store.DeletedOutOfOrder + ", copied out of order " + store.CopiedOutOfOrder
                + ", relocated " + store.Relocations + " (from a message file " + store.FileCommitsCopied + "), removes carried " + store.RemovesCarried + ", writes " + sim.WriteCount);
            Assert.True(store.CopiedOutOfOrder > 0, "cleaning must copy live messages out of a segment and delete it while an older one stays");
            Assert.True(store.RemovesCarried > 0, "cleaning must carry a Remove record forward");
            Assert.True(store.FileCommitsCopied > 0, "a segment holding a Status of the held message (its Commit in its message file) must have been cleaned");
            model.Verify(store);
            store.Close();
            sim.Reboot();
            var again = MessageStore.Open(sim, Options(), new StepClock());
            model.Verify(again);
            Assert.Equal(0, again.RecoveryDropped);
        }

        /// <summary>The store: as PowerLossTests' (44 KB, 4 KB segments, 20 KB reserve), with a
        /// 1 KB write unit, so that messages of a few hundred bytes stay in the shared segments.</summary>
        internal static QueueOptions Options() => new QueueOptions(Capacity, 4096, 1024, 20 * 1024, 32, 3);

        /// <summary>The workload: 18 messages queued (the store about 80 % full), one held throughout
        /// (in its message file, retried), the rest delivered in random order, each replaced by a
        /// new one, some attempts deferred first; then in arrival order but for one.</summary>
        internal static void Run(MessageStore store, StepClock clock, Model model)
        {
            var rnd = new Random(5);
            QueuedMessage held = Workload.Accept(store, model, 1, 2500, 2, 128);
            Workload.Status(store, model, held, 0, s => store.Defer(held, 0, clock.UtcNow.AddHours(1), "4.4.1", "destination down"));
            var live = new List<QueuedMessage>();
            int n = 2;
            for (; n < 20; n++) live.Add(Workload.Accept(store, model, n, Size(n), 1, 200));
            for (int step = 0; step < 40; step++)
            {
                int k = rnd.Next(live.Count);
                QueuedMessage m = live[k];
                if (step % 4 == 1)
                {
                    // A retry that fails again: a Status record newer than the message's Commit.
                    Workload.Status(store, model, m, 0, s => store.Defer(m, 0, clock.UtcNow.AddMinutes(5), "4.4.1", "timed out " + step));
                    continue;
                }
                Workload.Status(store, model, m, 0, s => store.MarkDelivered(m, 0, "2.0.0", "250 ok"));
                Workload.Remove(store, model, m);
                live.RemoveAt(k);
                if (step % 9 == 4) Workload.Status(store, model, held, 1, s => store.Defer(held, 1, clock.UtcNow.AddHours(2), "4.4.1", "still down " + step));
                live.Add(Workload.Accept(store, model, n, Size(n), 1, 200));
                n++;
                clock.Advance(TimeSpan.FromMinutes(1));
            }
            // Then fewer and larger ones in arrival order, the oldest one still held back.
            while (live.Count > 6)
            {
                QueuedMessage m = live[1];
                Workload.Status(store, model, m, 0, s => store.MarkDelivered(m, 0, "2.0.0", "250 ok"));
                Workload.Remove(store, model, m);
                live.RemoveAt(1);
            }
            for (int step = 0; step < 16; step++)
            {
                live.Add(Workload.Accept(store, model, n, 950, 1, 200));
                n++;
                if (live.Count < 8) continue;
                QueuedMessage m = live[1];
                Workload.Status(store, model, m, 0, s => store.MarkDelivered(m, 0, "2.0.0", "250 ok"));
                Workload.Remove(store, model, m);
                live.RemoveAt(1);
            }
        }

        private static int Size(int n) => 250 + n * 137 % 600;
    }
}
