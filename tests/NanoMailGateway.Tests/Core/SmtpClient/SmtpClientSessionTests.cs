using System;
using System.Linq;
using System.Text;
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
    public class SmtpClientSessionTests : SmtpClientTests
    {
        private const string Body = "Subject: test\r\n\r\nhello\r\n";

        private static Envelope Env(string sender = "alerts@gw.test") => new Envelope(sender);

        [Theory]
        [InlineData("421 4.3.2 mx.test busy", DeliveryOutcome.Transient, 421, "4.3.2", false)]
        [InlineData("450 mx.test try later", DeliveryOutcome.Transient, 450, "4.0.0", true)]
        [InlineData("554 5.7.1 no SMTP service here", DeliveryOutcome.Permanent, 554, "5.7.1", true)]
        public void GreetingRefusalFailsTheAttempt(string greeting, DeliveryOutcome outcome, int code, string enhanced, bool quitSent)
        {
            using var srv = new ScriptedSmtpServer { Greeting = greeting };
            srv.Start();
            var s = Session(srv.Client);
            Assert.False(s.Open());
            Assert.False(s.IsReady);
            Assert.Equal(outcome, s.Failure!.Outcome);
            Assert.Equal(code, s.Failure.ReplyCode);
            Assert.Equal(enhanced, s.Failure.EnhancedCode);
            srv.WaitClosed(3000);
            Assert.Equal(quitSent, srv.Snapshot().Contains("QUIT"));
            Assert.DoesNotContain(srv.Snapshot(), l => l.StartsWith("EHLO", StringComparison.Ordinal));
            // Deliver on a failed session defers everything without touching the wire.
            var r = s.Deliver(Env(), Rcpts("a@x.test"), new BytesContent(Body));
            Assert.Equal(outcome, r.Statuses[0].Outcome);
        }

        [Fact]
        public void EhloRefusedFallsBackToHeloWithoutExtensions()
        {
            using var srv = new ScriptedSmtpServer { OnCommand = l => l.StartsWith("EHLO") ? "502 5.5.2 Error: command not recognized" : null };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            Assert.Equal(SmtpCapabilities.None, s.Capabilities);
            var r = s.Deliver(Env(), Rcpts("a@x.test"), new BytesContent(Body));
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            s.Quit();
            string[] lines = srv.Snapshot();
            Assert.Equal("EHLO gw.test", lines[0]);
            Assert.Equal("HELO gw.test", lines[1]);
            Assert.Equal("MAIL FROM:<alerts@gw.test>", lines[2]);   // no SIZE=, no BODY= after HELO
            Assert.Equal("QUIT", lines[^1]);
        }

        [Fact]
        public void EhloTemporaryRefusalDefers()
        {
            using var srv = new ScriptedSmtpServer { OnCommand = l => l.StartsWith("EHLO") ? "451 4.3.0 try later" : null };
            srv.Start();
            var s = Session(srv.Client);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
            Assert.DoesNotContain("HELO gw.test", srv.Snapshot());
        }

        [Fact]
        public void PipeliningSendsMailRcptsAndDataInOneBatch()
        {
            using var srv = new ScriptedSmtpServer { BatchUntilData = true };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            Assert.True(s.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            var r = s.Deliver(Env(), Rcpts("a@x.test", "b@x.test", "c@x.test"), new BytesContent(Body));
            Assert.Equal("Sent:250:2.0.0 Sent:250:2.0.0 Sent:250:2.0.0", Outcomes(r));
            Assert.True(r.ConnectionUsable);
            Assert.Equal("Ok: queued as ABC123", r.Statuses[0].Text);
            s.Quit();
            Assert.Equal(new[] { "EHLO gw.test", "MAIL FROM:<alerts@gw.test> SIZE=24", "RCPT TO:<a@x.test>", "RCPT TO:<b@x.test>", "RCPT TO:<c@x.test>", "DATA", "QUIT" }, srv.Snapshot());
        }

        [Fact]
        public void NoRecipientsMeansNoTransaction()
        {
            using var srv = new ScriptedSmtpServer();
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts(), new BytesContent(Body));
            Assert.Empty(r.Statuses);
            Assert.True(r.ConnectionUsable);
            s.Quit();
            Assert.Equal(new[] { "EHLO gw.test", "QUIT" }, srv.Snapshot());
        }

        [Fact]
        public void WithoutPipeliningEachCommandWaitsForItsReply()
        {
            using var srv = new ScriptedSmtpServer { CheckLockstep = true, EhloReply = "250-mx.test\r\n250 8BITMIME" };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test", "b@x.test"), new BytesContent(Body));
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[1].Outcome);
            s.Quit();
            Assert.Empty(srv.Violations);
            Assert.Equal("MAIL FROM:<alerts@gw.test>", srv.Snapshot()[1]);
        }

        [Fact]
        public void MessageOverServerSizeFailsAllWithoutSending()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 SIZE 1000" };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            Assert.Equal(1000, s.ServerMaxSize);
            var r = s.Deliver(Env(), Rcpts("a@x.test", "b@x.test"), new BytesContent(new byte[2000]));
            Assert.Equal("Permanent:0:5.3.4 Permanent:0:5.3.4", Outcomes(r));
            Assert.True(r.ConnectionUsable);
            s.Quit();
            Assert.DoesNotContain(srv.Snapshot(), l => l.StartsWith("MAIL", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void EachRecipientGetsItsOwnReply(bool pipelining)
        {
            using var srv = new ScriptedSmtpServer
            {
                EhloReply = pipelining ? "250-mx.test\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING" : "250 mx.test",
                OnCommand = l => l switch
                {
                    "RCPT TO:<later@x.test>" => "450 4.2.0 <later@x.test>: Recipient address rejected: mailbox busy",
                    "RCPT TO:<nobody@x.test>" => "550-5.1.1 <nobody@x.test>: Recipient address rejected:\r\n550 5.1.1 User unknown in local recipient table",
                    _ => null,
                },
            };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("ok@x.test", "later@x.test", "nobody@x.test"), new BytesContent(Body));
            Assert.Equal("Sent:250:2.0.0 Transient:450:4.2.0 Permanent:550:5.1.1", Outcomes(r));
            Assert.Equal("<nobody@x.test>: Recipient address rejected: User unknown in local recipient table", r.Statuses[2].Text);
            Assert.Equal(1, r.Count(DeliveryOutcome.Sent));
            Assert.Single(srv.Messages);
        }

        [Theory]
        [InlineData("451 4.3.0 Error: queue file write error", DeliveryOutcome.Transient, true)]
        [InlineData("554 5.6.0 Error: message content rejected", DeliveryOutcome.Permanent, true)]
        [InlineData("452 4.3.1 Insufficient system storage", DeliveryOutcome.Transient, false)]
        public void DataOrFinalDotRefusalGoesToAcceptedRecipientsOnly(string reply, DeliveryOutcome outcome, bool atFinalDot)
        {
            using var srv = new ScriptedSmtpServer
            {
                OnCommand = l => l == "RCPT TO:<nobody@x.test>" ? "550 5.1.1 User unknown" : (!atFinalDot && l == "DATA" ? reply : null),
                OnMessage = _ => reply,
            };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test", "nobody@x.test"), new BytesContent(Body));
            Assert.Equal(outcome, r.Statuses[0].Outcome);
            Assert.Equal(int.Parse(reply.Substring(0, 3)), r.Statuses[0].ReplyCode);
            Assert.Equal(DeliveryOutcome.Permanent, r.Statuses[1].Outcome);
            Assert.Equal(550, r.Statuses[1].ReplyCode);
            Assert.True(r.ConnectionUsable);
            // The session carries the next message (RSET after a refused DATA; nothing after a refused dot).
            var r2 = s.Deliver(Env(), Rcpts("a@x.test"), new BytesContent(Body));
            Assert.Equal(atFinalDot ? outcome : DeliveryOutcome.Transient, r2.Statuses[0].Outcome);
            s.Quit();
            string[] lines = srv.Snapshot();
            Assert.Equal(atFinalDot ? 0 : 2, lines.Count(l => l == "RSET"));
        }

        [Fact]
        public void A421MidSessionDefersEverythingStillOpenAndCloses()
        {
            using var srv = new ScriptedSmtpServer
            {
                EhloReply = "250 mx.test",
                OnCommand = l => l switch
                {
                    "RCPT TO:<nobody@x.test>" => "550 5.1.1 User unknown",
                    "RCPT TO:<c@x.test>" => "421 4.7.0 mx.test Error: too many errors",
                    _ => null,
                },
            };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test", "nobody@x.test", "c@x.test", "d@x.test"), new BytesContent(Body));
            Assert.Equal("Transient:421:4.7.0 Permanent:550:5.1.1 Transient:421:4.7.0 Transient:421:4.7.0", Outcomes(r));
            Assert.False(r.ConnectionUsable);
            Assert.False(s.IsReady);
            Assert.DoesNotContain("RCPT TO:<d@x.test>", srv.Snapshot());
        }

        [Fact]
        public void A421InsidePipelinedRepliesDefersTheRest()
        {
            using var srv = new ScriptedSmtpServer
            {
                BatchUntilData = true,
                OnCommand = l => l == "RCPT TO:<b@x.test>" ? "421 4.3.2 shutting down" : null,
            };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test", "b@x.test", "c@x.test"), new BytesContent(Body));
            Assert.All(r.Statuses, st => Assert.Equal(DeliveryOutcome.Transient, st.Outcome));
            Assert.False(s.IsReady);
        }

        [Fact]
        public void ConnectionDroppedBeforeTheFinalReplyDefers()
        {
            using var srv = new ScriptedSmtpServer { OnMessage = _ => ScriptedSmtpServer.Hangup };
            srv.Start();
            var log = new QuietLog(true);
            var s = Session(srv.Client, log: log);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test", "b@x.test"), new BytesContent(Body));
            Assert.Equal("Transient:0:4.4.2 Transient:0:4.4.2", Outcomes(r));
            Assert.Contains("may be sent more than once", r.Statuses[0].Text);
            Assert.False(r.ConnectionUsable);
            Assert.Single(srv.Messages);   // the server had it all: a duplicate later is acceptable (RFC 1047)
            Assert.True(log.Contains("lost connection with mx.test"));
        }

        [Theory]
        [InlineData(ScriptedSmtpServer.Silence, "conversation with mx.test[192.0.2.25] timed out while sending MAIL FROM")]
        [InlineData("", "lost connection with mx.test[192.0.2.25] while sending MAIL FROM")]   // an empty line is no reply
        public void SilenceOrGarbageAtMailDefersAsTransient(string reply, string text)
        {
            using var srv = new ScriptedSmtpServer { OnCommand = l => l.StartsWith("MAIL") ? reply : null, EhloReply = "250 mx.test" };
            srv.Start();
            var o = FastOptions();
            o.MailTimeoutMs = 300;
            var s = Session(srv.Client, o);
            Assert.True(s.Open());
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var r = s.Deliver(Env(), Rcpts("a@x.test"), new BytesContent(Body));
            Assert.True(sw.ElapsedMilliseconds < 2500);
            Assert.Equal(DeliveryOutcome.Transient, r.Statuses[0].Outcome);
            Assert.Equal("4.4.2", r.Statuses[0].EnhancedCode);
            Assert.Equal(text, r.Statuses[0].Text);
            Assert.False(s.IsReady);
        }

        [Fact]
        public void SessionCarriesSeveralMessages()
        {
            using var srv = new ScriptedSmtpServer();
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            for (int i = 0; i < 3; i++)
            {
                var r = s.Deliver(Env(), Rcpts("a" + i + "@x.test"), new BytesContent("Subject: " + i + "\r\n\r\nbody\r\n"));
                Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            }
            s.Quit();
            Assert.Equal(3, srv.Messages.Count);
            Assert.Equal("Subject: 2\r\n\r\nbody\r\n.\r\n", Encoding.Latin1.GetString(srv.Messages[2]));
            Assert.Equal(1, srv.Snapshot().Count(l => l.StartsWith("EHLO")));
        }

        [Fact]
        public void EightBitContentPassesUntouchedWithBody8BitMime()
        {
            byte[] msg = new byte[256 + 20];
            byte[] head = Encoding.ASCII.GetBytes("Subject: 8bit\r\n\r\n");
            head.CopyTo(msg, 0);
            int p = head.Length;
            for (int b = 0x80; b <= 0xFF; b++) msg[p++] = (byte)b;
            for (int b = 0x20; b < 0x7F && p < msg.Length - 2; b++) msg[p++] = (byte)b;
            msg[^2] = 13; msg[^1] = 10;
            using var srv = new ScriptedSmtpServer();
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var env = Env();
            env.EightBitMime = true;
            var r = s.Deliver(env, Rcpts("a@x.test"), new BytesContent(msg, 7));
            Assert.Equal(DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            Assert.Equal(msg.Concat(new byte[] { (byte)'.', 13, 10 }).ToArray(), srv.Messages[0]);
            Assert.Contains(srv.Snapshot(), l => l == "MAIL FROM:<alerts@gw.test> SIZE=" + msg.Length + " BODY=8BITMIME");
        }

        [Fact]
        public void NoBodyParameterWhenServerLacks8BitMime()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 SIZE" };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var env = Env();
            env.EightBitMime = true;
            s.Deliver(env, Rcpts("a@x.test"), new BytesContent(Body));
            Assert.Equal("MAIL FROM:<alerts@gw.test> SIZE=24", srv.Snapshot()[1]);
        }

        [Fact]
        public void DsnParametersGoOnlyToADsnServerXtextEncoded()
        {
            var env = Env("");
            env.EnvelopeId = "id+1=2 x";
            env.Return = DsnReturn.Headers;
            var rcpts = new[]
            {
                new EnvelopeRecipient("a@x.test", false, DsnNotify.Success | DsnNotify.Failure, "rfc822;a+b=c@x.test"),
                new EnvelopeRecipient("b@x.test", false, DsnNotify.Never, null),
                new EnvelopeRecipient("c@x.test", false, DsnNotify.Unspecified, "rfc822;c@x.test"),
            };
            using (var srv = new ScriptedSmtpServer())
            {
                srv.Start();
                var s = Session(srv.Client);
                Assert.True(s.Open());
                var r = s.Deliver(env, rcpts, new BytesContent(Body));
                Assert.True(r.DsnPassedOn);
                s.Quit();
                string[] l = srv.Snapshot();
                Assert.Equal("MAIL FROM:<> SIZE=24 RET=HDRS ENVID=id+2B1+3D2+20x", l[1]);
                Assert.Equal("RCPT TO:<a@x.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+2Bb+3Dc@x.test", l[2]);
                Assert.Equal("RCPT TO:<b@x.test> NOTIFY=NEVER", l[3]);
                Assert.Equal("RCPT TO:<c@x.test> ORCPT=rfc822;c@x.test", l[4]);
            }
            using (var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 PIPELINING" })
            {
                srv.Start();
                var s = Session(srv.Client);
                Assert.True(s.Open());
                var r = s.Deliver(env, rcpts, new BytesContent(Body));
                Assert.False(r.DsnPassedOn);
                s.Quit();
                string[] l = srv.Snapshot();
                Assert.Equal("MAIL FROM:<>", l[1]);
                Assert.Equal("RCPT TO:<a@x.test>", l[2]);
            }
        }

        [Fact]
        public void MailRefusedFailsEveryRecipientAndResets()
        {
            using var srv = new ScriptedSmtpServer { OnCommand = l => l.StartsWith("MAIL") ? "553 5.7.1 <alerts@gw.test>: Sender address rejected" : (l.StartsWith("RCPT") || l == "DATA" ? "503 5.5.1 Error: need MAIL command" : null) };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test", "b@x.test"), new BytesContent(Body));
            Assert.Equal("Permanent:553:5.7.1 Permanent:553:5.7.1", Outcomes(r));
            Assert.True(r.ConnectionUsable);
            Assert.Contains("RSET", srv.Snapshot());
            Assert.Empty(srv.Messages);
        }

        [Fact]
        public void AllRecipientsRefusedWhilePipelinedStillEndsTheDataCleanly()
        {
            // A server that answers 354 although no RCPT succeeded gets an empty message end (RFC 2920 §3.1).
            using var srv = new ScriptedSmtpServer { OnCommand = l => l.StartsWith("RCPT") ? "550 5.1.1 no" : null, OnMessage = _ => "554 5.5.1 Error: no valid recipients" };
            srv.Start();
            var s = Session(srv.Client);
            Assert.True(s.Open());
            var r = s.Deliver(Env(), Rcpts("a@x.test"), new BytesContent(Body));
            Assert.Equal("Permanent:550:5.1.1", Outcomes(r));
            Assert.Equal(".\r\n", Encoding.ASCII.GetString(srv.Messages[0]));
            Assert.True(r.ConnectionUsable);
        }

        [Fact]
        public void ReplyLongerThanTheBufferBreaksTheSessionAsTransient()
        {
            using var srv = new ScriptedSmtpServer { Greeting = "220 " + new string('x', 3000) };
            srv.Start();
            var s = Session(srv.Client);
            Assert.False(s.Open());
            Assert.Equal(DeliveryOutcome.Transient, s.Failure!.Outcome);
        }

        [Fact]
        public void ReplyOverTheByteCapBreaksTheSession()
        {
            // Past the default caps (64 KB, 1000 lines), far beyond any real server's reply.
            string many = string.Concat(Enumerable.Repeat("250-EXTENSION-WITH-A-LONG-NAME\r\n", 2500)) + "250 DSN";
            using var srv = new ScriptedSmtpServer { EhloReply = many };
            srv.Start();
            var s = Session(srv.Client);
            Assert.False(s.Open());
            Assert.Equal("4.4.2", s.Failure!.EnhancedCode);
        }
    }
}
