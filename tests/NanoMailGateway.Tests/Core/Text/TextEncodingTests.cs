using System;
using System.Globalization;
using NanoMailGateway.Core.Text;
using Xunit;

namespace NanoMailGateway.Tests.Core.Text
{
    public class TextEncodingTests
    {
        [Theory]
        [InlineData("plain@x.test", "plain@x.test")]
        [InlineData("a+b=c", "a+2Bb+3Dc")]
        [InlineData("sp ace", "sp+20ace")]
        [InlineData("caf\u00e9", "caf+E9")]
        [InlineData("\u0001~!", "+01~!")]
        [InlineData("", "")]
        public void XTextEncodes(string value, string expected)
        {
            Assert.Equal(expected, XText.Encode(value));
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("p\u00e4ss w\u00f6rd")]
        [InlineData("\u20ac \u4e2d")]
        [InlineData("\ud83d\ude00 emoji")]
        [InlineData("")]
        public void Utf8MatchesDotNet(string s)
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(s), Utf8.GetBytes(s));
        }

        [Fact]
        public void Utf8ReplacesUnpairedSurrogates()
        {
            Assert.Equal(new byte[] { (byte)'?', (byte)'a' }, Utf8.GetBytes("\ud800a"));
        }

        [Fact]
        public void Rfc5322DateMatchesDotNetForManyDays()
        {
            var t = new DateTime(1999, 12, 25, 23, 59, 58, DateTimeKind.Utc);
            for (int i = 0; i < 4000; i++)
            {
                string expected = t.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
                Assert.Equal(expected, Rfc5322Date.Format(t));
                t = t.AddHours(13.37);
            }
        }
    }
}
