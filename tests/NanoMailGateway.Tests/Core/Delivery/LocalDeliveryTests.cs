// Local delivery through the agent (no network): mailboxes with UIDs, unknown users,
// the quota, NOTIFY=SUCCESS reports, and a bounce that cannot reach the postmaster.

using System;
using System.Linq;
using System.Text;
using MimeKit;
using NanoMailGateway.Core.Queue;
using Xunit;
using static NanoMailGateway.Tests.Core.Delivery.DeliveryRig;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class LocalDeliveryTests
    {
        private static byte[] Body(int size)
        {
            var sb = new StringBuilder("Subject: local\r\n\r\n");
            while (sb.Length < size - 2) sb.Append('x');
            return Latin1(sb.Append("\r\n").ToString());
        }

        [Fact]
        public void A_message_to_alerts_lands_in_its_mailbox_with_a_UID_and_stays_queued()
        {
            var rig = new DeliveryRig(null, 25);
            byte[] body = Body(300);
            QueuedMessage m = rig.Put("sensor@lan.test", body, "alerts@gw.test", "Postmaster@gw.test");
            Assert.Equal(2, rig.Agent.RunOnce());
            Assert.Equal(RecipientState.InMailbox, m.GetStatus(0).State);
            Assert.Equal("alerts", m.GetStatus(0).Mailbox);
            Assert.True(m.GetStatus(0).Uid > 0);
            Assert.Equal("postmaster", m.GetStatus(1).Mailbox);
            Assert.NotEqual(m.GetStatus(0).Uid, m.GetStatus(1).Uid);
            Assert.Equal(body, Assert.Single(rig.MailboxMessages("alerts")));
            Assert.Equal(1, rig.Store.Count);
            Assert.True(rig.Log.Contains("to=<alerts@gw.test>, relay=local, delay=0, dsn=2.0.0, status=sent (delivered to mailbox alerts, uid "), rig.AllLog);
            Assert.Equal(0, rig.Agent.RunOnce());                // nothing due any more
        }

        [Fact]
        public void An_unknown_local_user_bounces_5_1_1_and_the_others_are_delivered()
        {
            var rig = new DeliveryRig(null, 25);
            rig.Put("alerts@gw.test", Body(200), "nobody@gw.test", "postmaster@gw.test");
            rig.Agent.RunOnce();
            byte[] bounce = Assert.Single(rig.MailboxMessages("alerts"));
            var msg = MimeMessage.Load(new System.IO.MemoryStream(bounce));
            var report = Assert.IsType<MultipartReport>(msg.Body);
            var groups = report.OfType<MessageDeliveryStatus>().Single().StatusGroups;
            Assert.Equal(2, groups.Count);
            Assert.Equal("rfc822; nobody@gw.test", groups[1]["Final-Recipient"]);
            Assert.Equal("5.1.1", groups[1]["Status"]);
            Assert.Contains(rig.Store.GetMessages(), q => q.Envelope.Sender == "" && q.Envelope.GetRecipient(0).Address == "alerts@gw.test");
            Assert.Single(rig.MailboxMessages("postmaster"));
            Assert.True(rig.Log.Contains("to=<nobody@gw.test>, relay=local, delay=0, dsn=5.1.1, status=bounced (unknown user"), rig.AllLog);
        }

        [Fact]
        public void Over_the_quota_defers_4_2_2_until_the_mailbox_is_emptied()
        {
            var rig = new DeliveryRig(null, 25, o => o.MailboxQuota = 1000);
            QueuedMessage first = rig.Put("sensor@lan.test", Body(700), "alerts@gw.test");
            QueuedMessage second = rig.Put("sensor@lan.test", Body(700), "alerts@gw.test");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.InMailbox, first.GetStatus(0).State);
            Assert.Equal(RecipientState.Deferred, second.GetStatus(0).State);
            Assert.Equal("4.2.2", second.GetStatus(0).Code);
            // POP3 deletes the first one.
            var drop = rig.Mailboxes.Open("alerts")!;
            Assert.True(drop.Commit(new[] { true }));
            drop.Close();
            rig.Clock.Advance(TimeSpan.FromSeconds(61));
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.InMailbox, second.GetStatus(0).State);
            Assert.True(first.IsRemoved);
        }

        [Fact]
        public void NOTIFY_SUCCESS_gets_a_delivered_report_and_the_null_sender_never_gets_one()
        {
            var rig = new DeliveryRig(null, 25);
            rig.Put("alerts@gw.test", Body(200), DsnNotify.Success, "postmaster@gw.test");
            rig.Put("", Body(200), DsnNotify.Success, "postmaster@gw.test");
            rig.Agent.RunOnce();
            string report = Encoding.Latin1.GetString(Assert.Single(rig.MailboxMessages("alerts")));
            Assert.Contains("Action: delivered", report);
            Assert.Equal(2, rig.MailboxMessages("postmaster").Count);
        }

        [Fact]
        public void An_undeliverable_bounce_that_the_postmaster_cannot_take_is_logged_and_dropped()
        {
            var rig = new DeliveryRig(null, 25);
            QueuedMessage m = rig.Put("", Body(200), "nobody@gw.test");
            var rig2 = new DeliveryRig(null, 25, o => o.MailboxQuota = 100);
            QueuedMessage m2 = rig2.Put("", Body(200), "nobody@gw.test");
            rig2.Agent.RunOnce();
            Assert.True(m2.IsRemoved, rig2.AllLog);
            Assert.True(rig2.Log.Contains(m2.QueueId + ": undeliverable mail from <> dropped: postmaster mailbox cannot take it"), rig2.AllLog);
            Assert.Equal(0, rig2.Store.Count);
            rig.Agent.RunOnce();
            Assert.Equal("postmaster", m.GetStatus(0).Mailbox);   // with room, it is kept there
        }

        [Fact]
        public void A_storage_failure_stops_the_agent_with_a_log_line_and_loses_nothing()
        {
            var rig = new DeliveryRig(null, 25);
            rig.Put("sensor@lan.test", Body(200), "alerts@gw.test");
            rig.Flash.CutPowerNow();
            Assert.ThrowsAny<NanoMailGateway.Core.Platform.StorageException>(() => rig.Agent.RunOnce());
            Assert.True(rig.Agent.StorageFailed);
            Assert.True(rig.Log.Contains("fatal: queue storage failed: power is off"), rig.AllLog);
            rig.Flash.Reboot();
            var store = MessageStore.Open(rig.Flash, new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 64, 4), rig.Clock);
            QueuedMessage m = Assert.Single(store.GetMessages());
            Assert.True(m.GetStatus(0).IsDue(rig.Clock.UtcNow));  // still queued: delivered after the reboot
        }

        [Fact]
        public void A_worker_thread_stops_when_the_store_cannot_be_reopened()
        {
            var rig = new DeliveryRig(null, 25, o =>
            {
                o.StorageRetryMs = 10;
                o.StorageReopenLimit = 3;
            });
            rig.Put("sensor@lan.test", Body(200), "alerts@gw.test");
            rig.Flash.CutPowerNow();
            rig.Agent.Start();
            try
            {
                rig.Agent.Wake();
                var deadline = DateTime.UtcNow.AddSeconds(5);
                while (!rig.Agent.StorageFailed && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(10);
                Assert.True(rig.Agent.StorageFailed, rig.AllLog);
                Assert.True(rig.Log.Contains("delivery stopped"));
                Assert.Equal(3, rig.Log.Lines.Count(l => l.Contains("warning: queue store reopen failed")));
            }
            finally
            {
                rig.Agent.Stop(2000);
            }
        }
    }
}
