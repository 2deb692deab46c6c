// The gateway's own mail (README, Notices): LocalSubmission composes a short RFC 5322
// message from <> with Auto-Submitted: auto-generated and a UTF-8 body; HealthNotices sends
// one notice per kind per notify_interval and counts the events in between into a summary;
// the capacity and storage-recovered notices go to notify_to.

using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MimeKit;
using NanoMailGateway.Core.Notices;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Core.Delivery;
using Xunit;

namespace NanoMailGateway.Tests.Core.Notices
{
    public class NoticeTests
    {
        private static DeliveryRig Rig(QueueOptions? queue = null, Action<NanoMailGateway.Core.Delivery.DeliveryAgentOptions>? more = null)
        {
            var rig = new DeliveryRig(null, 25, o => { o.StorageRetryMs = 20; more?.Invoke(o); }, queue: queue);
            rig.Config.NotifyTo = new[] { "alerts" };                                 // read at the first notice
            return rig;
        }

        private static string[] Texts(DeliveryRig rig, string mailbox) =>
            rig.MailboxMessages(mailbox).Select(b => Encoding.UTF8.GetString(b)).ToArray();

        /// <summary>Messages queued and not yet in a mailbox.</summary>
        private static int Waiting(DeliveryRig rig) =>
            rig.Store.GetMessages().Count(m => m.GetStatus(0).State != RecipientState.InMailbox);

        [Fact]
        public void A_submitted_message_has_the_headers_of_an_automatic_message_and_a_utf8_body()
        {
            var rig = Rig();
            Assert.True(rig.Agent.Submission.Submit("Boiler pressure", "Druck 3,1 bar über Grenze\nzweite Zeile"));
            QueuedMessage q = Assert.Single(rig.Store.GetMessages());
            Assert.Equal("", q.Envelope.Sender);                                    // RFC 5321 §4.5.5
            Assert.Equal("alerts@gw.test", q.Envelope.GetRecipient(0).Address);
            rig.Agent.RunOnce();
            byte[] raw = Assert.Single(rig.MailboxMessages("alerts"));
            string text = Encoding.UTF8.GetString(raw);
            Assert.Contains("\r\nDruck 3,1 bar über Grenze\r\nzweite Zeile\r\n", text);  // bare LF became CRLF
            MimeMessage m = MimeMessage.Load(new MemoryStream(raw));
            Assert.Equal("MAILER-DAEMON@gw.test", ((MailboxAddress)m.From[0]).Address);
            Assert.Equal("alerts@gw.test", ((MailboxAddress)m.To[0]).Address);
            Assert.Equal("Boiler pressure", m.Subject);
            Assert.Equal("auto-generated", m.Headers["Auto-Submitted"]);
            Assert.EndsWith(".notice@gw.test", m.MessageId);
            Assert.Equal(rig.Clock.UtcNow.Date, m.Date.UtcDateTime.Date);
            var part = Assert.IsType<TextPart>(m.Body);
            Assert.Equal("utf-8", part.ContentType.Charset);
            Assert.StartsWith("Druck 3,1 bar über Grenze", part.Text);
        }

        [Fact]
        public void Board_code_names_its_own_recipients_and_two_messages_get_two_message_ids()
        {
            var rig = Rig();
            Assert.True(rig.Agent.Submission.Submit(new[] { "postmaster@gw.test", "alerts@gw.test" }, "a", "one"));
            Assert.True(rig.Agent.Submission.Submit(new[] { "postmaster@gw.test" }, "b", "two"));
            rig.Agent.RunOnce();
            string[] pm = Texts(rig, "postmaster");
            Assert.Equal(2, pm.Length);
            Assert.Single(Texts(rig, "alerts"));
            string Id(string t) => t.Split("\r\n").Single(l => l.StartsWith("Message-ID: "));
            Assert.NotEqual(Id(pm[0]), Id(pm[1]));
        }

        [Fact]
        public void Submit_on_a_failed_medium_returns_false_and_does_not_throw()
        {
            var rig = Rig();
            rig.Flash.CutPowerNow();
            Assert.False(rig.Agent.Submission.Submit("x", "y"));
            Assert.Contains("cannot queue 'x': storage failed", rig.AllLog);
        }

        [Fact]
        public void A_flapping_condition_sends_one_notice_then_one_summary_with_the_count_after_the_interval()
        {
            var rig = Rig();
            HealthNotices n = rig.Agent.Notices;
            Assert.True(n.Raise(HealthNotices.UplinkBack, 12_000, null));
            for (int i = 0; i < 37; i++) Assert.False(n.Raise(HealthNotices.UplinkBack, 5_000 + i * 1000, null));
            n.Poll();                                                                 // the interval is not over
            Assert.Single(rig.Store.GetMessages());
            // Another kind has its own limit.
            Assert.True(n.Raise(HealthNotices.StorageRecovered, 2, null));
            rig.Agent.RunOnce();                                                      // delivered before the clock jumps (queue_lifetime 1h here)

            rig.Clock.Advance(TimeSpan.FromMinutes(59));
            n.Poll();
            Assert.Equal(0, Waiting(rig));
            rig.Clock.Advance(TimeSpan.FromMinutes(2));
            n.Poll();                                                                 // the summary
            n.Poll();                                                                 // and only one
            Assert.Equal(1, Waiting(rig));
            rig.Agent.RunOnce();
            string[] mail = Texts(rig, "alerts");
            Assert.Equal(3, mail.Length);
            Assert.Contains("Subject: Network of gw.test back after 12 s\r\n", mail[0]);
            Assert.Contains("was down for 12 s and is back", mail[0]);
            Assert.Contains("Subject: Storage of gw.test recovered\r\n", mail[1]);
            Assert.Contains("went down 37 times since the last notice; the last outage lasted 41 s.", mail[2]);
            Assert.Empty(Texts(rig, "postmaster"));

            // After the summary the interval starts again: the next event waits, then is counted in.
            Assert.False(n.Raise(HealthNotices.UplinkBack, 3000, null));
            rig.Clock.Advance(TimeSpan.FromMinutes(30));
            Assert.False(n.Raise(HealthNotices.UplinkBack, 3000, null));
            rig.Clock.Advance(TimeSpan.FromMinutes(31));
            Assert.True(n.Raise(HealthNotices.UplinkBack, 4000, null));
            rig.Agent.RunOnce();
            Assert.Contains("Events of this kind since the last notice, not sent then: 2.", Texts(rig, "alerts")[3]);
        }

        [Fact]
        public void The_capacity_notices_go_to_notify_to_and_the_90_percent_notice_is_rate_limited()
        {
            var o = new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 20, 4);
            var rig = Rig(o);
            byte[] body = DeliveryRig.Latin1("Subject: alarm\r\n\r\nx\r\n");
            for (int i = 0; i < 18; i++) rig.Put("sensor@lan.test", body, "ops@far.test");
            rig.Agent.RunOnce();                                                     // 90 %: both notices
            rig.Agent.RunOnce();
            string[] mail = Texts(rig, "alerts");
            Assert.Equal(2, mail.Length);
            Assert.Contains("This is the only notice until the queue falls below 60%.", mail[0]);
            Assert.Contains("Subject: Mail queue 90% full on gw.test\r\n", mail[1]);
            Assert.Contains("18 of 20 messages", mail[1]);
            Assert.Empty(Texts(rig, "postmaster"));
            Assert.False(rig.Agent.Notices.Raise(HealthNotices.QueueAlarm, 90, null));   // the next one waits for the interval
        }

        [Fact]
        public void A_recovered_store_sends_its_notice_to_notify_to()
        {
            var rig = Rig();
            rig.Put("sensor@lan.test", DeliveryRig.Latin1("Subject: before\r\n\r\nx\r\n"), "postmaster@gw.test");
            rig.Flash.CutPowerNow();
            rig.Agent.Start();
            try
            {
                rig.Agent.Wake();
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!rig.Log.Contains("reopen failed (attempt 1)") && DateTime.UtcNow < deadline) Thread.Sleep(10);
                rig.Flash.Reboot();
                while (DateTime.UtcNow < deadline && !Texts(rig, "alerts").Any(t => t.Contains("Subject: Storage of gw.test recovered"))) Thread.Sleep(20);
                string notice = Assert.Single(Texts(rig, "alerts"));
                Assert.Contains("failed and was reopened after 2 attempt(s)", notice);
            }
            finally
            {
                rig.Agent.Stop(2000);
            }
        }
    }
}
