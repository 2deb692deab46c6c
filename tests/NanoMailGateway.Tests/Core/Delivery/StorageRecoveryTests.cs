// Storage faults recover in place (README, Storage faults): after a failed write the
// queue runner reopens the store (recovery as at start) with backoff and goes on, with
// nothing that was committed lost, without a restart of the gateway.

using System;
using System.Linq;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class StorageRecoveryTests
    {
        private static byte[] Body(string subject) => DeliveryRig.Latin1("Subject: " + subject + "\r\n\r\nboiler 3.1 bar\r\n");

        private static void WaitFor(Func<bool> done, DeliveryRig rig, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!done() && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Assert.True(done(), what + ":\n" + rig.AllLog);
        }

        [Fact]
        public void The_worker_reopens_the_store_once_the_medium_is_back_and_delivers_what_was_queued()
        {
            var rig = new DeliveryRig(null, 25, o => o.StorageRetryMs = 20);
            QueuedMessage m = rig.Put("sensor@lan.test", Body("before"), "alerts@gw.test");
            rig.Flash.CutPowerNow();                                   // every file operation fails from now on
            rig.Agent.Start();
            try
            {
                rig.Agent.Wake();
                WaitFor(() => rig.Log.Contains("warning: queue store reopen failed (attempt 2)"), rig, "no second reopen attempt");
                Assert.False(rig.Store.HasRoomFor(0));                // the listener answers 452 4.3.1 meanwhile
                rig.Flash.Reboot();                                    // the medium works again
                WaitFor(() => rig.Log.Contains("queue store reopened after a storage fault"), rig, "the store was not reopened");
                // The status written before the fault was not durable: recovery set it back, and it is delivered again.
                WaitFor(() => m.GetStatus(0).State == RecipientState.InMailbox && rig.MailboxMessages("alerts").Count == 1, rig,
                    "the queued message was not delivered");
                Assert.False(rig.Agent.StorageFailed);
                Assert.True(rig.Store.HasRoomFor(0));

                // New mail is taken and delivered again, by the same running agent.
                QueuedMessage after = rig.Put("sensor@lan.test", Body("after"), "alerts@gw.test");
                rig.Agent.Wake();
                WaitFor(() => after.GetStatus(0).State == RecipientState.InMailbox, rig, "new mail was not delivered");
                Assert.Equal(2, rig.MailboxMessages("alerts").Count);
            }
            finally
            {
                rig.Agent.Stop(2000);
            }
        }

        [Fact]
        public void Reopen_keeps_the_entries_callers_hold_and_never_reuses_a_sequence_number()
        {
            var flash = new FlashSimulator(1024 * 1024, 3);
            var clock = new StepClock();
            var store = MessageStore.Open(flash, new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 64, 4), clock);
            var env = new Envelope("sensor@lan.test");
            env.AddRecipient(new EnvelopeRecipient("ops@far.test", false, DsnNotify.Unspecified, null));
            IMessageWriter w = store.BeginMessage(env)!;
            byte[] body = Body("kept");
            Assert.True(w.Write(body, 0, body.Length));
            w.Commit();
            QueuedMessage kept = store.Find(w.QueueId)!;

            // A writer in progress when the medium fails: it is never acknowledged.
            var env2 = new Envelope("sensor@lan.test");
            env2.AddRecipient(new EnvelopeRecipient("ops@far.test", false, DsnNotify.Unspecified, null));
            IMessageWriter open = store.BeginMessage(env2)!;
            long next = store.NextSequence;
            flash.CutPowerNow();
            Assert.ThrowsAny<StorageException>(() => store.Defer(kept, 0, DateTime.UtcNow, "4.4.1", "no answer"));
            Assert.True(store.IsBroken);
            Assert.ThrowsAny<StorageException>(() => store.Reopen());  // still failing: stays broken
            Assert.True(store.IsBroken);
            flash.Reboot();
            Assert.True(store.Reopen());
            Assert.False(store.IsBroken);
            Assert.Equal(1, store.Reopens);
            Assert.Same(kept, Assert.Single(store.GetMessages()));    // the same entry, with its durable state
            Assert.Equal(RecipientState.Queued, kept.GetStatus(0).State);
            Assert.True(store.NextSequence >= next);
            var reader = store.OpenReader(kept);
            var got = new byte[body.Length];
            Assert.Equal(body.Length, reader.Read(0, got, 0, got.Length));
            Assert.Equal(body, got);
            Assert.ThrowsAny<StorageException>(() => open.Commit());   // 451 4.3.0 for the one in progress
            open.Abort();
            Assert.Equal(0, store.OpenWriters);
            store.MarkDelivered(kept, 0, "2.0.0", "ok");               // and the store writes again
            Assert.True(store.Remove(kept));
            Assert.Empty(store.GetMessages());
        }
    }
}
