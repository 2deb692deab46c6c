// SmtpReply: the reply code read from the text, and the wire form (text and final CRLF)
// that the session writes into its reply buffer when it sends a reply.

using System.Text;
using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpReplyTests
    {
        [Theory]
        [InlineData(SmtpReplies.Ok, 250, false)]
        [InlineData(SmtpReplies.StartData, 354, false)]
        [InlineData(SmtpReplies.TooManyErrors, 421, false)]
        [InlineData(SmtpReplies.AuthEmptyChallenge, 334, false)]
        [InlineData(SmtpReplies.UnknownCommand, 502, true)]
        [InlineData(SmtpReplies.EncryptionRequired, 538, true)]
        [InlineData("250-gw.example.net\r\n250 HELP", 250, false)]
        public void CodeIsTheFirstThreeCharacters(string reply, int code, bool permanent)
        {
            Assert.Equal(code, SmtpReply.Code(reply));
            Assert.Equal(permanent, SmtpReply.IsPermanentError(reply));
        }

        [Fact]
        public void CopyToWritesTheTextAndTheFinalCrlf()
        {
            byte[] buffer = Encoding.ASCII.GetBytes("xx" + new string('.', 20));
            int n = SmtpReply.CopyTo(SmtpReplies.Ok, buffer, 2);
            Assert.Equal(SmtpReply.WireLength(SmtpReplies.Ok), n);
            Assert.Equal("xx250 2.0.0 Ok\r\n......", Encoding.ASCII.GetString(buffer));
        }

        [Fact]
        public void GetBytesIsTheWireForm()
        {
            Assert.Equal("421 4.3.2 Too many connections, try again later\r\n", Encoding.ASCII.GetString(SmtpReply.GetBytes(SmtpReplies.TooBusy)));
            Assert.Equal("334 \r\n", Encoding.ASCII.GetString(SmtpReply.GetBytes(SmtpReplies.AuthEmptyChallenge)));
        }
    }
}
