// Delivery through a smarthost (relayhost) that wants AUTH over TLS: python3-aiosmtpd
// with a test CA, on a STARTTLS submission port and an implicit-TLS port, behind a
// recording relay that proves the password never crossed the wire readable.
// A wrong CA or a host name the certificate lacks defers the message (never bounces).

using System;
using System.Text;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Emulator.Host;
using Xunit;
using static NanoMailGateway.Tests.Core.Delivery.DeliveryRig;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class SmarthostDeliveryInteropTests : IClassFixture<DeliveryZone>
    {
        private const string User = "relay-user@gw.test";
        private const string Password = "s3cret-P4ssw0rd!";

        private readonly DeliveryZone _zone;

        public SmarthostDeliveryInteropTests(DeliveryZone zone) { _zone = zone; }

        private static readonly byte[] Message = Latin1("From: alerts@gw.test\r\nSubject: via smarthost\r\n\r\n.dotted\r\nline \u00e9\r\n");

        private DeliveryRig Rig(string relayHost, int port, RelaySecurity security, string caFile)
        {
            return new DeliveryRig(_zone.Dns(), 25, o =>
            {
                o.RelayHost = relayHost;
                o.RelayPort = port;
                o.RelaySecurity = security;
                o.RelayUser = User;
                o.RelayPassword = Password;
            }, new HostTlsProvider(null, null, caFile));
        }

        [SkippableTheory]
        [InlineData(RelaySecurity.StartTls)]
        [InlineData(RelaySecurity.Tls)]
        public void Delivers_through_the_smarthost_with_AUTH_over_verified_TLS(RelaySecurity security)
        {
            using var pki = new TestPki();
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, Password);
            using var relay = new RecordingRelay(security == RelaySecurity.Tls ? host.ImplicitTlsPort : host.StartTlsPort);
            var rig = Rig("127.0.0.1", relay.Port, security, pki.CaFile);
            rig.Put("alerts@gw.test", Message, "ops@example.org", "oncall@example.net");
            Assert.Equal(2, rig.Agent.RunOnce());
            Assert.True(rig.Store.Count == 0, rig.AllLog + "\n" + string.Join("\n", host.Stderr));
            Assert.Equal(Message, host.Message(0));
            Assert.Equal(new[] { "alerts@gw.test", "ops@example.org,oncall@example.net", "True" }, host.EnvelopeOf(0));
            Assert.True(rig.Log.Contains("to=<ops@example.org>, relay=127.0.0.1[127.0.0.1]:" + relay.Port), rig.AllLog);
            relay.AssertNoSecretOnTheWire(User, Password);
        }

        [SkippableTheory]
        [InlineData(RelaySecurity.StartTls, "wrong-ca")]
        [InlineData(RelaySecurity.StartTls, "wrong-name")]
        [InlineData(RelaySecurity.Tls, "wrong-ca")]
        [InlineData(RelaySecurity.Tls, "wrong-name")]
        public void A_failed_certificate_check_defers_and_sends_no_credentials(RelaySecurity security, string fault)
        {
            using var pki = new TestPki();
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, Password);
            using var relay = new RecordingRelay(security == RelaySecurity.Tls ? host.ImplicitTlsPort : host.StartTlsPort);
            // relay.test resolves to 127.0.0.1 (DeliveryZone), a name the certificate does not carry.
            var rig = Rig(fault == "wrong-name" ? "relay.test" : "127.0.0.1", relay.Port, security, fault == "wrong-ca" ? pki.OtherCaFile : pki.CaFile);
            QueuedMessage m = rig.Put("alerts@gw.test", Message, "ops@example.org");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Equal("4.7.5", m.GetStatus(0).Code);
            Assert.Equal(0, host.MessageCount);
            Assert.Empty(rig.MailboxMessages("alerts"));
            relay.AssertNoSecretOnTheWire(User, Password);
            Assert.True(rig.Log.Contains("status=deferred"), rig.AllLog);
        }

        [SkippableFact]
        public void A_wrong_password_defers_and_the_relay_is_left_alone_for_a_while()
        {
            using var pki = new TestPki();
            using var host = new AiosmtpdSmarthost(pki.ServerCertFile, pki.ServerKeyFile, User, "another password");
            var rig = Rig("127.0.0.1", host.StartTlsPort, RelaySecurity.StartTls, pki.CaFile);
            QueuedMessage m = rig.Put("alerts@gw.test", Message, "ops@example.org");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.True(rig.Log.Contains("SASL authentication failed"), rig.AllLog);
            QueuedMessage m2 = rig.Put("alerts@gw.test", Message, "ops@example.org");
            rig.Agent.RunOnce();
            Assert.Equal(RecipientState.Deferred, m2.GetStatus(0).State);
            Assert.Contains("delivery temporarily suspended", m2.GetStatus(0).Text);
        }
    }
}
