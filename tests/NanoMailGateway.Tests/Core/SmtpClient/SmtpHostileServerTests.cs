// The SMTP client against servers that misbehave, each on a real loopback
// socket with the scripted server: a 2xx to DATA, one reply too many or too few while
// pipelining, multi-line replies whose lines disagree, a go-ahead and a final reply in
// one packet before the body, slow RSET and QUIT, and a long EHLO reply. Each must defer
// (never "sent") or, for the slow ends, return within the short end timeout.

using NanoMailGateway.Emulator.Host;
using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using static NanoMailGateway.Tests.Core.SmtpClient.ClientHarness;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class SmtpHostileServerTests
    {
        private const string Body = "Subject: test\r\n\r\nhello\r\n";
        private const string NoPipelining = "250-mx.test\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME";

        private static ScriptedSmtpServer Loopback(Action<ScriptedSmtpServer> script)
        {
            var srv = new ScriptedSmtpServer("127.0.0.1");
            script(srv);
            srv.Start();
            return srv;
        }

        private static SmtpClientSession Open(ScriptedSmtpServer srv, QuietLog log, SmtpClientOptions? o = null)
        {
            var s = new SmtpClientSession(srv.Connect(), null, "mx.test", o ?? FastOptions(), new byte[1024], new byte[2048], new SystemClock(), log, 1);
            Assert.True(s.Open(), s.Failure?.Describe());
            return s;
        }

        private static DeliveryResult Deliver(SmtpClientSession s, params string[] rcpts) =>
            s.Deliver(new Envelope("alerts@gw.test"), Rcpts(rcpts), new BytesContent(Body));

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A2xxToDataIsAProtocolErrorThatDefers(bool pipelining)
        {
            using var srv = Loopback(x =>
            {
                if (!pipelining) x.EhloReply = NoPipelining;
                x.OnCommand = l => l == "DATA" ? "250 2.0.0 ok" : null;
            });
            var log = new QuietLog(true);
            var s = Open(srv, log);
            var r = Deliver(s, "a@x.test", "b@x.test");
            Assert.Equal("Transient:0:4.5.0 Transient:0:4.5.0", Outcomes(r));
            Assert.StartsWith("protocol error with mx.test[127.0.0.1] while sending DATA: unexpected reply 250", r.Statuses[0].Text);
            Assert.False(r.ConnectionUsable);
            Assert.Empty(srv.Messages);
            Assert.DoesNotContain("RSET", srv.Snapshot());   // out of step: nothing more is said
            Assert.True(log.Contains("protocol error with mx.test[127.0.0.1] while sending DATA"), string.Join("\n", log.Lines));
        }

        [Fact]
        public void OneReplyTooManyWhilePipeliningDefers()
        {
            // MAIL 250, RCPT 250, an extra 250, then 354: the extra one lands on DATA.
            using var srv = Loopback(x =>
            {
                x.BatchUntilData = true;
                x.OnCommand = l => l.StartsWith("RCPT", StringComparison.Ordinal) ? "250 2.1.5 Ok\r\n250 2.0.0 extra" : null;
            });
            var s = Open(srv, new QuietLog(true));
            var r = Deliver(s, "a@x.test");
            Assert.Equal("Transient:0:4.5.0", Outcomes(r));
            Assert.Empty(srv.Messages);
            Assert.False(r.ConnectionUsable);
        }

        [Fact]
        public void OneReplyTooFewWhilePipeliningDefers()
        {
            // The server skips the RCPT's reply: its 354 lands on RCPT, a 3xx out of place.
            using var srv = Loopback(x =>
            {
                x.BatchUntilData = true;
                x.OnCommand = l => l.StartsWith("RCPT", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null;
            });
            var s = Open(srv, new QuietLog(true));
            var r = Deliver(s, "a@x.test");
            Assert.Equal("Transient:0:4.5.0", Outcomes(r));
            Assert.Contains("while sending RCPT TO: unexpected reply 354", r.Statuses[0].Text);
            Assert.Empty(srv.Messages);
        }

        [Theory]
        [InlineData("250-2.0.0 queued\r\n550 5.7.1 but rejected")]
        [InlineData("550-5.7.1 rejected\r\n250 2.0.0 but queued")]
        public void AMultiLineFinalReplyWithTwoCodesDefers(string reply)
        {
            using var srv = Loopback(x => x.OnMessage = _ => reply);
            var s = Open(srv, new QuietLog(true));
            var r = Deliver(s, "a@x.test");
            Assert.Equal("Transient:0:4.5.0", Outcomes(r));
            Assert.Contains("multi-line reply with codes", r.Statuses[0].Text);
            Assert.Single(srv.Messages);   // the server saw it: a later duplicate is acceptable, a loss or a false bounce is not
            Assert.False(r.ConnectionUsable);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void AMultiLineRcptReplyWithTwoCodesDefers(bool pipelining)
        {
            using var srv = Loopback(x =>
            {
                if (!pipelining) x.EhloReply = NoPipelining;
                x.OnCommand = l => l.StartsWith("RCPT", StringComparison.Ordinal) ? "550-5.1.1 no such user\r\n250 2.1.5 Ok" : null;
            });
            var s = Open(srv, new QuietLog(true));
            var r = Deliver(s, "a@x.test");
            Assert.Equal("Transient:0:4.5.0", Outcomes(r));
            Assert.Empty(srv.Messages);
        }

        [Fact]
        public void GoAheadAndFinalReplyInOnePacketBeforeTheBodyDefers()
        {
            using var srv = Loopback(x =>
            {
                x.EhloReply = NoPipelining;
                x.OnCommand = l => l == "DATA" ? "354 go ahead\r\n250 2.0.0 ok" + ScriptedSmtpServer.Hangup : null;
            });
            var s = Open(srv, new QuietLog(true));
            var r = Deliver(s, "a@x.test");
            Assert.Equal("Transient:0:4.5.0", Outcomes(r));
            Assert.Contains("reply before the command it answers was sent", r.Statuses[0].Text);
            Assert.Empty(srv.Messages);
        }

        [Fact]
        public void AReplyLeftOverFromTheLastTransactionIsNotTakenForTheNext()
        {
            using var srv = Loopback(x => x.OnMessage = _ => "250 2.0.0 ok\r\n250 2.0.0 and again");
            var s = Open(srv, new QuietLog(true));
            Assert.Equal("Sent:250:2.0.0", Outcomes(Deliver(s, "a@x.test")));
            var r = Deliver(s, "b@x.test");
            Assert.Equal("Transient:0:4.5.0", Outcomes(r));
            Assert.Single(srv.Messages);
        }

        [Fact]
        public void ASlowRsetCostsSecondsNotMinutesAndTheRefusalIsKnownFirst()
        {
            using var srv = Loopback(x =>
            {
                x.EhloReply = NoPipelining;
                x.OnCommand = l => l.StartsWith("RCPT", StringComparison.Ordinal) ? "550 5.1.1 no such user" : l == "RSET" ? ScriptedSmtpServer.Silence : null;
            });
            var o = FastOptions();
            o.CommandTimeoutMs = 30000;   // the old wait for RSET
            o.EndTimeoutMs = 500;
            var s = Open(srv, new QuietLog(true), o);
            var sw = Stopwatch.StartNew();
            var r = Deliver(s, "nobody@x.test");
            Assert.InRange(sw.ElapsedMilliseconds, 400, 3000);
            Assert.Equal("Permanent:550:5.1.1", Outcomes(r));
            Assert.False(r.ConnectionUsable);
        }

        [Fact]
        public void ASlowQuitCostsSecondsNotMinutes()
        {
            using var srv = Loopback(x => x.OnCommand = l => l == "QUIT" ? ScriptedSmtpServer.Silence : null);
            var o = FastOptions();
            o.CommandTimeoutMs = 30000;
            o.EndTimeoutMs = 500;
            var s = Open(srv, new QuietLog(true), o);
            Assert.Equal("Sent:250:2.0.0", Outcomes(Deliver(s, "a@x.test")));
            var sw = Stopwatch.StartNew();
            s.Quit();
            Assert.InRange(sw.ElapsedMilliseconds, 400, 3000);
            Assert.Equal(3000, new SmtpClientOptions().EndTimeoutMs);
        }

        [Fact]
        public void A16KbEhloReplyWithManyAuthMechanismsIsRead()
        {
            var ehlo = new StringBuilder("250-mx.test\r\n250-PIPELINING\r\n");
            for (int i = 0; ehlo.Length < 16 * 1024; i++) ehlo.Append("250-AUTH X-MECHANISM-").Append(i).Append(" X-OTHER-").Append(i).Append("-WITH-A-LONGER-NAME-TO-FILL-THE-LINE\r\n");
            ehlo.Append("250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
            using var srv = Loopback(x => x.EhloReply = ehlo.ToString());
            var s = Open(srv, new QuietLog(true));   // the default caps
            Assert.True(s.Capabilities.HasFlag(SmtpCapabilities.AuthPlain));
            Assert.True(s.Capabilities.HasFlag(SmtpCapabilities.EightBitMime));
            Assert.Equal("Sent:250:2.0.0", Outcomes(Deliver(s, "a@x.test")));
        }

        [Fact]
        public void AnEndlessEhloReplyStillEndsAtTheCap()
        {
            var ehlo = new StringBuilder("250-mx.test\r\n");
            while (ehlo.Length < 70 * 1024) ehlo.Append("250-X-FILLER 0123456789012345678901234567890123456789\r\n");
            ehlo.Append("250 8BITMIME");
            using var srv = Loopback(x => x.EhloReply = ehlo.ToString());
            var s = new SmtpClientSession(srv.Connect(), null, "mx.test", FastOptions(), new byte[1024], new byte[2048], new SystemClock(), new QuietLog(true), 1);
            Assert.False(s.Open());
            Assert.Equal("4.4.2", s.Failure!.EnhancedCode);
        }
    }
}
