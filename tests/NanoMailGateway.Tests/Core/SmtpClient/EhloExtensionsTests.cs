using System.Text;
using NanoMailGateway.Core.SmtpClient;
using Xunit;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class EhloExtensionsTests
    {
        [Theory]
        [InlineData("PIPELINING", SmtpCapabilities.Pipelining, 0)]
        [InlineData("pipelining", SmtpCapabilities.Pipelining, 0)]
        [InlineData("SIZE 10240000", SmtpCapabilities.Size, 10240000)]
        [InlineData("SIZE", SmtpCapabilities.Size, 0)]
        [InlineData("SIZE 0", SmtpCapabilities.Size, 0)]
        [InlineData("SIZE 99999999999999999999", SmtpCapabilities.Size, 0)]
        [InlineData("8BITMIME", SmtpCapabilities.EightBitMime, 0)]
        [InlineData("DSN", SmtpCapabilities.Dsn, 0)]
        [InlineData("STARTTLS", SmtpCapabilities.StartTls, 0)]
        [InlineData("ENHANCEDSTATUSCODES", SmtpCapabilities.EnhancedStatusCodes, 0)]
        [InlineData("AUTH PLAIN LOGIN", SmtpCapabilities.Auth | SmtpCapabilities.AuthPlain | SmtpCapabilities.AuthLogin, 0)]
        [InlineData("AUTH=LOGIN", SmtpCapabilities.Auth | SmtpCapabilities.AuthLogin, 0)]
        [InlineData("AUTH CRAM-MD5 XOAUTH2", SmtpCapabilities.Auth, 0)]
        [InlineData("AUTH  login   plain", SmtpCapabilities.Auth | SmtpCapabilities.AuthPlain | SmtpCapabilities.AuthLogin, 0)]
        [InlineData("DSNX", SmtpCapabilities.None, 0)]
        [InlineData("SMTPUTF8", SmtpCapabilities.None, 0)]
        [InlineData("", SmtpCapabilities.None, 0)]
        public void ParsesOneLine(string line, SmtpCapabilities expected, long maxSize)
        {
            var e = new EhloExtensions();
            byte[] b = Encoding.ASCII.GetBytes("xx" + line + "yy");
            e.ParseLine(b, 2, b.Length - 4);
            Assert.Equal(expected, e.Capabilities);
            Assert.Equal(maxSize, e.MaxSize);
        }

        [Fact]
        public void WholeEhloReplyAccumulatesAndClearForgets()
        {
            var e = new EhloExtensions();
            foreach (string l in new[] { "PIPELINING", "SIZE 5000", "STARTTLS", "AUTH PLAIN" })
            {
                byte[] b = Encoding.ASCII.GetBytes(l);
                e.ParseLine(b, 0, b.Length);
            }
            Assert.True(e.Has(SmtpCapabilities.Pipelining | SmtpCapabilities.StartTls | SmtpCapabilities.AuthPlain));
            Assert.False(e.Has(SmtpCapabilities.AuthLogin));
            Assert.Equal(5000, e.MaxSize);
            e.Clear();
            Assert.Equal(SmtpCapabilities.None, e.Capabilities);
            Assert.Equal(0, e.MaxSize);
        }
    }
}
