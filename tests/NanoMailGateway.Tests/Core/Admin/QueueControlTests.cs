// The operator's hold and release (QueueControl) on a real store and delivery agent: a held
// message is never attempted however due it is, a release sends it at the next run, a
// hold is a Status record that a power cut right after the action does not undo, and
// retry leaves a held message alone.

using System;
using NanoMailGateway.Core.Admin;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Core.Delivery;
using Xunit;

namespace NanoMailGateway.Tests.Core.Admin
{
    public sealed class QueueControlTests
    {
        private static readonly byte[] Body = DeliveryRig.Latin1("Subject: held\r\n\r\nvalve 3 open\r\n");

        [Fact]
        public void A_held_message_is_not_delivered_until_released_and_then_at_the_next_run()
        {
            var rig = new DeliveryRig(null, 25);
            var control = new QueueControl(rig.Store, rig.Agent, rig.Clock, rig.Log);
            QueuedMessage held = rig.Put("sensor@plant.lan", Body, "alerts@gw.test");
            QueuedMessage other = rig.Put("sensor@plant.lan", Body, "alerts@gw.test");

            Assert.Equal(1, control.Hold(held.QueueId));
            Assert.Equal(RecipientState.Held, rig.StateOf(held, 0));
            Assert.Equal(DateTime.MaxValue, held.NextDueUtc);
            rig.Agent.RunOnce();
            rig.Clock.Advance(TimeSpan.FromMinutes(20));          // due long ago, were it not held
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.Held, rig.StateOf(held, 0));
            Assert.Equal(RecipientState.InMailbox, rig.StateOf(other, 0));
            Assert.Equal(0, control.Retry(null));                 // retry does not release
            Assert.Equal(0, control.Hold(held.QueueId));          // nothing left to hold

            Assert.Equal(1, control.Release(held.QueueId));
            Assert.Equal(RecipientState.Queued, rig.StateOf(held, 0));   // never tried: queued again
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.InMailbox, rig.StateOf(held, 0));
            Assert.Equal(2, rig.MailboxMessages("alerts").Count);
            Assert.Equal(QueueControl.NotFound, control.Hold("0000zzzz"));
            Assert.Contains(held.QueueId + ": held for 1 recipient(s)", rig.AllLog);
            Assert.Contains(held.QueueId + ": released for 1 recipient(s)", rig.AllLog);
        }

        [Fact]
        public void A_hold_survives_a_power_cut_and_a_deferred_recipient_keeps_its_attempts_and_error()
        {
            var rig = new DeliveryRig(null, 25);
            var control = new QueueControl(rig.Store, rig.Agent, rig.Clock, rig.Log);
            QueuedMessage m = rig.Put("sensor@plant.lan", Body, "ops@remote.example", "alerts@gw.test");
            rig.Store.Defer(m, 0, rig.Clock.UtcNow.AddMinutes(30), "4.4.1", "connection timed out");
            rig.Store.Flush();

            Assert.Equal(2, control.Hold(null));                  // ALL: the deferred and the queued one
            rig.Flash.CutPowerNow();
            rig.Flash.Reboot();
            var store = MessageStore.Open(rig.Flash, rig.Store.Options, rig.Clock);
            QueuedMessage again = store.Find(m.QueueId)!;
            RecipientStatus s = again.GetStatus(0);
            Assert.Equal(RecipientState.Held, s.State);
            Assert.Equal(1, s.Attempts);
            Assert.Equal("4.4.1", s.Code);
            Assert.Equal(RecipientState.Held, again.GetStatus(1).State);
            Assert.Equal(DateTime.MaxValue, again.NextDueUtc);    // the runner does not claim it after the restart

            var agent = rig.NewAgent(store, new MailboxStore(store), new NanoMailGateway.SelfTest.CountingRandom(5));
            var after = new QueueControl(store, agent, rig.Clock, rig.Log);
            Assert.Equal(2, after.Release(m.QueueId));
            RecipientStatus released = again.GetStatus(0);
            Assert.Equal(RecipientState.Deferred, released.State);    // tried before: deferred, due now
            Assert.Equal(1, released.Attempts);
            Assert.True(released.IsDue(rig.Clock.UtcNow));
            Assert.Equal(RecipientState.Queued, again.GetStatus(1).State);
        }

        [Fact]
        public void A_held_message_can_be_deleted()
        {
            var rig = new DeliveryRig(null, 25);
            var control = new QueueControl(rig.Store, rig.Agent, rig.Clock, rig.Log);
            QueuedMessage m = rig.Put("sensor@plant.lan", Body, "ops@remote.example");
            control.Hold(m.QueueId);
            Assert.Equal(1, control.Delete(m.QueueId, false));
            Assert.Null(rig.Store.Find(m.QueueId));
        }
    }
}
