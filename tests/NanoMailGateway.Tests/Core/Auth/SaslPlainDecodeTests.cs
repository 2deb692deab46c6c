// SaslServer.TryDecodePlain, the PLAIN decoder POP3 AUTH (RFC 5034) uses: RFC 4616 §2 shapes
// and base64 that must be refused without an exception.

using System;
using System.Text;
using NanoMailGateway.Core.Auth;
using Xunit;

namespace NanoMailGateway.Tests.Core.Auth
{
    public class SaslPlainDecodeTests
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
        [InlineData("\0alice\0pw\0", false, "", "")]            // NUL in the password
        [InlineData("ALICE\0alice\0pw", true, "alice", "pw")]   // the same account, other case
        public void Decodes_the_RFC4616_message(string plain, bool ok, string user, string password)
        {
            byte[] b = Encoding.ASCII.GetBytes(B64(plain));
            Assert.Equal(ok, SaslServer.TryDecodePlain(b, 0, b.Length, out string u, out string p));
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
            Assert.False(SaslServer.TryDecodePlain(b, 0, b.Length, out _, out _));
        }
    }
}
