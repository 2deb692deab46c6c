// One SMTP reply as the bytes that go on the wire (RFC 5321 §4.2), with its code so that
// the session loop can count errors. Canned replies are static fields made once; only
// the replies that name something (queue id, host) are built per use.
// Every reply carries an RFC 3463 enhanced status code (RFC 2034), except the greeting,
// the EHLO lines and the 334 AUTH challenges, which RFC 2034 §3 leaves without.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>An immutable SMTP reply (one or more lines, CRLF included).</summary>
    public sealed class SmtpReply
    {
        /// <summary>Makes a reply from its full text without the final CRLF ("250 2.0.0 Ok"); multi-line texts use CRLF inside.</summary>
        public SmtpReply(string text)
        {
            Bytes = Ascii.GetBytes(text + "\r\n");
            Code = (Bytes[0] - '0') * 100 + (Bytes[1] - '0') * 10 + (Bytes[2] - '0');
        }

        /// <summary>The wire bytes, ending in CRLF. Do not modify.</summary>
        public byte[] Bytes { get; }

        /// <summary>The three-digit reply code.</summary>
        public int Code { get; }

        /// <summary>True for 5xx: counted towards the session's error limit.</summary>
        public bool IsPermanentError => Code >= 500;

        /// <summary>The text without CRLF, for logs and tests.</summary>
        public override string ToString()
        {
            return Ascii.GetString(Bytes, 0, Bytes.Length - 2);
        }
    }
}
