// DATA handling: header hygiene (Date:, Message-ID:, From:, Received: count), limits answered
// only after the final dot, and queue failures (full, medium error, commit error).

using System;
using System.Linq;
using System.Text;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpDataTests : SmtpTranscriptTests
    {
        private const string Start = "EHLO x\r\nMAIL FROM:<dev@sensor.example>\r\nRCPT TO:<alerts@gw.example.net>\r\nDATA\r\n";

        private (string transcript, SmtpHarness h) Send(string data, Action<SmtpHarness>? setup = null)
        {
            var h = NewHarness();
            setup?.Invoke(h);
            string t = h.Transcript(Start + data + "NOOP\r\nQUIT\r\n");
            return (t, h);
        }

        [Fact]
        public void DateAndMessageIdAreKeptWhenPresent()
        {
            var (t, h) = Send("date: Fri, 27 Nov 2026 10:00:00 +0100\r\nMESSAGE-ID: <x@y>\r\nfrom: Boiler <b@sensor.example>\r\nSubject: s\r\n\r\nbody\r\n.\r\n");
            Assert.Equal("220 250 250 250 354 250 250 221", SmtpHarness.CodeString(t));
            Assert.Equal("date: Fri, 27 Nov 2026 10:00:00 +0100\r\nMESSAGE-ID: <x@y>\r\nfrom: Boiler <b@sensor.example>\r\nSubject: s\r\n\r\nbody\r\n", h.Store.Committed()[0].TextAfterReceived);
        }

        [Fact]
        public void AMissingFromIsMadeFromTheEnvelopeSender()
        {
            var (_, h) = Send("Subject: s\r\n\r\nFrom: in the body\r\n.\r\n");
            string m = h.Store.Committed()[0].TextAfterReceived;
            Assert.EndsWith("@gw.example.net>\r\nFrom: dev@sensor.example\r\n\r\nFrom: in the body\r\n", m);   // RFC 5322 §3.6
            var n = NewHarness();
            n.Transcript("EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<alerts@gw.example.net>\r\nDATA\r\nSubject: s\r\n\r\nx\r\n.\r\nQUIT\r\n");
            Assert.Contains("\r\nFrom: MAILER-DAEMON@gw.example.net\r\n\r\nx\r\n", n.Store.Committed()[0].TextAfterReceived);
        }

        [Fact]
        public void MissingFieldsGoAtTheEndOfTheHeaderSection()
        {
            var (_, h) = Send("Subject: s\r\nDate: Fri, 27 Nov 2026 10:00:00 +0100\r\n\r\nDate: in the body\r\n.\r\n");
            string m = h.Store.Committed()[0].TextAfterReceived;
            Assert.StartsWith("Subject: s\r\nDate: Fri, 27 Nov 2026 10:00:00 +0100\r\nMessage-ID: <", m);
            Assert.EndsWith("@gw.example.net>\r\nFrom: dev@sensor.example\r\n\r\nDate: in the body\r\n", m);
        }

        [Fact]
        public void ABodyWithoutHeadersGetsFieldsAndABlankLine()
        {
            var (_, h) = Send("just text, no header\r\n.\r\n");
            string m = h.Store.Committed()[0].TextAfterReceived;
            Assert.StartsWith("Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <", m);
            Assert.EndsWith(">\r\nFrom: dev@sensor.example\r\n\r\njust text, no header\r\n", m);
        }

        [Fact]
        public void HeaderOnlyMessageAndEmptyMessage()
        {
            var (_, h) = Send("Subject: only\r\n.\r\n");
            string m = h.Store.Committed()[0].TextAfterReceived;
            Assert.StartsWith("Subject: only\r\nDate: ", m);
            Assert.Contains("\r\nMessage-ID: <", m);
            (_, h) = Send(".\r\n");
            Assert.StartsWith("Date: ", h.Store.Committed()[0].TextAfterReceived);
        }

        [Fact]
        public void FoldedHeadersStayHeaders()
        {
            var (_, h) = Send("Subject: a\r\n b\r\n\tc\r\nX-Long-Name-Header : v\r\n\r\nx\r\n.\r\n");
            Assert.StartsWith("Subject: a\r\n b\r\n\tc\r\nX-Long-Name-Header : v\r\nDate: ", h.Store.Committed()[0].TextAfterReceived);
        }

        [Fact]
        public void ReceivedNamesProtocolAndRecipients()
        {
            var h = NewHarness();
            h.Transcript("HELO old\r\nMAIL FROM:<>\r\nRCPT TO:<a@gw.example.net>\r\nRCPT TO:<b@gw.example.net>\r\nDATA\r\n.\r\n");
            string m = h.Store.Committed()[0].Text;
            Assert.StartsWith("Received: from old ([198.51.100.7])\r\n\tby gw.example.net (NanoMailGateway) with SMTP id ", m);
            Assert.Contains("\r\n\t; Sat, 28 Nov 2026 12:00:00 +0000\r\n", m); // no "for" with two recipients
            Assert.Equal("", h.Store.Committed()[0].Envelope.Sender);
        }

        [Theory]
        [InlineData(30, "250")]
        [InlineData(31, "554")]
        public void MailLoopIsDetectedAfterTheFinalDot(int received, string code)
        {
            string headers = string.Concat(Enumerable.Repeat("Received: from a by b; Sat, 28 Nov 2026 12:00:00 +0000\r\n", received));
            var (t, h) = Send(headers + "Subject: loop\r\n\r\nbody\r\n.\r\n");
            Assert.Equal("220 250 250 250 354 " + code + " 250 221", SmtpHarness.CodeString(t));
            if (code == "554")
            {
                Assert.Contains("554 5.4.6 ", t);
                Assert.Empty(h.Store.Committed());
                Assert.Equal(1, h.Store.Aborted);
            }
        }

        [Fact]
        public void ReceivedInTheBodyIsNotCounted()
        {
            string body = string.Concat(Enumerable.Repeat("Received: from a by b\r\n", 40));
            var (t, h) = Send("Subject: x\r\n\r\n" + body + ".\r\n");
            Assert.Equal("220 250 250 250 354 250 250 221", SmtpHarness.CodeString(t));
        }

        [Fact]
        public void OversizedMessageIsReadToTheEndThen552()
        {
            // The data holds what would be commands if the server answered early.
            string big = string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 150)) + "RSET\r\nQUIT\r\n";
            var (t, h) = Send("Subject: big\r\n\r\n" + big + ".\r\n");
            Assert.Equal("220 250 250 250 354 552 250 221", SmtpHarness.CodeString(t));
            Assert.Contains("552 5.3.4 Message size exceeds fixed limit", t);
            Assert.Empty(h.Store.Committed());
            Assert.Equal(1, h.Store.Aborted);
        }

        [Theory]
        [InlineData(998, "250")]
        [InlineData(999, "554")]
        public void TextLineLimitIsAnsweredAfterTheFinalDot(int length, string code)
        {
            var (t, h) = Send("Subject: l\r\n\r\n" + new string('y', length) + "\r\nQUIT\r\n.\r\n", hh => hh.Options.MessageSizeLimit = 100000);
            Assert.Equal("220 250 250 250 354 " + code + " 250 221", SmtpHarness.CodeString(t));
            Assert.Equal(code == "250" ? 1 : 0, h.Store.Committed().Length);
            if (code == "554") Assert.Contains("554 5.6.0 ", t);
        }

        [Fact]
        public void StoreFullAtMail()
        {
            var (t, h) = Send(".\r\n", hh => hh.Store.Full = true);
            Assert.Equal("220 250 452 503 503 502 250 221", SmtpHarness.CodeString(t)); // ".": a command now
            Assert.Contains("452 4.3.1 Insufficient system storage", t);
            var h2 = NewHarness();
            h2.Store.RoomFor = 500;
            string t2 = h2.Transcript("EHLO x\r\nMAIL FROM:<a@b.example> SIZE=501\r\nMAIL FROM:<a@b.example> SIZE=500\r\n");
            Assert.Equal("220 250 452 250", SmtpHarness.CodeString(t2));
        }

        [Fact]
        public void StoreFullWhileWritingIsAnsweredAtTheEnd()
        {
            var (t, h) = Send("Subject: s\r\n\r\n" + string.Concat(Enumerable.Repeat("line of text\r\n", 400)) + ".\r\n", hh =>
            {
                hh.Store.WriteLimit = 3000;
                hh.Options.MessageSizeLimit = 100000;
            });
            Assert.Equal("220 250 250 250 354 452 250 221", SmtpHarness.CodeString(t));
            Assert.Empty(h.Store.Committed());
            Assert.Equal(1, h.Store.Aborted);
        }

        [Fact]
        public void CommitFailureAnswers451AndKeepsNothing()
        {
            var (t, h) = Send("Subject: s\r\n\r\nx\r\n.\r\n", hh => hh.Store.FailCommit = true);
            Assert.Equal("220 250 250 250 354 451 250 221", SmtpHarness.CodeString(t));
            Assert.Contains("451 4.3.0 ", t);
            Assert.Empty(h.Store.Committed());
            Assert.Equal(1, h.Store.Aborted);
            Assert.DoesNotContain("queued as", t);
        }

        [Fact]
        public void MediumFailureAtDataAnswers451()
        {
            var (t, h) = Send("", hh => hh.Store.FailBegin = true);
            // DATA -> 451; the ".\r\n"-less script continues with NOOP and QUIT as commands.
            Assert.Equal("220 250 250 250 451 250 221", SmtpHarness.CodeString(t));
            Assert.Empty(h.Store.Committed());
        }

        [Fact]
        public void SecondTransactionOnTheSameSessionAndPipelinedQuit()
        {
            var h = NewHarness();
            string t = h.Transcript(Start + "one\r\n.\r\nMAIL FROM:<b@sensor.example>\r\nRCPT TO:<c@local.example>\r\nDATA\r\ntwo\r\n.\r\nQUIT\r\n");
            Assert.Equal("220 250 250 250 354 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.Equal(2, h.Store.Committed().Length);
            Assert.EndsWith("\r\n\r\none\r\n", h.Store.Committed()[0].Text);
            Assert.EndsWith("\r\n\r\ntwo\r\n", h.Store.Committed()[1].Text);
            Assert.Equal("c@local.example", h.Store.Committed()[1].Envelope.GetRecipient(0).Address);
        }

        [Fact]
        public void LargeMessageStreamsInChunks()
        {
            var h = NewHarness();
            h.Options.MessageSizeLimit = 2_000_000;
            var sb = new StringBuilder("Subject: big\r\nDate: x\r\nMessage-ID: <a@b>\r\nFrom: <dev@sensor.example>\r\n\r\n");
            for (int i = 0; i < 12000; i++) sb.Append(i % 7 == 0 ? ".stuffed line " : "line ").Append(i).Append("\r\n");
            string original = sb.ToString();
            string wire = original.Replace("\r\n.", "\r\n..");
            using var c = h.Connect();
            string t = "";
            var reader = new System.Threading.Thread(() => t = c.ReadToEnd(30000));
            reader.Start();
            c.Send(Start + wire + ".\r\nQUIT\r\n");
            c.EndInput();
            Assert.True(reader.Join(30000));
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.Equal(original, h.Store.Committed()[0].TextAfterReceived);
        }
    }
}
