using System;
using System.Linq;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using static NanoMailGateway.Tests.Core.SmtpClient.ClientHarness;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class SmtpClientTlsAuthTests : SmtpClientTests
    {
        private const string TlsEhlo = "250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS";
        private const string SecureEhlo = "250-mx.test\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME";

        private static SmtpClientOptions Opts(SmtpTlsMode mode, string? user = null, string? password = null)
        {
            var o = FastOptions();
            o.TlsMode = mode;
            o.User = user;
            o.Password = password;
            return o;
        }

        /// <summary>A server that offers STARTTLS in plaintext and AUTH only after TLS.</summary>
        private static ScriptedSmtpServer TlsServer(string plainEhlo = TlsEhlo, string secureEhlo = SecureEhlo)
        {
            ScriptedSmtpServer? srv = null;
            srv = new ScriptedSmtpServer();
            var self = srv;
            srv.OnCommand = l => l.StartsWith("EHLO", StringComparison.Ordinal) ? (self.LineSecure[^1] ? secureEhlo : plainEhlo) : null;
            return srv;
        }

        [Fact]
        public void StartTlsDiscardsInjectedPlaintextAndSaysEhloAgain()
        {
            using var srv = TlsServer();
            srv.AfterStartTlsInjection = "\r\n250-injected\r\n250 AUTH PLAIN";
            srv.Start();
            var log = new QuietLog(true);
            var s = Session(srv.Client, Opts(SmtpTlsMode.Opportunistic), new MemoryTlsProvider(false, false), log: log);
            Assert.True(s.Open());
            Assert.True(s.IsSecure);
            Assert.True(s.Capabilities.HasFlag(SmtpCapabilities.AuthLogin));   // from the secure EHLO, not the injection
            Assert.False(s.Capabilities.HasFlag(SmtpCapabilities.StartTls));
            var r = s.Deliver(new Envelope("a@gw.test"), Rcpts("b@x.test"), new BytesContent("x\r\n"));
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            s.Quit();
            string[] lines = srv.Snapshot();
            Assert.Equal(new[] { "EHLO gw.test", "STARTTLS", "EHLO gw.test", "MAIL FROM:<a@gw.test>" }, lines.Take(4));
            Assert.Equal(new[] { false, false, true, true }, srv.LineSecure.Take(4));
            Assert.True(log.Contains("TLS connection established to mx.test"));
        }

        [Fact]
        public void OpportunisticWithoutStartTlsStaysPlain()
        {
            using var srv = new ScriptedSmtpServer();
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.Opportunistic), new MemoryTlsProvider(false, false));
            Assert.True(s.Open());
            Assert.False(s.IsSecure);
        }

        [Fact]
        public void OpportunisticHandshakeFailureIsReportedForAPlaintextRetry()
        {
            using var srv = TlsServer();
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.Opportunistic), new MemoryTlsProvider(false, failHandshake: true));
            Assert.False(s.Open());
            Assert.True(s.TlsHandshakeFailed);
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.Equal("4.7.5", s.Failure.EnhancedCode);
            // The caller's retry of the same host with TLS off:
            using var srv2 = TlsServer();
            srv2.Start();
            var s2 = Session(srv2.Client, Opts(SmtpTlsMode.None), new MemoryTlsProvider(false, true));
            Assert.True(s2.Open());
            s2.Quit();
            Assert.DoesNotContain("STARTTLS", srv2.Snapshot());
        }

        [Fact]
        public void RequiredTlsFailuresDeferAndNeverFallBack()
        {
            using (var srv = TlsServer())
            {
                srv.Start();
                var s = Session(srv.Client, Opts(SmtpTlsMode.StartTlsRequired), new MemoryTlsProvider(false, true));
                Assert.False(s.Open());
                Assert.False(s.TlsHandshakeFailed);
                Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            }
            using (var srv = new ScriptedSmtpServer())   // STARTTLS not offered
            {
                srv.Start();
                var s = Session(srv.Client, Opts(SmtpTlsMode.StartTlsRequired), new MemoryTlsProvider(false, false));
                Assert.False(s.Open());
                Assert.Equal("4.7.4", s.Failure!.EnhancedCode);
                Assert.Equal(DeliveryOutcome.Transient, s.Failure.Outcome);
            }
            using (var srv = TlsServer())   // STARTTLS offered but refused with 5xx: still only deferred
            {
                srv.OnCommand = l => l == "STARTTLS" ? "554 5.7.3 TLS not available" : (l.StartsWith("EHLO") ? TlsEhlo : null);
                srv.Start();
                var s = Session(srv.Client, Opts(SmtpTlsMode.StartTlsRequired), new MemoryTlsProvider(false, false));
                Assert.False(s.Open());
                Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
                Assert.Equal("4.7.3", s.Failure.EnhancedCode);
            }
        }

        [Fact]
        public void ImplicitTlsHandshakesBeforeTheGreeting()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = SecureEhlo };
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.Implicit, "user", "pass"), new MemoryTlsProvider(false, false));
            Assert.True(s.Open());
            Assert.True(s.IsSecure);
            Assert.True(s.Authenticated);
            s.Quit();
            Assert.Equal(new[] { "EHLO gw.test", "AUTH PLAIN AHVzZXIAcGFzcw==", "QUIT" }, srv.Snapshot());
        }

        [Fact]
        public void AuthPlainIsByteExactAfterStartTls()
        {
            using var srv = TlsServer();
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.StartTlsRequired, "alerts@gw.test", "p\u00e4ss w\u00f6rd"), new MemoryTlsProvider(false, false));
            Assert.True(s.Open());
            s.Quit();
            string[] lines = srv.Snapshot();
            // base64("\0alerts@gw.test\0p\xC3\xA4ss w\xC3\xB6rd"): UTF-8 per RFC 4616.
            string expected = "AUTH PLAIN " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0alerts@gw.test\0p\u00e4ss w\u00f6rd"));
            Assert.Equal(expected, lines[3]);
            Assert.True(srv.LineSecure[3]);
        }

        [Fact]
        public void AuthLoginExchangeIsByteExact()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 AUTH LOGIN" };
            int step = 0;
            srv.OnCommand = l =>
            {
                if (l == "AUTH LOGIN") { step = 1; return "334 VXNlcm5hbWU6"; }
                if (step == 1) { step = 2; return "334 UGFzc3dvcmQ6"; }
                if (step == 2) { step = 3; return "235 2.7.0 Authentication successful"; }
                return null;
            };
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.Implicit, "user", "secret"), new MemoryTlsProvider(false, false));
            Assert.True(s.Open());
            Assert.True(s.Authenticated);
            s.Quit();
            Assert.Equal(new[] { "EHLO gw.test", "AUTH LOGIN", "dXNlcg==", "c2VjcmV0", "QUIT" }, srv.Snapshot());
        }

        [Fact]
        public void CredentialsAreNeverSentWithoutTls()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 AUTH PLAIN LOGIN" };
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.Opportunistic, "user", "secret"), new MemoryTlsProvider(false, false));
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.Contains("without TLS", s.Failure.Text);
            srv.WaitClosed(3000);
            Assert.DoesNotContain(srv.Snapshot(), l => l.StartsWith("AUTH", StringComparison.Ordinal) || l.Contains("c2VjcmV0"));
        }

        [Theory]
        [InlineData("535 5.7.8 Error: authentication failed: authentication failure", 535, "4.7.8")]
        [InlineData("454 4.7.0 Temporary authentication failure", 454, "4.7.0")]
        public void AuthFailureDefersWithAClearReason(string reply, int code, string enhanced)
        {
            using var srv = new ScriptedSmtpServer { EhloReply = SecureEhlo, OnCommand = l => l.StartsWith("AUTH") ? reply : null };
            srv.Start();
            var log = new QuietLog(true);
            var s = Session(srv.Client, Opts(SmtpTlsMode.Implicit, "user", "wrong"), new MemoryTlsProvider(false, false), log: log);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.Equal(code, s.Failure.ReplyCode);
            Assert.Equal(enhanced, s.Failure.EnhancedCode);
            Assert.StartsWith("SASL authentication failed", s.Failure.Text);
            Assert.True(log.Contains("SASL authentication failed; server mx.test"));
        }

        [Fact]
        public void NoCommonMechanismDefers()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 AUTH CRAM-MD5" };
            srv.Start();
            var s = Session(srv.Client, Opts(SmtpTlsMode.Implicit, "u", "p"), new MemoryTlsProvider(false, false));
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
        }
    }
}
