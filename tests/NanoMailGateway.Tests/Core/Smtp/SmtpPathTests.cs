// SmtpPath: the RFC 5321 §4.1.2 grammar, its limits, and the relay-relevant decisions.

using System.Text;
using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpPathTests
    {
        private static (SmtpPathResult result, SmtpPath path) Parse(string s, bool allowNull = true, bool allowPostmaster = true)
        {
            var p = new SmtpPath();
            byte[] b = Encoding.Latin1.GetBytes(s);
            return (p.Parse(b, 0, b.Length, allowNull, allowPostmaster), p);
        }

        [Theory]
        [InlineData("<user@example.com>", "user@example.com", "example.com")]
        [InlineData("<User.Name+tag@Example.COM>", "User.Name+tag@example.com", "example.com")]
        [InlineData(" <a@b.c>", "a@b.c", "b.c")]
        [InlineData("a@b.c", "a@b.c", "b.c")]
        [InlineData("<\"john doe\"@example.com>", "\"john doe\"@example.com", "example.com")]
        [InlineData("<\"a@b\"@example.com>", "\"a@b\"@example.com", "example.com")]
        [InlineData("<\"a\\\"b\"@example.com>", "\"a\\\"b\"@example.com", "example.com")]
        [InlineData("<a%b.example@c.example>", "a%b.example@c.example", "c.example")]
        [InlineData("<b.example!a@c.example>", "b.example!a@c.example", "c.example")]
        [InlineData("<@relay.example:a@c.example>", "a@c.example", "c.example")]
        [InlineData("<@r1.example,@r2.example:a@c.example>", "a@c.example", "c.example")]
        [InlineData("<a@[192.0.2.1]>", "a@[192.0.2.1]", "[192.0.2.1]")]
        [InlineData("<a@[IPv6:2001:db8::1]>", "a@[ipv6:2001:db8::1]", "[ipv6:2001:db8::1]")]
        [InlineData("<postmaster>", "postmaster", "")]
        [InlineData("<PostMaster>", "postmaster", "")]
        [InlineData("<a@x-y.example>", "a@x-y.example", "x-y.example")]
        [InlineData("<a@1.2.3.4.example>", "a@1.2.3.4.example", "1.2.3.4.example")]
        public void Valid(string text, string address, string domain)
        {
            var (r, p) = Parse(text);
            Assert.Equal(SmtpPathResult.Ok, r);
            Assert.Equal(address, p.Address);
            Assert.Equal(domain, p.Domain);
        }

        [Theory]
        [InlineData("<>")]
        [InlineData(" <>")]
        public void NullPath(string text)
        {
            var (r, p) = Parse(text);
            Assert.Equal(SmtpPathResult.Ok, r);
            Assert.True(p.IsNull);
            Assert.Equal("", p.Address);
            Assert.Equal(SmtpPathResult.Syntax, Parse(text, allowNull: false).result);
        }

        [Theory]
        [InlineData("")]
        [InlineData("<")]
        [InlineData("<a@b")]
        [InlineData("a@b>")]
        [InlineData("<a@b@c>")]                 // user@a@b
        [InlineData("<a@b.example.>")]          // trailing dot
        [InlineData("<a@.b.example>")]
        [InlineData("<a@b..example>")]
        [InlineData("<.a@b.example>")]
        [InlineData("<a.@b.example>")]
        [InlineData("<a..b@b.example>")]
        [InlineData("<a b@b.example>")]
        [InlineData("<a@-b.example>")]
        [InlineData("<a@b-.example>")]
        [InlineData("<a@b_c.example>")]
        [InlineData("<a@>")]
        [InlineData("<@b.example>")]
        [InlineData("<a>")]                     // no domain, not postmaster
        [InlineData("<postmaster@>")]
        [InlineData("<\"unterminated@b.example>")]
        [InlineData("<\"a\"b@b.example>")]
        [InlineData("<a@[192.0.2.256]>")]
        [InlineData("<a@[192.0.2]>")]
        [InlineData("<a@[]>")]
        [InlineData("<a@[evil]>")]
        [InlineData("<a@b.example%c.example>")]
        [InlineData("<a@b.example>x")]
        [InlineData("<@relay.example a@b.example>")]
        [InlineData("<@relay.example:>")]
        [InlineData("<\u00e9@b.example>")]      // no SMTPUTF8
        [InlineData("<a\0@b.example>")]
        [InlineData("<a@b.example\r>")]
        public void Invalid(string text)
        {
            Assert.Equal(SmtpPathResult.Syntax, Parse(text).result);
        }

        [Fact]
        public void Limits()
        {
            string local64 = new string('l', 64);
            Assert.Equal(SmtpPathResult.Ok, Parse("<" + local64 + "@b.example>").result);
            Assert.Equal(SmtpPathResult.TooLong, Parse("<" + local64 + "l@b.example>").result); // §4.5.3.1.1
            string label = new string('d', 63);
            string domain255 = label + "." + label + "." + label + "." + label; // 255
            Assert.Equal(255, domain255.Length);
            Assert.Equal(SmtpPathResult.TooLong, Parse("<a@" + domain255 + ">").result);        // the path limit comes first
            Assert.Equal(SmtpPathResult.Ok, Parse("<a@" + domain255.Substring(4) + ">").result); // 256 with brackets
            Assert.Equal(SmtpPathResult.Syntax, Parse("<a@" + new string('d', 64) + ".example>").result); // label > 63
            // path 256 with brackets (§4.5.3.1.3): 64 + 1 + 189 + 2 = 256
            string d189 = label + "." + label + "." + new string('d', 61);
            Assert.Equal(189, d189.Length);
            Assert.Equal(SmtpPathResult.Ok, Parse("<" + local64 + "@" + d189 + ">").result);
            Assert.Equal(SmtpPathResult.TooLong, Parse("<" + local64 + "@" + d189 + "d>").result);
        }

        [Fact]
        public void EndPointsAtParameters()
        {
            byte[] b = Encoding.Latin1.GetBytes("<a@b.example> SIZE=10");
            var p = new SmtpPath();
            Assert.Equal(SmtpPathResult.Ok, p.Parse(b, 0, b.Length, true, false));
            Assert.Equal(13, p.End);
        }

        [Fact]
        public void SourceRouteIsIgnored()
        {
            var (r, p) = Parse("<@local.example:victim@remote.example>");
            Assert.Equal(SmtpPathResult.Ok, r);
            Assert.True(p.HadSourceRoute);
            Assert.Equal("remote.example", p.Domain);
        }
    }
}
