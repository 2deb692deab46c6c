using System;
using System.Text;
using NanoMailGateway.Core.Pop3;
using Xunit;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3SaslPlainTests
    {
        private static string B64(string s) => Convert.ToBase64String(Encoding.Latin1.GetBytes(s));

        [Theory]
        [InlineData("\0alice\0secret", true, "alice", "secret")]
        [InlineData("alice\0alice\0secret", true, "alice", "secret")]
        [InlineData("\0bob\0hunter 2", true, "bob", "hunter 2")]
        [InlineData("\0alice\0", true, "alice", "")]
        [InlineData("mallory\0alice\0secret", false, "", "")]   // acting as another account
        [InlineData("\0\0secret", false, "", "")]               // empty authcid
        [InlineData("alice secret", false, "", "")]             // no NULs
        [InlineData("\0alice", false, "", "")]                  // one NUL
        public void Decodes_the_RFC4616_message(string plain, bool ok, string user, string password)
        {
            byte[] b = Encoding.ASCII.GetBytes(B64(plain));
            Assert.Equal(ok, Pop3SaslPlain.TryDecode(b, 0, b.Length, out string u, out string p));
            if (ok)
            {
                Assert.Equal(user, u);
                Assert.Equal(password, p);
            }
        }

        [Theory]
        [InlineData("")]
        [InlineData("abc")]          // not a multiple of 4
        [InlineData("ab=c")]         // padding in the middle
        [InlineData("a=bc")]
        [InlineData("ab!c")]         // not base64
        [InlineData("AGFsaWNlAHNlY3JldA=x")]
        public void Refuses_bad_base64_without_throwing(string text)
        {
            byte[] b = Encoding.ASCII.GetBytes(text);
            Assert.False(Pop3SaslPlain.TryDecode(b, 0, b.Length, out _, out _));
        }
    }
}
