// The SMTP listener with the smallest pool buffers (buffer_size = 512): every transcript
// test class runs again with 512-octet buffers (the subclasses below), and the limits
// that depend on the buffer are tested at 512 and at 1024: a command line is at most 512
// octets (RFC 5321 §4.5.3.1.4) and a longer one is refused without losing the command
// stream; DSN is advertised, and its longer MAIL/RCPT lines read, only when the input
// buffer holds them (RFC 3461 §3); AUTH lines keep the 512 limit (RFC 4954 §4, §6).

using System;
using System.Text;
using NanoMailGateway.Core.Smtp;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public sealed class SmtpServerSessionTestsAt512 : SmtpServerSessionTests { protected override int BufferSize => 512; }

    public sealed class SmtpDataTestsAt512 : SmtpDataTests { protected override int BufferSize => 512; }

    public sealed class SmtpAuthTlsTestsAt512 : SmtpAuthTlsTests { protected override int BufferSize => 512; }

    public sealed class SmtpPipeliningTestsAt512 : SmtpPipeliningTests { protected override int BufferSize => 512; }

    public sealed class SmtpSmugglingTestsAt512 : SmtpSmugglingTests { protected override int BufferSize => 512; }

    public sealed class SmtpOpenRelayTestsAt512 : SmtpOpenRelayTests { protected override int BufferSize => 512; }

    public class SmallBufferSmtpTests
    {
        private const string Sender = "MAIL FROM:<dev@sensor.example>";

        private static string B64(string s) => Convert.ToBase64String(Encoding.Latin1.GetBytes(s));

        /// <summary>"NOOP xxx...": a command line of exactly <paramref name="octets"/> with its CRLF.</summary>
        private static string Noop(int octets) => "NOOP " + new string('x', octets - 7) + "\r\n";

        /// <summary>MAIL with an AUTH= parameter (RFC 4954 §5, parsed and ignored) padded with xtext
        /// to exactly <paramref name="octets"/> with CRLF; "+41" decodes to one character.</summary>
        private static string LongMail(int octets)
        {
            string head = Sender + " AUTH=";
            return head + Pad(octets - head.Length - 2) + "\r\n";
        }

        /// <summary>RCPT with NOTIFY and an ORCPT padded with xtext to exactly <paramref name="octets"/> with CRLF.</summary>
        private static string LongRcpt(int octets)
        {
            string head = "RCPT TO:<ops@gw.example.net> NOTIFY=SUCCESS ORCPT=rfc822;";
            return head + Pad(octets - head.Length - 2) + "\r\n";
        }

        private static string Pad(int n) => new StringBuilder().Insert(0, "+41", n / 3).Append('a', n % 3).ToString();

        // 512: every line over 512 is refused; 1024 (DSN advertised): MAIL may have 612 octets.
        [Theory]
        [InlineData(512, 513)]
        [InlineData(1024, 613)]
        public void A512OctetCommandLineIsAcceptedAndALongerOneRefusedInSync(int bufferSize, int refusedMail)
        {
            var h = new SmtpHarness(bufferSize: bufferSize);
            Assert.Equal(512, Noop(512).Length);
            Assert.Equal(512, LongMail(512).Length);
            // Pipelined: each over-long line is answered once, and the next command is read as one.
            string t = h.Transcript("EHLO x\r\n" + Noop(512) + Noop(513) + "NOOP\r\n" + LongMail(refusedMail) + "RCPT TO:<ops@gw.example.net>\r\n"
                + LongMail(512) + "RCPT TO:<ops@gw.example.net>\r\nDATA\r\nSubject: s\r\n\r\nbody\r\n.\r\n" + Noop(5000) + "QUIT\r\n");
            Assert.Equal("220 250 250 500 250 500 503 250 250 354 250 500 221", SmtpHarness.CodeString(t));
            Assert.Contains("500 5.5.2 Line too long\r\n", t);
            Assert.EndsWith("\r\n\r\nbody\r\n", Assert.Single(h.Store.Committed()).Text);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void DsnIsAdvertisedOnlyWhenTheInputBufferHoldsA1012OctetRcptLine()
        {
            string at512 = new SmtpHarness(bufferSize: 512).Transcript("EHLO x\r\nQUIT\r\n");
            Assert.Contains("250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n", at512);
            Assert.DoesNotContain("DSN", at512);
            Assert.DoesNotContain("DSN", new SmtpHarness(bufferSize: SmtpLineLimits.DsnRcptLine - 1).Transcript("EHLO x\r\nQUIT\r\n"));
            Assert.Contains("250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n250-STARTTLS\r\n", new SmtpHarness(bufferSize: SmtpLineLimits.DsnRcptLine).Transcript("EHLO x\r\nQUIT\r\n"));
            Assert.Contains("250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n250-STARTTLS\r\n", new SmtpHarness(bufferSize: 1024).Transcript("EHLO x\r\nQUIT\r\n"));
        }

        [Fact]
        public void WithDsnMailMayBe612AndRcpt1012OctetsLong()
        {
            var h = new SmtpHarness(bufferSize: 1024);
            Assert.Equal(1012, LongRcpt(1012).Length);
            string t = h.Transcript("EHLO x\r\n" + LongMail(613) + LongMail(612) + LongRcpt(1013) + LongRcpt(1012) + Noop(513)
                + "DATA\r\n.\r\nQUIT\r\n");
            Assert.Equal("220 250 500 250 500 250 500 354 250 221", SmtpHarness.CodeString(t));
            var r = Assert.Single(h.Store.Committed()).Envelope.GetRecipient(0);
            string rcpt = LongRcpt(1012);
            Assert.Equal(rcpt.Substring(rcpt.IndexOf("rfc822;", StringComparison.Ordinal)).TrimEnd('\r', '\n').Replace("+41", "A"), r.OriginalRecipient);
        }

        [Fact]
        public void WithoutDsnLongMailAndRcptLinesAreRefusedAtTheirFirst512Octets()
        {
            var h = new SmtpHarness(bufferSize: 512);
            string t = h.Transcript("EHLO x\r\n" + LongMail(612) + Sender + "\r\n" + LongRcpt(1012) + "RCPT TO:<ops@gw.example.net> NOTIFY=FAILURE\r\nDATA\r\n.\r\nQUIT\r\n");
            Assert.Equal("220 250 500 250 500 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.Single(h.Store.Committed());
        }

        [Theory]
        [InlineData(512)]
        [InlineData(1024)]
        public void AnAuthLineOver512OctetsIsRefusedCleanlyAndTheSessionGoesOn(int bufferSize)
        {
            var h = new SmtpHarness(bufferSize: bufferSize);
            string longResponse = B64("\0alice\0" + new string('p', 600));
            using var c = h.Connect(SmtpHarness.TrustedAddress);
            Assert.StartsWith("220 ", c.ReadReply());
            Assert.Contains("250-AUTH PLAIN LOGIN", c.Command("EHLO x"));
            // The initial response makes the command line too long (RFC 4954 §4: AUTH keeps the 512 limit).
            Assert.Equal("500 5.5.2 Line too long", c.Command("AUTH PLAIN " + longResponse));
            // As a response to the empty challenge it is an over-long exchange line (RFC 4954 §6).
            Assert.Equal("334 ", c.Command("AUTH PLAIN"));
            Assert.Equal("500 5.5.6 Authentication exchange line is too long", c.Command(longResponse));
            Assert.Equal("250 2.0.0 Ok", c.Command("NOOP"));
            Assert.Equal("235 2.7.0 Authentication successful", c.Command("AUTH PLAIN " + B64("\0alice\0s3cret")));
            Assert.Equal("221 2.0.0 Bye", c.Command("QUIT"));
            Assert.Equal(0, c.Session.AuthFailures);
        }

        [Fact]
        public void ThousandOctetTextLinesPassByteExactWith512OctetBuffers()
        {
            var h = new SmtpHarness(bufferSize: 512);
            string line998 = new string('q', 997) + "Z";
            string dotted = "." + new string('d', 997);   // 999 before unstuffing: 998 + CRLF = 1000 stored
            string content = "Subject: long\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <l@x>\r\nFrom: <s@x>\r\n\r\n"
                + line998 + "\r\n" + dotted + "\r\n" + line998 + "\r\n";
            string t = h.Transcript("EHLO x\r\n" + Sender + "\r\nRCPT TO:<ops@gw.example.net>\r\nDATA\r\n" + content.Replace("\r\n.", "\r\n..") + ".\r\nQUIT\r\n", chunk: 333);
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.Equal(content, Assert.Single(h.Store.Committed()).TextAfterReceived);
        }
    }
}
