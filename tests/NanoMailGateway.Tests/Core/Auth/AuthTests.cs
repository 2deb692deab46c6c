// Core/Auth: the account directory, SASL PLAIN/LOGIN decoding and the failure throttle.

using System;
using System.Text;
using NanoMailGateway.Core.Auth;
using Xunit;

namespace NanoMailGateway.Tests.Core.Auth
{
    public class AuthTests
    {
        private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);
        private static string B64(string s) => Convert.ToBase64String(B(s));

        [Fact]
        public void Directory()
        {
            var d = new AccountDirectory();
            Assert.True(d.AddFromConfig("user.alice", "pw1"));
            Assert.False(d.AddFromConfig("hostname", "x"));
            Assert.False(d.AddFromConfig("user.", "x"));
            d.Add("bob", "pw2");
            d.Add("bob", "pw3");
            Assert.Equal(2, d.Count);
            Assert.True(d.Verify("alice", "pw1"));
            Assert.False(d.Verify("alice", "pw2"));
            Assert.True(d.Verify("ALICE", "pw1"));                 // names ignore ASCII case, like the config
            Assert.Equal("alice", d.Authenticate("ALICE", "pw1"));  // the configured spelling comes back
            Assert.Null(d.Authenticate("alice", "PW1"));            // secrets do not
            Assert.False(d.Verify("alice", "pw1 "));
            Assert.False(d.Verify("alice", ""));
            Assert.True(d.Verify("bob", "pw3"));
            Assert.False(d.Verify("carol", "pw1"));
            Assert.False(d.Verify("carol", "carol"));
            Assert.True(AccountDirectory.FixedTimeEquals("", ""));
            Assert.False(AccountDirectory.FixedTimeEquals("a", "a\0"));
        }

        [Theory]
        [InlineData("\0alice\0pw", SaslStep.Verify, "alice", "pw")]
        [InlineData("alice\0alice\0pw", SaslStep.Verify, "alice", "pw")]
        [InlineData("bob\0alice\0pw", SaslStep.BadEncoding, "", "")]
        [InlineData("\0\0pw", SaslStep.BadEncoding, "", "")]
        [InlineData("alice\0pw", SaslStep.BadEncoding, "", "")]
        [InlineData("\0alice\0pw\0", SaslStep.BadEncoding, "", "")]
        public void Plain(string message, SaslStep step, string user, string password)
        {
            var s = new SaslServer();
            byte[] line = B("PLAIN " + B64(message));
            SaslStep r = s.Start(line, 0, 5, 6, line.Length - 6);
            Assert.Equal(step, r);
            if (step == SaslStep.Verify)
            {
                Assert.Equal(user, s.UserName);
                Assert.Equal(password, s.Password);
                s.Clear();
                Assert.Equal("", s.Password);
            }
        }

        [Fact]
        public void LoginAndCancel()
        {
            var s = new SaslServer();
            byte[] mech = B("login");
            Assert.Equal(SaslStep.NeedUsername, s.Start(mech, 0, 5, 0, -1));
            byte[] u = B(B64("alice"));
            Assert.Equal(SaslStep.NeedPassword, s.Respond(u, 0, u.Length));
            byte[] p = B(B64("pw"));
            Assert.Equal(SaslStep.Verify, s.Respond(p, 0, p.Length));
            Assert.Equal("alice", s.UserName);
            Assert.Equal(SaslStep.NeedPlainResponse, s.Start(B("PLAIN"), 0, 5, 0, -1));
            Assert.Equal(SaslStep.Cancelled, s.Respond(B("*"), 0, 1));
            Assert.Equal(SaslStep.UnknownMechanism, s.Start(B("XOAUTH2"), 0, 7, 0, -1));
            Assert.Equal(SaslStep.NeedUsername, s.Start(mech, 0, 5, 0, -1));
            Assert.Equal(SaslStep.NeedPassword, s.Respond(B("="), 0, 1)); // empty response
            Assert.Equal("", s.UserName);
            Assert.Equal(SaslStep.BadEncoding, s.Respond(B("abc"), 0, 3));
        }

        [Fact]
        public void ThrottleGrowsAndCaps()
        {
            var t = new AuthThrottle(5, 12, 4);
            Assert.Equal(5, t.NextDelayMs);
            Assert.Equal(5, t.Fail());
            Assert.Equal(10, t.Fail());
            Assert.Equal(12, t.Fail());
            Assert.False(t.LimitReached);
            Assert.Equal(12, t.Fail());
            Assert.True(t.LimitReached);
            Assert.Equal(39, t.TotalDelayMs);
            Assert.Equal(4, t.Failures);
        }
    }
}
