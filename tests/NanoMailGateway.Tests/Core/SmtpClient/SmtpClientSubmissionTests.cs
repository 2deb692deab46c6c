// SmtpClientOptions.Submission (nmg send): no pipelining, a refused recipient abandons the
// transaction before DATA, AUTH also without TLS and only when offered; and the relay's
// rules stay as they were without it.

using System;
using System.Linq;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using Xunit;
using static NanoMailGateway.Tests.Core.SmtpClient.ClientHarness;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class SmtpClientSubmissionTests
    {
        private static SmtpClientOptions Submission(string? user = null, string? password = null)
        {
            var o = FastOptions();
            o.Submission = true;
            o.User = user;
            o.Password = password;
            return o;
        }

        [Theory]
        [InlineData(true, "Transient:0:4.0.0 Permanent:550:5.1.1 Transient:0:4.0.0", "RSET")]
        [InlineData(false, "Sent:250:2.0.0 Permanent:550:5.1.1 Sent:250:2.0.0", "DATA")]
        public void A_refused_recipient_abandons_a_submission_but_not_a_relay(bool submission, string outcomes, string after)
        {
            using var srv = new ScriptedSmtpServer { OnCommand = l => l == "RCPT TO:<b@x.test>" ? "550 5.1.1 no such user" : null };
            srv.Start();
            var o = FastOptions();
            o.Submission = submission;
            var s = Session(srv.Client, o);
            Assert.True(s.Open());
            var r = s.Deliver(new Envelope("a@gw.test"), Rcpts("a@x.test", "b@x.test", "c@x.test"), new BytesContent("x\r\n"));
            Assert.Equal(outcomes, Outcomes(r));
            Assert.True(r.ConnectionUsable);
            s.Quit();
            string[] lines = srv.Snapshot();
            Assert.Equal(after, lines[5]);
            Assert.Equal(submission ? 0 : 1, srv.Messages.Count);
        }

        [Fact]
        public void Submission_waits_for_each_reply_even_with_PIPELINING()
        {
            using var srv = new ScriptedSmtpServer { CheckLockstep = true };
            srv.Start();
            var s = Session(srv.Client, Submission());
            Assert.True(s.Open());
            var r = s.Deliver(new Envelope("a@gw.test"), Rcpts("a@x.test", "b@x.test"), new BytesContent("x\r\n"));
            Assert.Equal("Sent:250:2.0.0 Sent:250:2.0.0", Outcomes(r));
            Assert.Empty(srv.Violations);
        }

        [Theory]
        [InlineData("250-mx.test\r\n250 AUTH PLAIN", true)]
        [InlineData("250-mx.test\r\n250 8BITMIME", false)]
        public void Submission_authenticates_in_plaintext_only_when_offered(string ehlo, bool offered)
        {
            using var srv = new ScriptedSmtpServer
            {
                EhloReply = ehlo,
                OnCommand = l => l.StartsWith("AUTH ", StringComparison.Ordinal) ? "235 2.7.0 ok" : null,
            };
            srv.Start();
            var s = Session(srv.Client, Submission("alerts", "secret"));
            Assert.True(s.Open(), s.Failure?.Describe());
            Assert.Equal(offered, s.Authenticated);
            s.Quit();
            string[] auth = srv.Snapshot().Where(l => l.StartsWith("AUTH", StringComparison.Ordinal)).ToArray();
            Assert.Equal(offered ? new[] { "AUTH PLAIN " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("\0alerts\0secret")) } : new string[0], auth);
        }

        [Fact]
        public void A_relay_still_sends_no_credentials_in_plaintext()
        {
            using var srv = new ScriptedSmtpServer { EhloReply = "250-mx.test\r\n250 AUTH PLAIN" };
            srv.Start();
            var o = FastOptions();
            o.User = "alerts";
            o.Password = "secret";
            var s = Session(srv.Client, o);
            Assert.False(s.Open());
            Assert.Equal("4.7.0", s.Failure!.EnhancedCode);
            Assert.DoesNotContain(srv.Snapshot(), l => l.StartsWith("AUTH", StringComparison.Ordinal));
        }
    }
}
