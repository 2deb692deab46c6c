using System;
using System.IO;
using System.Text;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Emulator.Host;
using Xunit;
using static NanoMailGateway.Tests.Core.SmtpClient.ClientHarness;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    /// <summary>The client against a real TLS smarthost with AUTH (python3-aiosmtpd), through HostTlsProvider.</summary>
    public class SmarthostInteropTests
    {
        private const string User = "relay-user@gw.test";
        private const string Password = "s3cret-P4ssw0rd!";

        private static readonly byte[] Message = Encoding.Latin1.GetBytes("From: alerts@gw.test\r\nSubject: over TLS\r\n\r\n.dotted\r\nline \u00e9\r\n");

        private static SmtpClientOptions Options(SmtpTlsMode mode, string password = Password)
        {
            var o = FastOptions();
            o.TlsMode = mode;
            o.VerifyCertificate = true;
            o.User = User;
            o.Password = password;
            return o;
        }

        [SkippableTheory]
        [InlineData(SmtpTlsMode.StartTlsRequired)]
        [InlineData(SmtpTlsMode.Implicit)]
        public void DeliversWithAuthOverVerifiedTlsAndThePasswordNeverShowsOnTheWire(SmtpTlsMode mode)
        {
            using var pki = new TestPki();
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, Password);
            using var relay = new RecordingRelay(mode == SmtpTlsMode.Implicit ? host.ImplicitTlsPort : host.StartTlsPort);
            var tls = new HostTlsProvider(null, null, pki.CaFile);
            var conn = new HostSocketNetwork().Connect("127.0.0.1", relay.Port, 3000);
            var s = new SmtpClientSession(conn, tls, "localhost", Options(mode), new byte[1024], new byte[2048], new SystemClock(), new NanoMailGateway.SelfTest.QuietLog(true), 1);
            Assert.True(s.Open(), s.Failure?.Describe() + " / " + string.Join("\n", host.Stderr));
            Assert.True(s.IsSecure);
            Assert.True(s.Authenticated);
            var env = new Envelope("alerts@gw.test") { EightBitMime = true };
            var r = s.Deliver(env, Rcpts("ops@example.test"), new BytesContent(Message, 5));
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            s.Quit();
            Assert.Equal(Message, host.Message(0));
            Assert.Equal(new[] { "alerts@gw.test", "ops@example.test", "True" }, host.EnvelopeOf(0));
            byte[] wire = relay.ClientBytes;
            relay.AssertNoSecretOnTheWire(User, Password);
            string plain = Encoding.Latin1.GetString(wire);
            if (mode == SmtpTlsMode.StartTlsRequired) Assert.StartsWith("EHLO gw.test\r\nSTARTTLS\r\n", plain);
            else Assert.DoesNotContain("EHLO", plain);   // not even the greeting exchange is readable
        }

        [SkippableFact]
        public void ACaFileOfSeveralRootsVerifiesARelaySignedByAnyOfThem()
        {
            // README, Many boards: during a root rollover ca.pem holds the old and the new root.
            using var pki = new TestPki();
            string twoRoots = Path.Combine(Path.GetDirectoryName(pki.CaFile)!, "two-roots.pem");
            File.WriteAllText(twoRoots, File.ReadAllText(pki.OtherCaFile).TrimEnd() + "\n" + File.ReadAllText(pki.CaFile).TrimEnd() + "\n");
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, Password);
            var tls = new HostTlsProvider(null, null, twoRoots);
            var conn = new HostSocketNetwork().Connect("127.0.0.1", host.StartTlsPort, 3000);
            var s = new SmtpClientSession(conn, tls, "localhost", Options(SmtpTlsMode.StartTlsRequired), new byte[1024], new byte[2048], new SystemClock(), new NanoMailGateway.SelfTest.QuietLog(true), 1);
            Assert.True(s.Open(), s.Failure?.Describe() + " / " + string.Join("\n", host.Stderr));
            Assert.True(s.IsSecure);
            Assert.True(s.Authenticated);
            s.Quit();
        }

        [SkippableTheory]
        [InlineData(SmtpTlsMode.StartTlsRequired, "wrong-ca")]
        [InlineData(SmtpTlsMode.StartTlsRequired, "wrong-name")]
        [InlineData(SmtpTlsMode.Implicit, "wrong-ca")]
        [InlineData(SmtpTlsMode.Implicit, "wrong-name")]
        public void AFailedVerificationDefersAndSendsNoCredentials(SmtpTlsMode mode, string fault)
        {
            using var pki = new TestPki();
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, Password);
            using var relay = new RecordingRelay(mode == SmtpTlsMode.Implicit ? host.ImplicitTlsPort : host.StartTlsPort);
            var tls = new HostTlsProvider(null, null, fault == "wrong-ca" ? pki.OtherCaFile : pki.CaFile);
            string name = fault == "wrong-name" ? "smtp.example.test" : "localhost";
            var conn = new HostSocketNetwork().Connect("127.0.0.1", relay.Port, 3000);
            var s = new SmtpClientSession(conn, tls, name, Options(mode), new byte[1024], new byte[2048], new SystemClock(), new NanoMailGateway.SelfTest.QuietLog(true), 1);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.Equal("4.7.5", s.Failure.EnhancedCode);
            Assert.False(s.TlsHandshakeFailed);   // verified TLS never falls back to plaintext
            var r = s.Deliver(new Envelope("a@gw.test"), Rcpts("b@example.test"), new BytesContent(Message));
            Assert.Equal(DeliveryOutcome.Transient, r.Statuses[0].Outcome);
            relay.AssertNoSecretOnTheWire(User, Password);
            Assert.Equal(0, host.MessageCount);
        }

        [SkippableFact]
        public void AWrongPasswordDefersNeverBounces()
        {
            using var pki = new TestPki();
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, Password);
            var tls = new HostTlsProvider(null, null, pki.CaFile);
            var conn = new HostSocketNetwork().Connect("127.0.0.1", host.StartTlsPort, 3000);
            var log = new NanoMailGateway.SelfTest.QuietLog(true);
            var s = new SmtpClientSession(conn, tls, "localhost", Options(SmtpTlsMode.StartTlsRequired, "wrong"), new byte[1024], new byte[2048], new SystemClock(), log, 1);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.True(535 == s.Failure.ReplyCode, s.Failure.Describe() + " | " + string.Join(" | ", log.Lines));
            Assert.StartsWith("4.", s.Failure.EnhancedCode);
            Assert.True(log.Contains("SASL authentication failed; server localhost[127.0.0.1] said: 535"));
        }
    }
}
