// SmtpParameters: SIZE, BODY, AUTH, RET, ENVID (MAIL) and NOTIFY, ORCPT (RCPT), xtext.

using System.Text;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpParametersTests
    {
        private static (SmtpParameterResult, SmtpParameters) Mail(string s)
        {
            var p = new SmtpParameters();
            byte[] b = Encoding.Latin1.GetBytes(s);
            return (p.ParseMail(b, 0, b.Length), p);
        }

        private static (SmtpParameterResult, SmtpParameters) Rcpt(string s)
        {
            var p = new SmtpParameters();
            byte[] b = Encoding.Latin1.GetBytes(s);
            return (p.ParseRcpt(b, 0, b.Length), p);
        }

        [Fact]
        public void MailParameters()
        {
            var (r, p) = Mail(" SIZE=1234 BODY=8BITMIME RET=HDRS ENVID=abc+2Bdef+3D AUTH=<>");
            Assert.Equal(SmtpParameterResult.Ok, r);
            Assert.Equal(1234, p.Size);
            Assert.True(p.EightBitMime);
            Assert.Equal(DsnReturn.Headers, p.Return);
            Assert.Equal("abc+def=", p.EnvelopeId);
            Assert.True(p.HasAuth);
            (r, p) = Mail("");
            Assert.Equal(SmtpParameterResult.Ok, r);
            Assert.Equal(-1, p.Size);
            Assert.Null(p.EnvelopeId);
        }

        [Theory]
        [InlineData(" SIZE=", SmtpParameterResult.Invalid)]
        [InlineData(" SIZE=abc", SmtpParameterResult.Invalid)]
        [InlineData(" SIZE=1 SIZE=2", SmtpParameterResult.Invalid)]
        [InlineData(" SIZE", SmtpParameterResult.Invalid)]
        [InlineData(" BODY=BINARYMIME", SmtpParameterResult.Invalid)]
        [InlineData(" RET=ALL", SmtpParameterResult.Invalid)]
        [InlineData(" RET=FULL RET=HDRS", SmtpParameterResult.Invalid)]
        [InlineData(" ENVID=a+2", SmtpParameterResult.Invalid)]
        [InlineData(" ENVID=a+2b", SmtpParameterResult.Invalid)]   // hex must be upper case
        [InlineData(" ENVID=a=b", SmtpParameterResult.Invalid)]
        [InlineData(" SMTPUTF8", SmtpParameterResult.Unknown)]
        [InlineData(" FOO=bar", SmtpParameterResult.Unknown)]
        [InlineData(" NOTIFY=NEVER", SmtpParameterResult.Unknown)]
        [InlineData(" body=7bit size=5", SmtpParameterResult.Ok)]
        public void MailParameterErrors(string text, SmtpParameterResult expected)
        {
            Assert.Equal(expected, Mail(text).Item1);
        }

        [Fact]
        public void EnvelopeIdLimit()
        {
            Assert.Equal(SmtpParameterResult.Ok, Mail(" ENVID=" + new string('x', 100)).Item1);
            Assert.Equal(SmtpParameterResult.Invalid, Mail(" ENVID=" + new string('x', 101)).Item1); // RFC 3461 §4.4
        }

        [Theory]
        [InlineData(" NOTIFY=NEVER", DsnNotify.Never)]
        [InlineData(" NOTIFY=SUCCESS,FAILURE", DsnNotify.Success | DsnNotify.Failure)]
        [InlineData(" notify=delay", DsnNotify.Delay)]
        [InlineData("", DsnNotify.Unspecified)]
        public void Notify(string text, DsnNotify expected)
        {
            var (r, p) = Rcpt(text);
            Assert.Equal(SmtpParameterResult.Ok, r);
            Assert.Equal(expected, p.Notify);
        }

        [Theory]
        [InlineData(" NOTIFY=NEVER,SUCCESS")]
        [InlineData(" NOTIFY=SUCCESS,SUCCESS")]
        [InlineData(" NOTIFY=SUCCESS,")]
        [InlineData(" NOTIFY=")]
        [InlineData(" NOTIFY=SOMETIMES")]
        [InlineData(" ORCPT=rfc822")]
        [InlineData(" ORCPT=;a@b")]
        [InlineData(" ORCPT=rfc822;")]
        [InlineData(" ORCPT=rfc822;a+4")]
        [InlineData(" NOTIFY=DELAY NOTIFY=DELAY")]
        public void RcptParameterErrors(string text)
        {
            Assert.Equal(SmtpParameterResult.Invalid, Rcpt(text).Item1);
        }

        [Fact]
        public void OriginalRecipientIsDecoded()
        {
            var (r, p) = Rcpt(" ORCPT=rfc822;joe+2Bsmith@example.com NOTIFY=FAILURE");
            Assert.Equal(SmtpParameterResult.Ok, r);
            Assert.Equal("rfc822;joe+smith@example.com", p.OriginalRecipient);
            Assert.Equal(DsnNotify.Failure, p.Notify);
            Assert.Equal(SmtpParameterResult.Unknown, Rcpt(" SIZE=5").Item1);
        }
    }
}
