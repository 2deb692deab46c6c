using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.SmtpClient;
using Xunit;
using static NanoMailGateway.Tests.Core.SmtpClient.ClientHarness;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    /// <summary>
    /// One SmtpClientOptions serves every session of a run (RemoteDelivery): the TLS mode,
    /// the certificate check and the credentials are set on each session instead.
    /// </summary>
    public class SmtpClientSessionPolicyTests
    {
        private const string SecureEhlo = "250-mx.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME";

        private sealed class RecordingTls : ITlsProvider
        {
            private readonly MemoryTlsProvider _inner = new MemoryTlsProvider(false, false);
            public bool? Verify;
            public bool CanServe => false;
            public IConnection AuthenticateAsServer(IConnection plain, int timeoutMs) => _inner.AuthenticateAsServer(plain, timeoutMs);
            public IConnection AuthenticateAsClient(IConnection plain, string targetHost, bool verify, int timeoutMs)
            {
                Verify = verify;
                return _inner.AuthenticateAsClient(plain, targetHost, verify, timeoutMs);
            }
        }

        [Fact]
        public void SessionSettingsReplaceTheSharedOptionsAndLeaveThemAlone()
        {
            SmtpClientOptions shared = FastOptions();
            shared.TlsMode = SmtpTlsMode.None;

            using (var srv = new ScriptedSmtpServer { EhloReply = SecureEhlo })
            {
                srv.Start();
                var tls = new RecordingTls();
                var s = Session(srv.Client, shared, tls);
                s.TlsMode = SmtpTlsMode.Implicit;
                s.VerifyCertificate = true;
                s.SetCredentials("user", "pass");
                Assert.True(s.Open());
                Assert.True(s.IsSecure);
                Assert.True(s.Authenticated);
                Assert.True(tls.Verify);
                s.Quit();
                Assert.Equal(new[] { "EHLO gw.test", "AUTH PLAIN AHVzZXIAcGFzcw==", "QUIT" }, srv.Snapshot());
            }
            Assert.Equal(SmtpTlsMode.None, shared.TlsMode);
            Assert.False(shared.VerifyCertificate);
            Assert.Null(shared.User);

            // The next session on the same options starts from them again: plaintext, no AUTH.
            using (var srv = new ScriptedSmtpServer { EhloReply = SecureEhlo })
            {
                srv.Start();
                var s = Session(srv.Client, shared, new RecordingTls());
                Assert.Equal(SmtpTlsMode.None, s.TlsMode);
                Assert.True(s.Open());
                Assert.False(s.IsSecure);
                Assert.False(s.Authenticated);
                s.Quit();
                Assert.Equal(new[] { "EHLO gw.test", "QUIT" }, srv.Snapshot());
            }
        }

        [Fact]
        public void CredentialsCanBeTakenAwayPerSession()
        {
            SmtpClientOptions shared = FastOptions();
            shared.TlsMode = SmtpTlsMode.Implicit;
            shared.User = "user";
            shared.Password = "pass";
            using var srv = new ScriptedSmtpServer { EhloReply = SecureEhlo };
            srv.Start();
            var s = Session(srv.Client, shared, new RecordingTls());
            s.SetCredentials(null, null);
            Assert.True(s.Open());
            Assert.True(s.IsSecure);
            Assert.False(s.Authenticated);
            s.Quit();
            Assert.Equal(new[] { "EHLO gw.test", "QUIT" }, srv.Snapshot());
        }
    }
}
