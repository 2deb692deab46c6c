// End to end on loopback: messages in a real MessageStore, the DeliveryAgent, a real
// dnsmasq for the MX records and Postfix's smtp-sink as the exchangers; faults made
// with smtp-sink's -r (4xx), -f (5xx) and -q (drop) switches. Retries are driven by
// jumping the clock, never by sleeping.

using System;
using System.Linq;
using System.Text;
using MimeKit;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Core.SmtpClient;
using Xunit;
using static NanoMailGateway.Tests.Core.Delivery.DeliveryRig;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class MxDeliveryInteropTests : IClassFixture<DeliveryZone>
    {
        private readonly DeliveryZone _zone;

        public MxDeliveryInteropTests(DeliveryZone zone) { _zone = zone; }

        /// <summary>Bytes per pool buffer of the rigs (SmallBufferDeliveryTests runs the class again with 512).</summary>
        protected virtual int BufferSize => DefaultBufferSize;

        private DeliveryRig Rig(Action<NanoMailGateway.Core.Delivery.DeliveryAgentOptions>? tune = null) => new DeliveryRig(_zone.Dns(), _zone.SmtpPort, tune, bufferSize: BufferSize);

        private SmtpSinkPeer Sink(string address, params string[] faults) => new SmtpSinkPeer(address, _zone.SmtpPort, faults);

        [SkippableFact]
        public void Messages_arrive_byte_exact_over_one_connection_and_leave_the_queue()
        {
            var rig = Rig();
            using var sink = Sink("127.0.0.3");
            byte[] dots = Latin1("Subject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\nend.\r\n...\r\n");
            byte[] eight = Latin1("Subject: 8bit\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\u00e9 \u00ff\u00fe\u0080\r\n");
            var sb = new StringBuilder("Subject: long\r\n\r\n");
            for (int i = 0; i < 4000; i++) sb.Append(i % 7 == 0 ? "." : "").Append("line ").Append(i).Append(" of a long message, 0123456789abcdef\r\n");
            byte[] longMsg = Latin1(sb.ToString());
            foreach (byte[] m in new[] { dots, eight, longMsg }) rig.Put("alerts@gw.test", m, "ops@ok.test");
            Assert.Equal(3, rig.Agent.RunOnce());
            Assert.Equal(1, rig.Network.Connects);               // one session carried all three
            var got = sink.Messages(3);
            Assert.Equal(3, got.Count);
            foreach (byte[] m in new[] { dots, eight, longMsg }) Assert.Contains(got, g => g.SequenceEqual(Lf(m)));
            Assert.Equal(0, rig.Store.Count);
            Assert.Equal(3, rig.Log.Lines.Count(l => l.Contains("to=<ops@ok.test>, relay=mx.ok.test[127.0.0.3]:" + _zone.SmtpPort) && l.Contains("status=sent (host")));
            Assert.Equal(3, rig.Log.Lines.Count(l => l.EndsWith(": removed")));
            Assert.Equal(0, rig.Pool.InUse);
        }

        [SkippableFact]
        public void A_session_of_two_1024_byte_buffers_sends_long_and_dotted_messages_byte_exact()
        {
            // The message is read from flash into the send buffer itself (no third buffer):
            // a pool of exactly one session's two smallest buffers must do.
            var pool = new NanoMailGateway.Core.Buffers.BufferPool("delivery", 1024, 2);
            var rig = new DeliveryRig(_zone.Dns(), _zone.SmtpPort, pool: pool);
            using var sink = Sink("127.0.0.3");
            var sb = new StringBuilder("Subject: dots\r\n\r\n");
            for (int i = 0; i < 3000; i++) sb.Append(i % 3 == 0 ? "." : "").Append(i % 5 == 0 ? "..\r\n" : "line " + i + ", caf\u00e9\r\n");
            byte[] dots = Latin1(sb.ToString());
            byte[] big = Latin1("Subject: big\r\n\r\n" + new string('x', 998) + "\r\n" + string.Concat(Enumerable.Repeat(".\r\n" + new string('y', 997) + "\r\n", 60)));
            foreach (byte[] m in new[] { dots, big }) rig.Put("alerts@gw.test", m, "ops@ok.test");
            Assert.Equal(2, rig.Agent.RunOnce());
            var got = sink.Messages(2);
            foreach (byte[] m in new[] { dots, big }) Assert.Contains(got, g => g.SequenceEqual(Lf(m)));
            Assert.Equal(0, rig.Store.Count);
            Assert.Equal(2, pool.HighWaterMark);
            Assert.Equal(0, pool.Refusals);
            Assert.Equal(0, pool.InUse);
        }

        [SkippableFact]
        public void The_first_MX_down_means_the_second_is_used()
        {
            var rig = Rig();
            using var sink = Sink("127.0.0.3");
            rig.Put("alerts@gw.test", Simple("mx2"), "ops@two.test");
            Assert.Equal(1, rig.Agent.RunOnce());
            Assert.Single(sink.Messages(1));
            Assert.Equal(0, rig.Store.Count);
            Assert.True(rig.Log.Contains("connect to mx1.two.test[127.0.0.2]:" + _zone.SmtpPort), rig.AllLog);
            Assert.True(rig.Log.Contains("to=<ops@two.test>, relay=mx2.two.test[127.0.0.3]:" + _zone.SmtpPort), rig.AllLog);
        }

        [SkippableTheory]
        [InlineData("RCPT")]
        [InlineData("DATA")]
        public void A_4xx_defers_and_the_retry_on_schedule_delivers(string command)
        {
            var rig = Rig();
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("soft"), "ops@soft.test");
            DateTime before = rig.Clock.UtcNow;
            using (Sink("127.0.0.5", "-r", command))
            {
                Assert.Equal(1, rig.Agent.RunOnce());
            }
            RecipientStatus s = m.GetStatus(0);
            Assert.Equal(RecipientState.Deferred, s.State);
            Assert.StartsWith("4.", s.Code);
            Assert.InRange((s.NextAttemptUtc - before).TotalSeconds, 59, 65);   // retry_min 60 s, no jitter
            Assert.True(rig.Log.Contains("status=deferred (host mx.soft.test[127.0.0.5]"), rig.AllLog);
            using var good = Sink("127.0.0.5");
            Assert.Equal(0, rig.Agent.RunOnce());                // not due yet
            rig.Clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(1, rig.Agent.RunOnce());
            Assert.Single(good.Messages(1));
            Assert.Equal(0, rig.Store.Count);
            Assert.Equal(2, m.GetStatus(0).Attempts);
        }

        [SkippableFact]
        public void A_5xx_for_one_of_three_recipients_bounces_only_that_one_into_the_local_senders_mailbox()
        {
            var rig = Rig();
            using var ok = Sink("127.0.0.3");
            using var fail = Sink("127.0.0.4", "-f", "RCPT");
            rig.Put("alerts@gw.test", Simple("three"), "a@ok.test", "b@fail.test", "c@ok.test");
            rig.Agent.RunOnce();
            Assert.Single(ok.Messages(1));
            Assert.True(rig.Store.Count == 1, rig.AllLog);   // only the bounce, now in the mailbox
            var box = rig.MailboxMessages("alerts");
            byte[] bounce = Assert.Single(box);
            var msg = MimeMessage.Load(new System.IO.MemoryStream(bounce));
            var report = Assert.IsType<MultipartReport>(msg.Body);
            Assert.Equal("delivery-status", report.ReportType);
            Assert.Equal("auto-replied", msg.Headers["Auto-Submitted"]);
            var status = report.OfType<MessageDeliveryStatus>().Single();
            var groups = status.StatusGroups;
            Assert.Equal(2, groups.Count);                       // per-message fields + one recipient
            Assert.Equal("rfc822; b@fail.test", groups[1]["Final-Recipient"]);
            Assert.Equal("failed", groups[1]["Action"]);
            Assert.StartsWith("5.", groups[1]["Status"]);
            Assert.Contains("Subject: three", report.OfType<TextRfc822Headers>().Single().ToString());
            Assert.True(rig.Log.Contains("to=<b@fail.test>, relay=mx.fail.test[127.0.0.4]:" + _zone.SmtpPort));
            Assert.True(rig.Log.Contains("status=bounced"));
            Assert.True(rig.Log.Contains("sender non-delivery notification"));
        }

        [SkippableFact]
        public void A_connection_dropped_before_the_final_reply_is_retried()
        {
            var rig = Rig();
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("dropped"), "ops@drop.test");
            using (Sink("127.0.0.6", "-q", "."))
            {
                Assert.Equal(1, rig.Agent.RunOnce());
            }
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Equal("4.4.2", m.GetStatus(0).Code);
            using var good = Sink("127.0.0.6");
            rig.Clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(1, rig.Agent.RunOnce());
            Assert.Single(good.Messages(1));
            Assert.Equal(0, rig.Store.Count);
        }

        [SkippableFact]
        public void A_destination_nobody_answers_for_is_left_alone_for_a_while()
        {
            var rig = Rig();
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("down1"), "ops@two.test");
            QueuedMessage m2 = rig.Put("alerts@gw.test", Simple("down2"), "ops@two.test");
            rig.Agent.RunOnce();
            Assert.Equal(2, rig.Network.Connects);               // mx1 and mx2 once, not once per message
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Equal(RecipientState.Deferred, m2.GetStatus(0).State);
            Assert.Equal("4.4.1", m2.GetStatus(0).Code);
            QueuedMessage m3 = rig.Put("alerts@gw.test", Simple("down3"), "ops@two.test");
            rig.Agent.RunOnce();
            Assert.Equal(2, rig.Network.Connects);
            Assert.Contains("delivery temporarily suspended", m3.GetStatus(0).Text);
            using var sink = Sink("127.0.0.3");
            rig.Clock.Advance(TimeSpan.FromSeconds(61));         // the dead entry lasts retry_min here
            rig.Agent.RunOnce();
            Assert.Equal(3, sink.Messages(3).Count);
            Assert.Equal(0, rig.Store.Count);
        }

        [SkippableFact]
        public void A_dead_DNS_server_defers()
        {
            _zone.Dns();
            var rig = new DeliveryRig("127.0.0.1:" + Support.FreePort.Udp(), _zone.SmtpPort, bufferSize: BufferSize);
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("nodns"), "ops@ok.test");
            QueuedMessage m2 = rig.Put("alerts@gw.test", Simple("nodns2"), "ops@ok.test");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Equal("4.4.3", m.GetStatus(0).Code);
            Assert.Equal(RecipientState.Deferred, m2.GetStatus(0).State);
            Assert.Equal(2, rig.Store.Count);
            Assert.Empty(rig.MailboxMessages("alerts"));         // no notice: delay_warning is off
        }

        [SkippableTheory]
        [InlineData("nullmx.test", "5.1.10")]
        [InlineData("nosuch.test", "5.1.2")]
        public void Null_MX_and_NXDOMAIN_bounce_to_a_remote_sender_by_SMTP(string domain, string code)
        {
            var rig = Rig();
            using var ok = Sink("127.0.0.3");
            QueuedMessage m = rig.Put("owner@ok.test", Simple("nowhere"), "ops@" + domain);
            rig.Agent.RunOnce();
            Assert.Equal(0, rig.Store.Count);
            Assert.True(rig.Log.Contains("to=<ops@" + domain + ">, relay=none, delay=0, dsn=" + code + ", status=bounced"), rig.AllLog);
            byte[] bounce = Assert.Single(ok.Messages(1));
            string text = Encoding.Latin1.GetString(bounce);
            Assert.Contains("Status: " + code, text);
            Assert.Contains("multipart/report", text);
        }

        [SkippableFact]
        public void Past_the_queue_lifetime_a_deferred_recipient_bounces_with_4_4_7_once()
        {
            var rig = Rig();
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("old"), "ops@soft.test");
            using (Sink("127.0.0.5", "-r", "RCPT"))
            {
                rig.Agent.RunOnce();
                Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
                rig.Clock.Advance(TimeSpan.FromSeconds(3601));
                rig.Agent.RunOnce();
            }
            Assert.Equal(RecipientState.Failed, m.GetStatus(0).State);
            Assert.Equal("4.4.7", m.GetStatus(0).Code);
            byte[] bounce = Assert.Single(rig.MailboxMessages("alerts"));
            Assert.Contains("Status: 4.4.7", Encoding.Latin1.GetString(bounce));
            Assert.Equal(1, rig.Store.Count);                    // only the bounce, in the mailbox
            rig.Clock.Advance(TimeSpan.FromSeconds(3601));
            Assert.Equal(0, rig.Agent.RunOnce());
            Assert.Single(rig.MailboxMessages("alerts"));
        }

        [SkippableFact]
        public void One_delay_notice_after_delay_warning_when_NOTIFY_allows()
        {
            var rig = Rig(o => o.Retry.DelayWarningMs = 100_000);
            rig.Put("alerts@gw.test", Simple("slow"), NanoMailGateway.Core.Queue.DsnNotify.Delay | NanoMailGateway.Core.Queue.DsnNotify.Failure, "ops@soft.test");
            rig.Put("alerts@gw.test", Simple("quiet"), NanoMailGateway.Core.Queue.DsnNotify.Failure, "ops2@soft.test");
            using var soft = Sink("127.0.0.5", "-r", "RCPT");
            rig.Agent.RunOnce();
            Assert.Empty(rig.MailboxMessages("alerts"));
            for (int i = 0; i < 3; i++)
            {
                rig.Clock.Advance(TimeSpan.FromSeconds(250));
                rig.Agent.RunOnce();
            }
            byte[] notice = Assert.Single(rig.MailboxMessages("alerts"));
            string text = Encoding.Latin1.GetString(notice);
            Assert.Contains("Action: delayed", text);
            Assert.Contains("ops@soft.test", text);
            Assert.DoesNotContain("ops2@soft.test", text);
        }

        [SkippableFact]
        public void A_failed_message_from_the_null_sender_goes_to_the_postmaster_never_bounced()
        {
            var rig = Rig();
            using var fail = Sink("127.0.0.4", "-f", "RCPT");
            QueuedMessage m = rig.Put("", Simple("a bounce"), "someone@fail.test");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.InMailbox, m.GetStatus(0).State);
            Assert.Equal("postmaster", m.GetStatus(0).Mailbox);
            Assert.Equal(1, rig.Store.Count);                    // no report was queued
            Assert.Single(rig.MailboxMessages("postmaster"));
            Assert.Empty(rig.MailboxMessages("alerts"));
            Assert.False(rig.Log.Contains("notification"));
        }

        // Both tests below wait until every worker has finished its first pass and waits
        // (IdleWaits) and use the default idle wait of 60 s: within their 5 s only the
        // signal they name can start the delivery.
        private static void WhileIdle(DeliveryRig rig, SmtpSinkPeer sink, Action signal)
        {
            rig.Agent.Start();
            try
            {
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (rig.Agent.IdleWaits < rig.Options.Sessions && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(5);
                Assert.True(rig.Agent.IdleWaits >= rig.Options.Sessions, "the workers never went idle");
                signal();
                Assert.Single(sink.Messages(1, 5000));
                deadline = DateTime.UtcNow.AddSeconds(5);
                while (rig.Store.Count > 0 && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(20);
                Assert.Equal(0, rig.Store.Count);
            }
            finally
            {
                rig.Agent.Stop(5000);
            }
            Assert.False(rig.Agent.StorageFailed);
        }

        [SkippableFact]
        public void Started_agent_delivers_new_mail_on_the_commit_signal()
        {
            var rig = Rig();
            using var sink = Sink("127.0.0.3");
            WhileIdle(rig, sink, () => rig.Put("alerts@gw.test", Simple("committed"), "ops@ok.test"));
        }

        [SkippableFact]
        public void Started_agent_retries_due_mail_when_woken()
        {
            var rig = Rig();
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("woken"), "ops@soft.test");
            using (Sink("127.0.0.5", "-r", "RCPT"))
            {
                Assert.Equal(1, rig.Agent.RunOnce());
            }
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            using var sink = Sink("127.0.0.5");
            WhileIdle(rig, sink, () =>
            {
                // Due now by the clock, but nothing signals the store: the workers sleep on.
                rig.Clock.Advance(TimeSpan.FromSeconds(61));
                rig.Agent.Wake();
            });
        }
    }
}
