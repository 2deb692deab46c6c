// Capacity that keeps outbound room (README, Capacity): mail that waits only in local
// mailboxes has its own budget (mailbox_max_messages, mailbox_capacity) beside the outbound
// index entries; gateway-made reports give way first when the budget is full; the queue
// runner warns at 75 % and 90 % and sends the postmaster one notice per episode.

using System;
using System.Linq;
using System.Text;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Gateway;
using Xunit;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class CapacityTests
    {
        private static byte[] Body(string subject, int size)
        {
            var sb = new StringBuilder("Subject: " + subject + "\r\n\r\n");
            while (sb.Length < size - 2) sb.Append('x');
            return DeliveryRig.Latin1(sb.Append("\r\n").ToString());
        }

        private static QueueOptions Wroom32()
        {
            LoadResult shipped = ConfigLoader.Load("esp32-wroom-32", null);
            Assert.True(shipped.Config != null, shipped.Error);
            return MailGateway.QueueOptionsFrom(shipped.Config!.Board);
        }

        [Fact]
        public void Thirty_unread_mailbox_messages_on_the_wroom_32_leave_outbound_mail_its_entries()
        {
            QueueOptions o = Wroom32();
            Assert.Equal(32, o.MaxMessages);
            var rig = new DeliveryRig(null, 25, capacity: o.CapacityBytes, queue: o);
            // 30 bounces and postmaster mail, unread: the situation reported on the board.
            for (int i = 0; i < 30; i++)
            {
                rig.Put("", Body("report " + i, 400), "postmaster@gw.test");
                rig.Agent.RunOnce();
            }
            int held = rig.Store.MailboxUsage(out long bytes);
            Assert.Equal(16, held);                                   // the wroom's mailbox_max_messages
            Assert.True(bytes <= o.MailboxBytes);
            Assert.Equal(16, rig.MailboxMessages("postmaster").Count);
            Assert.Equal(14, rig.Log.Lines.Count(l => l.Contains(": removed unread from the mailboxes to make room for ")));

            // Outbound alarms still get every entry the listener had before.
            Assert.Equal(0, rig.Store.OutboundCount);
            for (int i = 0; i < o.MaxMessages - o.ReservedLocalMessages; i++)
            {
                Assert.True(rig.Store.HasRoomFor(0), "alarm " + i + " refused:\n" + rig.AllLog);
                rig.Put("sensor@lan.test", Body("alarm " + i, 300), "ops@far.test");
            }
            Assert.False(rig.Store.HasRoomFor(0));                    // and no more: 452 4.3.1 as before
        }

        [Fact]
        public void The_oldest_report_gives_way_and_device_mail_to_a_full_budget_is_deferred()
        {
            var o = new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 64, 4, 2, 64 * 1024);
            var rig = new DeliveryRig(null, 25, queue: o);
            QueuedMessage first = rig.Put("", Body("first report", 300), "alerts@gw.test");
            rig.Agent.RunOnce();
            QueuedMessage device = rig.Put("sensor@lan.test", Body("device", 300), "alerts@gw.test");
            rig.Agent.RunOnce();
            QueuedMessage second = rig.Put("", Body("second report", 300), "alerts@gw.test");
            rig.Agent.RunOnce();
            Assert.True(first.IsRemoved, rig.AllLog);                  // the oldest report made room
            Assert.Contains(first.QueueId + ": removed unread from the mailboxes to make room for " + second.QueueId, rig.AllLog);
            Assert.Equal(RecipientState.InMailbox, device.GetStatus(0).State);
            Assert.Equal(RecipientState.InMailbox, second.GetStatus(0).State);

            // Only device mail is left to give way: none does, so more device mail waits (4.2.2).
            rig.Put("", Body("third report", 300), "alerts@gw.test");
            rig.Agent.RunOnce();                                       // takes second's place
            Assert.True(second.IsRemoved);
            var recipients = new NanoMailGateway.Core.Mailbox.MailboxRecipients(rig.Local, rig.Mailboxes, 64 * 1024);
            Assert.Equal(NanoMailGateway.Core.Smtp.LocalRecipientResult.Accept, recipients.Check("alerts@gw.test", 0)); // a report can still give way
            QueuedMessage late = rig.Put("sensor@lan.test", Body("late", 300), "alerts@gw.test");
            rig.Agent.RunOnce();                                       // the third report gives way to it
            Assert.Equal(RecipientState.InMailbox, late.GetStatus(0).State);
            Assert.Equal(NanoMailGateway.Core.Smtp.LocalRecipientResult.MailboxFull, recipients.Check("alerts@gw.test", 0)); // 452 4.2.2 at RCPT
            QueuedMessage waits = rig.Put("sensor@lan.test", Body("waits", 300), "alerts@gw.test");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.Deferred, waits.GetStatus(0).State);
            Assert.Equal("4.2.2", waits.GetStatus(0).Code);
            Assert.Equal(RecipientState.InMailbox, device.GetStatus(0).State); // device mail never gives way
        }

        [Fact]
        public void Passing_75_and_90_percent_logs_warnings_and_the_postmaster_gets_one_notice()
        {
            var o = new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 20, 4);
            var rig = new DeliveryRig(null, 25, queue: o);
            // Remote mail with no DNS server: it stays deferred and holds its entry.
            for (int i = 0; i < 14; i++) rig.Put("sensor@lan.test", Body("alarm " + i, 300), "ops@far.test");
            rig.Agent.RunOnce();
            Assert.DoesNotContain("warning: queue", rig.AllLog);      // 14 of 20 = 70 %
            rig.Put("sensor@lan.test", Body("alarm 14", 300), "ops@far.test");
            rig.Agent.RunOnce();
            Assert.Contains("warning: queue 75% full: 15 of 20 messages", rig.AllLog);
            Assert.Equal(1, rig.Agent.CapacityNotices);
            rig.Agent.RunOnce();                                       // the notice goes to the mailbox
            byte[] notice = Assert.Single(rig.MailboxMessages("postmaster"));
            string text = Encoding.Latin1.GetString(notice);
            Assert.Contains("Subject: Mail queue 75% full on gw.test\r\n", text);
            Assert.Contains("Auto-Submitted: auto-generated\r\n", text);
            Assert.Contains("15 of 20 messages", text);

            for (int i = 15; i < 18; i++) rig.Put("sensor@lan.test", Body("alarm " + i, 300), "ops@far.test");
            rig.Agent.RunOnce();
            Assert.Contains("warning: queue 90% full: 18 of 20 messages", rig.AllLog);
            Assert.Equal(1, rig.Agent.CapacityNotices);                // one notice per episode
            Assert.Single(rig.Log.Lines, l => l.Contains("warning: queue 90%"));
        }

        [Fact]
        public void A_new_episode_after_the_queue_drained_sends_a_new_notice()
        {
            var o = new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 8, 4);
            var rig = new DeliveryRig(null, 25, queue: o);
            QueuedMessage[] held = new QueuedMessage[6];
            for (int i = 0; i < 6; i++) held[i] = rig.Put("sensor@lan.test", Body("alarm " + i, 300), "ops@far.test");
            rig.Agent.RunOnce();
            Assert.Equal(1, rig.Agent.CapacityNotices);
            // The far side fails them for good: the queue drains below 60 %.
            foreach (QueuedMessage m in held)
            {
                rig.Store.MarkFailed(m, 0, "5.1.2", "gone");
                rig.Store.Remove(m);
            }
            rig.Agent.RunOnce();
            Assert.Contains("queue below 60% again", rig.AllLog);
            for (int i = 0; i < 6; i++) rig.Put("sensor@lan.test", Body("again " + i, 300), "ops@far.test");
            rig.Agent.RunOnce();
            Assert.Equal(2, rig.Agent.CapacityNotices);
        }
    }
}
