// Transcript tests of the SMTP state machine over an in-memory connection: every
// command in every state, replies and their enhanced codes, limits and bad input.

using System;
using System.Linq;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Smtp;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpServerSessionTests : SmtpTranscriptTests
    {
        private const string Mail = "MAIL FROM:<dev@sensor.example>\r\n";
        private const string Rcpt = "RCPT TO:<alerts@gw.example.net>\r\n";

        [Fact]
        public void SimpleTransaction()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO sensor1\r\n" + Mail + Rcpt + "DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.StartsWith("220 gw.example.net ESMTP", t);
            Assert.Contains("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 ", t);
            var m = Assert.Single(h.Store.Committed());
            Assert.Contains("250 2.0.0 Ok: queued as " + m.QueueId + "\r\n", t);
            Assert.Equal("dev@sensor.example", m.Envelope.Sender);
            Assert.Equal("alerts@gw.example.net", m.Envelope.GetRecipient(0).Address);
            Assert.True(m.Envelope.GetRecipient(0).IsLocal);
            Assert.Equal(SmtpHarness.Untrusted, m.Envelope.ClientAddress);
            Assert.Equal("sensor1", m.Envelope.ClientHelo);
            string expected = "Received: from sensor1 ([198.51.100.7])\r\n\tby gw.example.net (NanoMailGateway) with ESMTP id " + m.QueueId
                + "\r\n\tfor <alerts@gw.example.net>; Sat, 28 Nov 2026 12:00:00 +0000\r\n"
                + "Subject: hi\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + m.QueueId + "." + (new DateTime(2026, 11, 28, 12, 0, 0).Ticks / TimeSpan.TicksPerSecond) + "@gw.example.net>\r\n"
                + "From: dev@sensor.example\r\n\r\nbody\r\n";
            Assert.Equal(expected, m.Text);
            Assert.Equal(0, h.Store.Aborted);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void EhloAdvertisesWhatIsEnforced()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO x\r\nQUIT\r\n");
            // RFC 3461 §3: DSN only when a 1012-octet RCPT line fits the input buffer.
            string dsn = BufferSize >= SmtpLineLimits.DsnRcptLine ? "250-DSN\r\n" : "";
            Assert.Contains("250-gw.example.net\r\n250-PIPELINING\r\n250-SIZE 10000\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n" + dsn + "250-STARTTLS\r\n250 HELP\r\n", t);
            Assert.DoesNotContain("AUTH", t); // plaintext from an untrusted network
            t = h.Transcript("EHLO x\r\nQUIT\r\n", SmtpHarness.TrustedAddress);
            Assert.Contains("250-AUTH PLAIN LOGIN\r\n", t);
            h.Tls = null;
            h.Options.AllowPlaintextAuth = true;
            t = h.Transcript("EHLO x\r\nQUIT\r\n");
            Assert.DoesNotContain("STARTTLS", t);
            Assert.Contains("250-AUTH PLAIN LOGIN\r\n", t);
            t = h.Transcript("HELO x\r\nQUIT\r\n");
            Assert.Contains("250 gw.example.net\r\n", t);
        }

        // Every command in every state: script -> reply codes.
        [Theory]
        [InlineData("NOOP\r\nRSET\r\nVRFY a\r\nHELP\r\nEXPN list\r\nXYZZY\r\n", "220 250 250 252 214 502 502")]
        [InlineData("MAIL FROM:<a@b.example>\r\n", "220 503")]
        [InlineData("RCPT TO:<a@gw.example.net>\r\n", "220 503")]
        [InlineData("DATA\r\n", "220 503")]
        [InlineData("STARTTLS\r\n", "220 503")]
        [InlineData("AUTH PLAIN\r\n", "220 503")]
        [InlineData("EHLO x\r\nRCPT TO:<a@gw.example.net>\r\n", "220 250 503")]
        [InlineData("EHLO x\r\nDATA\r\n", "220 250 503")]
        [InlineData("EHLO x\r\n" + Mail + "DATA\r\n", "220 250 250 503")]
        [InlineData("EHLO x\r\n" + Mail + Mail, "220 250 250 503")]
        [InlineData("EHLO x\r\n" + Mail + "STARTTLS\r\n", "220 250 250 503")]
        [InlineData("EHLO x\r\n" + Mail + Rcpt + "AUTH PLAIN\r\n", "220 250 250 250 503")]
        [InlineData("EHLO x\r\n" + Mail + Rcpt + "RSET\r\nDATA\r\n", "220 250 250 250 250 503")]
        [InlineData("EHLO x\r\n" + Mail + Rcpt + "EHLO y\r\nDATA\r\n", "220 250 250 250 250 503")]
        [InlineData("EHLO x\r\n" + Mail + Rcpt + "DATA extra\r\n", "220 250 250 250 501")]
        [InlineData("EHLO\r\nHELO\r\nEHLO a b\r\nEHLO \u0001\r\n", "220 501 501 501 501")]
        [InlineData("EHLO x\r\nMAIL FROM <a@b.example>\r\nMAIL a@b.example\r\nRCPT\r\n", "220 250 501 501 503")]
        [InlineData("EHLO x\r\nMAIL FROM:<a@b.example> SIZE=10001\r\n", "220 250 552")]
        [InlineData("EHLO x\r\nMAIL FROM:<a@b.example> SIZE=10000\r\n", "220 250 250")]
        [InlineData("EHLO x\r\nMAIL FROM:<a@b.example> FOO=1\r\n", "220 250 555")]
        [InlineData("EHLO x\r\nMAIL FROM:<a@b.example> BODY=9BIT\r\n", "220 250 501")]
        [InlineData("EHLO x\r\nMAIL FROM:<a@@b.example>\r\n", "220 250 501")]
        [InlineData("EHLO x\r\n" + Mail + "RCPT TO:<>\r\n", "220 250 250 501")]
        [InlineData("EHLO x\r\n" + Mail + "RCPT TO:<postmaster>\r\nDATA\r\n.\r\n", "220 250 250 250 354 250")]
        [InlineData("EHLO x\r\n" + Mail + "RCPT TO:<a@gw.example.net> NOTIFY=NEVER,DELAY\r\n", "220 250 250 501")]
        [InlineData("EHLO x\r\n" + Mail + "RCPT TO:<a@gw.example.net> BODY=8BITMIME\r\n", "220 250 250 555")]
        [InlineData("QUIT\r\nNOOP\r\n", "220 221")]
        [InlineData("ehlo x\r\nmail from:<a@b.example>\r\nrcpt to:<a@gw.example.net>\r\ndata\r\n.\r\nquit\r\n", "220 250 250 250 354 250 221")]
        public void CommandsInEveryState(string script, string codes)
        {
            var h = NewHarness();
            Assert.Equal(codes, SmtpHarness.CodeString(h.Transcript(script)));
        }

        [Fact]
        public void EnhancedStatusCodeOnEveryReply()
        {
            var h = NewHarness();
            string t = h.Transcript("NOOP\r\nMAIL FROM:<a@b>\r\nEHLO x\r\n" + Mail + "RCPT TO:<v@remote.example>\r\n" + Rcpt
                + "DATA\r\n.\r\nVRFY x\r\nHELP\r\nFOO\r\nRSET\r\nQUIT\r\n");
            foreach (string line in t.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("220 gw", StringComparison.Ordinal) || line.StartsWith("250-", StringComparison.Ordinal) || line == "250 HELP" || line.StartsWith("354 ", StringComparison.Ordinal)) continue; // RFC 2034: 2xx/4xx/5xx only
                Assert.Matches(@"^\d{3} [245]\.\d{1,3}\.\d{1,3} ", line);
            }
        }

        [Fact]
        public void TooManyRecipients()
        {
            var h = NewHarness();
            var sb = new StringBuilder("EHLO x\r\n" + Mail);
            for (int i = 0; i < 7; i++) sb.Append("RCPT TO:<r" + i + "@gw.example.net>\r\n");
            sb.Append("DATA\r\n.\r\n");
            string t = h.Transcript(sb.ToString());
            Assert.Equal("220 250 250 250 250 250 250 250 452 452 354 250", SmtpHarness.CodeString(t));
            Assert.Contains("452 4.5.3 Too many recipients", t);
            Assert.Equal(5, h.Store.Committed()[0].Envelope.RecipientCount);
        }

        [Fact]
        public void DuplicateRecipientIsKeptOnce()
        {
            var h = NewHarness();
            h.Transcript("EHLO x\r\n" + Mail + Rcpt + Rcpt + "DATA\r\n.\r\n");
            Assert.Equal(1, h.Store.Committed()[0].Envelope.RecipientCount);
        }

        [Fact]
        public void DsnParametersGoIntoTheEnvelope()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO x\r\nMAIL FROM:<a@b.example> RET=HDRS ENVID=id+2B1 SIZE=300 BODY=8BITMIME\r\n"
                + "RCPT TO:<x@local.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y.example\r\nDATA\r\n.\r\n");
            Assert.Equal("220 250 250 250 354 250", SmtpHarness.CodeString(t));
            var e = h.Store.Committed()[0].Envelope;
            Assert.Equal(NanoMailGateway.Core.Queue.DsnReturn.Headers, e.Return);
            Assert.Equal("id+1", e.EnvelopeId);
            Assert.Equal(300, e.DeclaredSize);
            Assert.True(e.EightBitMime);
            var r = e.GetRecipient(0);
            Assert.Equal(NanoMailGateway.Core.Queue.DsnNotify.Success | NanoMailGateway.Core.Queue.DsnNotify.Failure, r.Notify);
            Assert.Equal("rfc822;x@y.example", r.OriginalRecipient);
        }

        [Fact]
        public void OverlongCommandLineIsDrainedThenRefused()
        {
            var h = NewHarness();
            string longLine = "NOOP " + new string('x', 600) + "\r\n";
            string t = h.Transcript("EHLO x\r\n" + longLine + "NOOP\r\n" + "NOOP " + new string('y', 505) + "\r\n" + "NOOP " + new string('y', 506) + "\r\n");
            Assert.Equal("220 250 500 250 250 500", SmtpHarness.CodeString(t));
            Assert.Contains("500 5.5.2 Line too long", t);
            // far over the buffer size too
            t = h.Transcript("EHLO x\r\nNOOP " + new string('z', 100000) + "\r\nQUIT\r\n", chunk: 3000);
            Assert.Equal("220 250 500 221", SmtpHarness.CodeString(t));
        }

        [Fact]
        public void ErrorLimitHangsUp()
        {
            var h = NewHarness();
            string t = h.Transcript(string.Concat(Enumerable.Repeat("BOGUS\r\n", 20)));
            Assert.Equal("220 " + string.Join(" ", Enumerable.Repeat("502", 10)) + " 421", SmtpHarness.CodeString(t));
            Assert.EndsWith("421 4.7.0 Too many errors, closing connection\r\n", t);
        }

        [Fact]
        public void BinaryGarbageEndsInA421AndStoresNothing()
        {
            var h = NewHarness();
            var rnd = new Random(4711);
            byte[] junk = new byte[20000];
            rnd.NextBytes(junk);
            string t = h.Transcript(junk, chunk: 777);
            Assert.StartsWith("220 ", t);
            Assert.EndsWith("421 4.7.0 Too many errors, closing connection\r\n", t);
            Assert.Empty(h.Store.Committed());
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void DisconnectMidDataStoresNothing()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO x\r\n" + Mail + Rcpt + "DATA\r\nSubject: cut\r\n\r\nhalf a mess");
            Assert.Equal("220 250 250 250 354", SmtpHarness.CodeString(t));
            Assert.Empty(h.Store.Committed());
            Assert.Equal(1, h.Store.Aborted);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void SlowClientHitsTheCommandTimeout()
        {
            var h = NewHarness();
            h.Options.CommandTimeoutMs = 150;
            using var c = h.Connect();
            Assert.StartsWith("220 ", c.ReadReply());
            Assert.StartsWith("250", c.Command("EHLO x"));
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal("421 4.4.2 Timeout exceeded, closing connection", c.ReadReply());
            Assert.Null(c.ReadReply());
            Assert.InRange(sw.ElapsedMilliseconds, 100, 5000);
        }

        [Fact]
        public void SlowClientHitsTheDataTimeoutAndNothingIsStored()
        {
            var h = NewHarness();
            h.Options.DataTimeoutMs = 150;
            using var c = h.Connect();
            c.ReadReply();
            c.Command("EHLO x");
            c.Command(Mail.TrimEnd());
            c.Command(Rcpt.TrimEnd());
            Assert.StartsWith("354", c.Command("DATA"));
            c.Send("Subject: slow\r\n");
            Assert.Equal("421 4.4.2 Timeout exceeded, closing connection", c.ReadReply());
            Assert.Null(c.ReadReply());
            Assert.Empty(h.Store.Committed());
            Assert.Equal(1, h.Store.Aborted);
        }

        [Fact]
        public void ATrickleOfBytesIsNotAnError()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO x\r\n" + Mail + Rcpt + "DATA\r\nSubject: t\r\n\r\nbody\r\n.\r\nQUIT\r\n", chunk: 1);
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.Single(h.Store.Committed());
        }

        [Fact]
        public void BareLfCommandsAreAccepted()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO x\n" + Mail.Replace("\r\n", "\n") + Rcpt.Replace("\r\n", "\n") + "DATA\n.\r\n");
            // "DATA\n" then ".\r\n": the data starts after the LF, and ".\r\n" at data start ends it.
            Assert.Equal("220 250 250 250 354 250", SmtpHarness.CodeString(t));
        }

        [Fact]
        public void RepliesLongerThanTheReplyBufferGoOutWholeAndInOrder()
        {
            // A host name longer than the smallest (512-octet) reply buffer: the greeting and the EHLO
            // reply cannot be collected in the buffer and are sent on their own.
            var h = NewHarness();
            h.Pool = new BufferPool("smtp", SmtpServer.MinBufferSize, SmtpServer.BuffersPerSession);
            h.Options.HostName = new string('h', 1100) + ".example";
            string t = h.Transcript("DATA\r\nEHLO x\r\nNOOP\r\nQUIT\r\n");
            Assert.StartsWith("220 " + h.Options.HostName + " ESMTP NanoMailGateway\r\n"
                + "503 5.5.1 Error: send HELO/EHLO first\r\n"
                + "250-" + h.Options.HostName + "\r\n250-PIPELINING\r\n", t);
            Assert.EndsWith("250 HELP\r\n250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n", t);
        }
    }
}
