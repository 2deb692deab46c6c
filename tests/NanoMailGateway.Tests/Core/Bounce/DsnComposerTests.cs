using System;
using System.IO;
using System.Linq;
using System.Text;
using MimeKit;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.Core.SmtpClient;
using StepClock = NanoMailGateway.SelfTest.StepClock;
using CountingRandom = NanoMailGateway.SelfTest.CountingRandom;

namespace NanoMailGateway.Tests.Core.Bounce
{
    public class DsnComposerTests
    {
        private const string Original = "From: sensor@lan.test\r\nTo: ops@x.test, db@y.test\r\nSubject: disk full\r\nMessage-ID: <1@lan.test>\r\n\r\nbody line\r\n.dot line\r\n";

        internal sealed class MemoryWriter : IMessageWriter
        {
            public readonly MemoryStream Data = new MemoryStream();
            public long Capacity = long.MaxValue;
            public int Writes;
            public string QueueId => "BOUNCE1";
            public long Length => Data.Length;
            public bool Write(byte[] buffer, int offset, int count)
            {
                Writes++;
                if (Data.Length + count > Capacity) return false;
                Data.Write(buffer, offset, count);
                return true;
            }
            private readonly byte[] _unit = new byte[512];
            public byte[] GetBuffer(out int offset, out int count)
            {
                offset = 0;
                count = _unit.Length;
                return _unit;
            }
            public bool Advance(int count) => Write(_unit, 0, count);
            public void Commit() { }
            public void Abort() { }
        }

        private static readonly DateTime Arrival = new DateTime(2026, 11, 23, 9, 5, 7, DateTimeKind.Utc);

        private static Envelope Env(DsnReturn ret = DsnReturn.Unspecified, string? envid = "ENV-42")
        {
            var e = new Envelope("sensor@lan.test") { Return = ret, EnvelopeId = envid, ArrivalUtc = Arrival };
            return e;
        }

        private static DsnRecipient[] TwoFailedOneDelayed(DateTime now)
        {
            return new[]
            {
                new DsnRecipient(new EnvelopeRecipient("ops@x.test", false, DsnNotify.Unspecified, "rfc822;Ops@X.test"), DsnAction.Failed,
                    new DeliveryStatus(DeliveryOutcome.Permanent, 550, "5.1.1", "<ops@x.test>: Recipient address rejected: User unknown"), "mx.x.test", now, default),
                new DsnRecipient(new EnvelopeRecipient("db@y.test", false, DsnNotify.Failure, null), DsnAction.Failed,
                    RetrySchedule.Expired(DeliveryStatus.LocalTransient("4.4.1", "connect to mx.y.test[192.0.2.1]:25: Connection refused")), null, now, default),
                new DsnRecipient(new EnvelopeRecipient("late@y.test", false, DsnNotify.Delay, null), DsnAction.Delayed,
                    new DeliveryStatus(DeliveryOutcome.Transient, 451, "4.3.0", "try later"), "mx.y.test", now, now.AddDays(3)),
            };
        }

        private static (MimeMessage msg, string raw, DsnComposer composer) Compose(Envelope env, DsnRecipient[] rcpts, string original, DsnComposerOptions? o = null, int bufferSize = 256)
        {
            var clock = new StepClock();
            var composer = new DsnComposer(o ?? new DsnComposerOptions { HostName = "gw.lan.test" }, clock, new CountingRandom(7));
            var w = new MemoryWriter();
            Assert.True(composer.Compose(w, env, rcpts, new BytesContent(original, 13)));
            byte[] bytes = w.Data.ToArray();
            var msg = MimeMessage.Load(new MemoryStream(bytes));
            return (msg, Encoding.Latin1.GetString(bytes), composer);
        }

        [Fact]
        public void FailureReportIsAValidMultipartReportListingEveryRecipient()
        {
            var clock = new StepClock();
            var (msg, raw, composer) = Compose(Env(), TwoFailedOneDelayed(clock.UtcNow), Original);
            Assert.Equal("Undelivered Mail Returned to Sender", msg.Subject);
            Assert.Equal("MAILER-DAEMON@gw.lan.test", ((MailboxAddress)msg.From[0]).Address);
            Assert.Equal("sensor@lan.test", ((MailboxAddress)msg.To[0]).Address);
            Assert.Equal("auto-replied", msg.Headers["Auto-Submitted"]);
            Assert.Equal(composer.LastMessageId, "<" + msg.MessageId + ">");
            Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), msg.Date);
            var report = Assert.IsType<MultipartReport>(msg.Body);
            Assert.Equal("delivery-status", report.ReportType);
            Assert.Equal(3, report.Count);
            var text = Assert.IsType<TextPart>(report[0]);
            Assert.Contains("<ops@x.test>: failed: host mx.x.test said: 550 5.1.1 <ops@x.test>: Recipient address rejected: User unknown", text.Text);
            Assert.Contains("<db@y.test>: failed: delivery time expired", text.Text);

            var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
            Assert.Equal(4, status.StatusGroups.Count);
            HeaderList perMessage = status.StatusGroups[0];
            Assert.Equal("dns; gw.lan.test", perMessage["Reporting-MTA"]);
            Assert.Equal("ENV-42", perMessage["Original-Envelope-Id"]);
            Assert.Equal("Mon, 23 Nov 2026 09:05:07 +0000", perMessage["Arrival-Date"]);
            HeaderList r0 = status.StatusGroups[1];
            Assert.Equal("rfc822;Ops@X.test", r0["Original-Recipient"]);
            Assert.Equal("rfc822; ops@x.test", r0["Final-Recipient"]);
            Assert.Equal("failed", r0["Action"]);
            Assert.Equal("5.1.1", r0["Status"]);
            Assert.Equal("dns; mx.x.test", r0["Remote-MTA"]);
            Assert.Equal("smtp; 550 5.1.1 <ops@x.test>: Recipient address rejected: User unknown", r0["Diagnostic-Code"]);
            Assert.Equal("Sat, 28 Nov 2026 12:00:00 +0000", r0["Last-Attempt-Date"]);
            Assert.Null(r0["Will-Retry-Until"]);
            HeaderList r1 = status.StatusGroups[2];
            Assert.Equal("4.4.7", r1["Status"]);
            Assert.Null(r1["Remote-MTA"]);
            Assert.Null(r1["Diagnostic-Code"]);
            Assert.Null(r1["Original-Recipient"]);
            HeaderList r2 = status.StatusGroups[3];
            Assert.Equal("delayed", r2["Action"]);
            Assert.Equal("4.3.0", r2["Status"]);
            Assert.Equal("Tue, 1 Dec 2026 12:00:00 +0000", r2["Will-Retry-Until"]);

            var headers = Assert.IsType<TextRfc822Headers>(report[2]);
            Assert.Contains("Content-Type: text/rfc822-headers", raw);
            Assert.Equal("disk full", headers.Message!.Subject);
            Assert.Contains("8bit\r\n\r\nFrom: sensor@lan.test\r\nTo: ops@x.test, db@y.test\r\nSubject: disk full\r\nMessage-ID: <1@lan.test>\r\n\r\n--", raw);
            Assert.DoesNotContain("body line", raw);
        }

        [Fact]
        public void RetFullReturnsTheWholeMessageWhenItFits()
        {
            var now = new StepClock().UtcNow;
            var (msg, raw, _) = Compose(Env(DsnReturn.Full), TwoFailedOneDelayed(now).Take(1).ToArray(), Original);
            var report = (MultipartReport)msg.Body!;
            var attached = Assert.IsType<MessagePart>(report[2]);
            Assert.Equal("disk full", attached.Message!.Subject);
            Assert.Contains("body line\r\n.dot line\r\n", raw);
        }

        [Fact]
        public void RetFullOverTheCapFallsBackToHeaders()
        {
            var now = new StepClock().UtcNow;
            string big = "Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat("0123456789\r\n", 1000));
            var (msg, raw, _) = Compose(Env(DsnReturn.Full), TwoFailedOneDelayed(now).Take(1).ToArray(), big,
                new DsnComposerOptions { HostName = "gw", MaxFullMessageBytes = 4096 });
            Assert.IsType<TextRfc822Headers>(((MultipartReport)msg.Body!)[2]);
            Assert.DoesNotContain("0123456789", raw);
        }

        [Theory]
        [InlineData("Subject: a\r\n\r\nbody\r\n", "Subject: a\r\n")]
        [InlineData("Subject: a\r\nX: b\r\n", "Subject: a\r\nX: b\r\n")]        // no body at all
        [InlineData("Subject: a", "Subject: a\r\n")]                            // no final CRLF
        [InlineData("\r\nbody only\r\n", "")]                                  // empty header section
        public void HeaderSectionIsCutAtTheBlankLineWhateverTheChunking(string original, string expected)
        {
            foreach (int chunk in new[] { 1, 2, 3, 4, 5, 1000 })
            {
                var composer = new DsnComposer(new DsnComposerOptions { HostName = "gw" }, new StepClock(), new CountingRandom(1));
                var w = new MemoryWriter();
                var env = Env();
                var r = new[] { new DsnRecipient(new EnvelopeRecipient("a@b.test", false, DsnNotify.Unspecified, null), DsnAction.Failed, DeliveryStatus.LocalPermanent("5.1.2", "no such domain"), null, default, default) };
                Assert.True(composer.Compose(w, env, r, new BytesContent(original, chunk)));
                string raw = Encoding.Latin1.GetString(w.Data.ToArray());
                int start = raw.IndexOf("Content-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", StringComparison.Ordinal);
                Assert.True(start > 0);
                start = raw.IndexOf("\r\n\r\n", start, StringComparison.Ordinal) + 4;
                int end = raw.IndexOf("\r\n--", start, StringComparison.Ordinal);
                Assert.Equal(expected, raw.Substring(start, end - start));
            }
        }

        [Fact]
        public void HeaderSectionIsByteCapped()
        {
            string huge = "Subject: x\r\n" + string.Concat(Enumerable.Repeat("X-Filler: 0123456789012345678901234567890123456789\r\n", 500)) + "\r\nbody\r\n";
            var (msg, raw, _) = Compose(Env(), TwoFailedOneDelayed(DateTime.UtcNow).Take(1).ToArray(), huge, new DsnComposerOptions { HostName = "gw", MaxHeaderBytes = 1000 });
            Assert.IsType<TextRfc822Headers>(((MultipartReport)msg.Body!)[2]);
            Assert.True(raw.Length < 4000, "report length " + raw.Length);
        }

        [Fact]
        public void DelayAndSuccessSubjects()
        {
            var now = new StepClock().UtcNow;
            var delayed = TwoFailedOneDelayed(now).Skip(2).ToArray();
            var (msg, _, _) = Compose(Env(), delayed, Original);
            Assert.Equal("Delayed Mail (still being retried)", msg.Subject);
            var ok = new[] { new DsnRecipient(new EnvelopeRecipient("a@b.test", true, DsnNotify.Success, null), DsnAction.Delivered, new DeliveryStatus(DeliveryOutcome.Sent, 250, "2.0.0", "ok"), null, now, default) };
            var (msg2, _, _) = Compose(Env(), ok, Original);
            Assert.Equal("Successful Mail Delivery Report", msg2.Subject);
            var st = (MessageDeliveryStatus)((MultipartReport)msg2.Body!)[1];
            Assert.Equal("delivered", st.StatusGroups[1]["Action"]);
            Assert.Equal("2.0.0", st.StatusGroups[1]["Status"]);
        }

        [Fact]
        public void AFullStoreIsReported()
        {
            var composer = new DsnComposer(new DsnComposerOptions { HostName = "gw" }, new StepClock(), new CountingRandom(1));
            var w = new MemoryWriter { Capacity = 300 };
            Assert.False(composer.Compose(w, Env(), TwoFailedOneDelayed(DateTime.UtcNow), new BytesContent(Original)));
        }

        [Fact]
        public void OutputGoesThroughTheFixedBufferInChunks()
        {
            var composer = new DsnComposer(new DsnComposerOptions { HostName = "gw" }, new StepClock(), new CountingRandom(1));
            var w = new MemoryWriter();
            Assert.True(composer.Compose(w, Env(), TwoFailedOneDelayed(DateTime.UtcNow), new BytesContent(Original)));
            Assert.True(w.Writes > 3);
            Assert.True(w.Data.Length / w.Writes <= 256);
        }
    }
}
