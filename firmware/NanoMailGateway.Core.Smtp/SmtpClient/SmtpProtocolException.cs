// A reply the client cannot match to what it sent (SmtpReplyTable, "Connection events"):
// a multi-line reply whose lines carry different codes (RFC 5321 §4.2.1), or bytes that
// arrived before the command they would answer was sent. The stream is out of step, so,
// like a broken connection, it ends the session; the session logs it as a protocol error
// (4.5.0, RFC 3463 X.5.0) rather than as a lost connection.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>The server broke the reply protocol; the connection is unusable afterwards.</summary>
    public sealed class SmtpProtocolException : ConnectionException
    {
        /// <summary>Creates the exception; <paramref name="message"/> says what arrived.</summary>
        public SmtpProtocolException(string message)
            : base(message, 0)
        {
        }
    }
}
