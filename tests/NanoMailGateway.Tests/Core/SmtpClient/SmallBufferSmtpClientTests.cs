// The SMTP client with the three buffers a board rents from a pool of 512-octet buffers:
// the client test classes run again with them (the subclasses below), and the limits
// that depend on the buffers are tested directly: reply lines of 512 octets (RFC 5321
// §4.5.3.1.5) in a long multi-line EHLO reply; DSN parameters only when every line keeps
// RFC 3461 §3's limits and fits the send buffer, else none at all (§5.2.2); an AUTH
// PLAIN initial response that would make the line longer than 512 goes after the empty
// challenge (RFC 4954 §4); DATA of 1000-octet lines streamed in 512-octet pieces.

using System;
using System.Linq;
using System.Text;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public sealed class SmtpClientSessionTestsAt512 : SmtpClientSessionTests { protected override int BufferSize => 512; }

    public sealed class SmtpClientTlsAuthTestsAt512 : SmtpClientTlsAuthTests { protected override int BufferSize => 512; }

    public class SmallBufferSmtpClientTests
    {
        private const string DsnEhlo = "250-mx.test\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 DSN";

        private static SmtpClientSession Session(ScriptedSmtpServer srv, int bufferSize, SmtpClientOptions? o = null, QuietLog? log = null)
            => ClientHarness.Session(srv.Client, o, new MemoryTlsProvider(false, false), log: log, bufferSize: bufferSize);

        private static EnvelopeRecipient Rcpt(string address, string? orcpt) => new EnvelopeRecipient(address, false, DsnNotify.Success | DsnNotify.Failure, orcpt);

        [Fact]
        public void ALongMultiLineEhloReplyWithA512OctetLineIsParsed()
        {
            string wide = "250-X-WIDE " + new string('w', 512 - 11 - 2);   // 512 octets with CRLF
            Assert.Equal(510, wide.Length);
            using var srv = new ScriptedSmtpServer
            {
                EhloReply = "250-mx.test Hello gw.test [192.0.2.10], pleased to meet you\r\n" + wide + "\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n"
                    + wide + "\r\n250-8BITMIME\r\n250-AUTH=LOGIN PLAIN\r\n250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n250 STARTTLS",
            };
            srv.Start();
            var s = Session(srv, 512);
            Assert.True(s.Open());
            Assert.Equal(SmtpCapabilities.Pipelining | SmtpCapabilities.Size | SmtpCapabilities.EightBitMime | SmtpCapabilities.Auth
                | SmtpCapabilities.AuthLogin | SmtpCapabilities.AuthPlain | SmtpCapabilities.EnhancedStatusCodes | SmtpCapabilities.Dsn
                | SmtpCapabilities.StartTls, s.Capabilities);
            Assert.Equal(35882577, s.ServerMaxSize);
            var r = s.Deliver(new Envelope("alerts@gw.test"), new[] { Rcpt("ops@x.test", null) }, new BytesContent("Subject: s\r\n\r\nb\r\n"));
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            s.Quit();
        }

        [Fact]
        public void AReplyLineOver512OctetsBreaksTheSessionCleanly()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250-X-WIDE " + new string('w', 512 - 11 - 1) + "\r\n250 DSN" };
            srv.Start();
            var s = Session(srv, 512);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.Equal("4.4.2", s.Failure.EnhancedCode);
        }

        // The same envelope with ORCPTs of growing length: the DSN parameters go out while every
        // line fits min(buffer, RFC 3461 §3 limit), and otherwise none go (DsnPassedOn false).
        [Theory]
        [InlineData(512, 100, true)]
        [InlineData(512, 460, true)]     // RCPT line of exactly 512 octets
        [InlineData(512, 461, false)]    // RCPT line over the 512-octet send buffer
        [InlineData(2048, 461, true)]    // the same line under DSN's 1012
        [InlineData(2048, 960, true)]    // RCPT line of exactly 1012 octets
        [InlineData(2048, 961, false)]   // over 1012 although the buffer would hold it
        public void DsnParametersGoOnlyWhenEveryLineFits(int bufferSize, int orcptLength, bool passed)
        {
            using var srv = new ScriptedSmtpServer { EhloReply = DsnEhlo };
            srv.Start();
            var log = new QuietLog(true);
            var s = Session(srv, bufferSize, log: log);
            Assert.True(s.Open());
            var env = new Envelope("alerts@gw.test") { Return = DsnReturn.Headers, EnvelopeId = "id+1" };
            string longOrcpt = "rfc822;" + new string('o', orcptLength - 12) + "@x.test";   // the RCPT line has orcptLength + 52 octets
            var r = s.Deliver(env, new[] { Rcpt("a@x.test", "rfc822;a@x.test"), Rcpt("b@x.test", longOrcpt) }, new BytesContent("Subject: s\r\n\r\nb\r\n"));
            s.Quit();
            Assert.Equal("Sent:250:2.0.0 Sent:250:2.0.0", ClientHarness.Outcomes(r));
            Assert.Equal(passed, r.DsnPassedOn);
            string[] lines = srv.Snapshot();
            if (passed)
            {
                Assert.Equal("MAIL FROM:<alerts@gw.test> RET=HDRS ENVID=id+2B1", lines[1]);
                Assert.Equal("RCPT TO:<a@x.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@x.test", lines[2]);
                Assert.Equal("RCPT TO:<b@x.test> NOTIFY=SUCCESS,FAILURE ORCPT=" + longOrcpt, lines[3]);
            }
            else
            {
                Assert.Equal(new[] { "MAIL FROM:<alerts@gw.test>", "RCPT TO:<a@x.test>", "RCPT TO:<b@x.test>" }, lines.Skip(1).Take(3));
                Assert.Contains(log.Lines, l => l.Contains("DSN parameters too long", StringComparison.Ordinal));
            }
            foreach (string l in lines) Assert.True(l.Length + 2 <= Math.Min(bufferSize, 1012), "line of " + (l.Length + 2) + " octets");
        }

        [Theory]
        [InlineData(512)]
        [InlineData(2048)]
        public void AnAuthPlainResponseThatWouldMakeTheLineTooLongFollowsTheEmptyChallenge(int bufferSize)
        {
            string password = new string('p', 374);   // base64 of 380 octets: 508 characters, a 510-octet line
            string response = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0user\0" + password));
            Assert.True("AUTH PLAIN ".Length + response.Length + 2 > 512);
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 AUTH PLAIN" };
            srv.OnCommand = l => l == "AUTH PLAIN" ? "334 " : l == response ? "235 2.7.0 Authentication successful" : null;
            srv.Start();
            var o = ClientHarness.FastOptions();
            o.TlsMode = SmtpTlsMode.Implicit;
            o.User = "user";
            o.Password = password;
            var s = Session(srv, bufferSize, o);
            Assert.True(s.Open());
            Assert.True(s.Authenticated);
            s.Quit();
            Assert.Equal(new[] { "EHLO gw.test", "AUTH PLAIN", response, "QUIT" }, srv.Snapshot());
        }

        [Fact]
        public void CredentialsThatFitNoResponseLineDeferWithoutSendingThem()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 AUTH PLAIN LOGIN" };
            srv.Start();
            var o = ClientHarness.FastOptions();
            o.TlsMode = SmtpTlsMode.Implicit;
            o.User = "user";
            o.Password = new string('p', 400);       // base64 of 406 octets: 544 > 512 - 2
            var s = Session(srv, 512, o);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.Equal("4.3.5", s.Failure.EnhancedCode);
            Assert.True(srv.WaitClosed(5000));
            Assert.Equal(new[] { "EHLO gw.test", "QUIT" }, srv.Snapshot());
        }

        [Fact]
        public void ThousandOctetLinesStreamByteExactThrough512OctetBuffers()
        {
            var body = new StringBuilder("Subject: long\r\n\r\n");
            for (int i = 0; i < 9; i++) body.Append(i % 3 == 0 ? "." : "x").Append(new string((char)('a' + i), 997)).Append("\r\n");
            byte[] content = Encoding.Latin1.GetBytes(body.ToString());
            using var srv = new ScriptedSmtpServer { EhloReply = DsnEhlo };
            srv.Start();
            var s = Session(srv, 512);
            Assert.True(s.Open());
            var r = s.Deliver(new Envelope("alerts@gw.test"), new[] { Rcpt("ops@x.test", null) }, new BytesContent(content));
            s.Quit();
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            string stuffed = body.ToString().Replace("\r\n.", "\r\n..") + ".\r\n";
            Assert.Equal(stuffed, Encoding.Latin1.GetString(Assert.Single(srv.Messages)));
        }
    }
}
