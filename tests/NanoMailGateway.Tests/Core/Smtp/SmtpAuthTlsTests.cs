// AUTH (RFC 4954: PLAIN, LOGIN, where it is allowed, the failure throttle) and STARTTLS
// (RFC 3207: plaintext injection, CVE-2011-0411; state reset after the handshake).

using System;
using System.Text;
using NanoMailGateway.Core.Simulation;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpAuthTlsTests : SmtpTranscriptTests
    {
        private static string B64(string s) => Convert.ToBase64String(Encoding.Latin1.GetBytes(s));

        private SmtpClientEnd Secured(SmtpHarness h)
        {
            var c = h.Connect();
            Assert.StartsWith("220 ", c.ReadReply());
            Assert.Contains("250-STARTTLS", c.Command("EHLO x"));
            Assert.Equal("220 2.0.0 Ready to start TLS", c.Command("STARTTLS"));
            return c;
        }

        [Fact]
        public void StartTlsDiscardsPlaintextSentWithIt()
        {
            var h = NewHarness();
            using var c = h.Connect();
            c.ReadReply();
            c.Command("EHLO x");
            // CVE-2011-0411: the injected commands arrive in the same packet as STARTTLS.
            c.Send("STARTTLS\r\nMAIL FROM:<evil@x.example>\r\nRCPT TO:<a@gw.example.net>\r\n");
            Assert.Equal("220 2.0.0 Ready to start TLS", c.ReadReply());
            string ehlo = c.Command("EHLO y")!;
            Assert.StartsWith("250-gw.example.net", ehlo); // the first reply after TLS answers our EHLO
            Assert.DoesNotContain("STARTTLS", ehlo);
            Assert.Equal("503 5.5.1 Error: need MAIL command", c.Command("RCPT TO:<a@gw.example.net>"));
            Assert.Equal("221 2.0.0 Bye", c.Command("QUIT"));
            Assert.Empty(h.Store.Committed());
            Assert.Contains(h.Log.Lines, l => l.Contains("TLS established", StringComparison.Ordinal));
        }

        [Fact]
        public void StartTlsRequiresANewEhloAndForgetsAuth()
        {
            var h = NewHarness();
            using var c = h.Connect(SmtpHarness.TrustedAddress);
            c.ReadReply();
            c.Command("EHLO x");
            Assert.StartsWith("235 ", c.Command("AUTH PLAIN " + B64("\0alice\0s3cret")));
            Assert.StartsWith("220 ", c.Command("STARTTLS"));
            Assert.Equal("503 5.5.1 Error: send HELO/EHLO first", c.Command("MAIL FROM:<a@b.example>"));
            Assert.StartsWith("250-", c.Command("EHLO x"));
            Assert.StartsWith("235 ", c.Command("AUTH PLAIN " + B64("\0alice\0s3cret"))); // AUTH was forgotten
            Assert.Equal("503 5.5.1 Error: TLS already active", c.Command("STARTTLS"));
        }

        [Fact]
        public void StartTlsUnavailableOrFailing()
        {
            var h = NewHarness();
            h.Tls = null;
            Assert.Equal("220 250 502", SmtpHarness.CodeString(h.Transcript("EHLO x\r\nSTARTTLS\r\n")));
            h.Tls = new MemoryTlsProvider(false, false);
            Assert.Equal("220 250 502", SmtpHarness.CodeString(h.Transcript("EHLO x\r\nSTARTTLS\r\n")));
            h.Tls = new MemoryTlsProvider(true, true);
            string t = h.Transcript("EHLO x\r\nSTARTTLS\r\nNOOP\r\n");
            Assert.Equal("220 250 220", SmtpHarness.CodeString(t)); // handshake failed: connection closed
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void PlainAndLoginOverTls()
        {
            var h = NewHarness();
            using (var c = Secured(h))
            {
                Assert.Contains("250-AUTH PLAIN LOGIN", c.Command("EHLO x"));
                Assert.Equal("334 ", c.Command("AUTH PLAIN"));
                Assert.Equal("235 2.7.0 Authentication successful", c.Command(B64("alice\0alice\0s3cret")));
                Assert.Equal("503 5.5.1 Error: already authenticated", c.Command("AUTH PLAIN " + B64("\0alice\0s3cret")));
                c.Command("MAIL FROM:<alice@gw.example.net>");
                Assert.StartsWith("250 ", c.Command("RCPT TO:<friend@remote.example>")); // AUTH may relay
                c.Command("DATA");
                Assert.StartsWith("250 ", c.Command("Subject: x\r\n\r\nhi\r\n."));
            }
            var m = Assert.Single(h.Store.Committed());
            Assert.Equal("alice", m.Envelope.AuthenticatedUser);
            Assert.False(m.Envelope.GetRecipient(0).IsLocal);
            Assert.Contains(" with ESMTPSA id ", m.Text);

            using (var c = Secured(h))
            {
                c.Command("EHLO x");
                Assert.Equal("334 VXNlcm5hbWU6", c.Command("AUTH LOGIN"));
                Assert.Equal("334 UGFzc3dvcmQ6", c.Command(B64("alice")));
                Assert.Equal("235 2.7.0 Authentication successful", c.Command(B64("s3cret")));
            }
            using (var c = Secured(h))
            {
                c.Command("EHLO x");
                Assert.Equal("334 UGFzc3dvcmQ6", c.Command("AUTH LOGIN " + B64("alice")));
                Assert.Equal("235 2.7.0 Authentication successful", c.Command(B64("s3cret")));
            }
        }

        [Theory]
        [InlineData("AUTH PLAIN *", "501 5.0.0 Authentication cancelled")]
        [InlineData("AUTH PLAIN !!!!", "501 5.5.2 Cannot decode response")]
        [InlineData("AUTH PLAIN AAAA", "501 5.5.2 Cannot decode response")]
        [InlineData("AUTH CRAM-MD5", "504 5.5.4 Unrecognized authentication mechanism")]
        [InlineData("AUTH", "504 5.5.4 Unrecognized authentication mechanism")]
        public void BadAuthExchanges(string command, string reply)
        {
            var h = NewHarness();
            using var c = Secured(h);
            c.Command("EHLO x");
            Assert.Equal(reply, c.Command(command));
            Assert.Equal("250 2.0.0 Ok", c.Command("NOOP")); // back to commands
        }

        [Fact]
        public void AuthIsRefusedInPlaintextFromUntrustedNetworks()
        {
            var h = NewHarness();
            Assert.Contains("538 5.7.11 ", h.Transcript("EHLO x\r\nAUTH PLAIN " + B64("\0alice\0s3cret") + "\r\n"));
            Assert.Contains("235 2.7.0 ", h.Transcript("EHLO x\r\nAUTH PLAIN " + B64("\0alice\0s3cret") + "\r\n", SmtpHarness.TrustedAddress));
            h.Options.AllowPlaintextAuth = true;
            Assert.Contains("235 2.7.0 ", h.Transcript("EHLO x\r\nAUTH PLAIN " + B64("\0alice\0s3cret") + "\r\n"));
        }

        [Fact]
        public void FailedAuthIsDelayedCountedAndEndsTheSession()
        {
            var h = NewHarness(); // base delay 10 ms, cap 40 ms, limit 3
            using var c = Secured(h);
            c.Command("EHLO x");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal("535 5.7.8 Authentication credentials invalid", c.Command("AUTH PLAIN " + B64("\0alice\0wrong")));
            Assert.Equal("334 ", c.Command("AUTH PLAIN"));
            Assert.Equal("535 5.7.8 Authentication credentials invalid", c.Command(B64("\0mallory\0s3cret")));
            Assert.Equal("421 4.7.0 Too many errors, closing connection", c.Command("AUTH PLAIN " + B64("\0alice\0S3CRET")));
            Assert.Null(c.ReadReply());
            Assert.True(sw.ElapsedMilliseconds >= 70, "throttle slept " + sw.ElapsedMilliseconds + " ms");
            Assert.Equal(3, c.Session.AuthFailures);
            Assert.Equal(10 + 20 + 40, h.Throttle.TotalDelayMs);
            Assert.Contains(h.Log.Lines, l => l.Contains("authentication failed for mallory", StringComparison.Ordinal) && l.Contains("failure 2, delayed 20 ms", StringComparison.Ordinal));
        }

        [Fact]
        public void UserNamesCannotForgeLogLines()
        {
            var h = NewHarness();
            using var c = Secured(h);
            c.Command("EHLO x");
            Assert.StartsWith("535 ", c.Command("AUTH PLAIN " + B64("\0eve\r\nsmtpd[9]: authenticated as root\0pw")));
            Assert.Contains(h.Log.Lines, l => l.Contains("authentication failed for eve??smtpd[9]: authenticated as root from", StringComparison.Ordinal));
            Assert.DoesNotContain(h.Log.Lines, l => l.Contains('\n') || l.Contains('\r'));
        }

        [Fact]
        public void NoAccountsNoAuth()
        {
            var h = NewHarness(withAccount: false);
            string t = h.Transcript("EHLO x\r\nAUTH PLAIN\r\n", SmtpHarness.TrustedAddress);
            Assert.DoesNotContain("AUTH PLAIN LOGIN", t);
            Assert.Contains("503 5.5.1 Error: authentication not enabled", t);
        }
    }
}
