// Core/Auth: the account directory, SASL PLAIN/LOGIN decoding and the failure throttle.

using System;
using System.Text;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.SelfTest;
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
        public void ThrottleGrowsPerAddressAcrossSessionsAndCaps()
        {
            var t = new AuthThrottle(new StepClock(), 5, 12, 4, 60_000);
            Assert.Equal(5, t.Fail("192.0.2.1", 1));
            Assert.Equal(10, t.Fail("192.0.2.1", 1));   // a new session: the address's count goes on
            Assert.Equal(12, t.Fail("192.0.2.1", 2));   // capped
            Assert.Equal(5, t.Fail("192.0.2.2", 1));    // another address starts at the base
            Assert.Equal(12, t.Fail("192.0.2.3", 3));   // a session's own count when it is the larger
            Assert.Equal(44, t.TotalDelayMs);
        }

        [Fact]
        public void ThrottleForgetsAfterSuccessAndAfterItsMemory()
        {
            var clock = new StepClock();
            var t = new AuthThrottle(clock, 100, 10_000, 4, 60_000);
            t.Fail("192.0.2.1", 1);
            t.Fail("192.0.2.1", 1);
            t.Succeed("192.0.2.1");
            Assert.Equal(100, t.Fail("192.0.2.1", 1));
            t.Fail("192.0.2.1", 1);
            clock.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal(100, t.Fail("192.0.2.1", 1));
        }

        [Fact]
        public void ThrottleTableIsFixedAndForgetsTheLeastRecentAddress()
        {
            var clock = new StepClock();
            var t = new AuthThrottle(clock, 100, 10_000, 2, 600_000);
            t.Fail("192.0.2.1", 1);
            t.Fail("192.0.2.1", 1);                      // .1 at 2 failures
            clock.Advance(TimeSpan.FromSeconds(1));
            t.Fail("192.0.2.2", 1);                      // the table is full
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(100, t.Fail("192.0.2.3", 1));  // takes .1's entry (it failed least recently)
            Assert.Equal(100, t.Fail("192.0.2.1", 1));  // so .1 starts again (taking .2's entry) ...
            Assert.Equal(200, t.Fail("192.0.2.1", 1));  // ... and grows again
            Assert.Equal(100, t.Fail("192.0.2.2", 1));  // .2 was forgotten
        }
    }
}
