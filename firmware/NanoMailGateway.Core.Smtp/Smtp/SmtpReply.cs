// One SMTP reply is its text (RFC 5321 §4.2): "250 2.0.0 Ok", lines of a multi-line reply
// joined by CRLF, without the final CRLF. The reply code is its first three characters
// (§4.2: Reply-code = %x32-35 %x30-35 %x30-39), read from the text when the session
// counts errors. The text is encoded, with the final CRLF, only when it is sent: a canned
// reply stays a string constant (flash) and is never a heap object (ARCHITECTURE.md,
// Memory); only the replies that name something (queue id, host) are built per use.
// Every reply carries an RFC 3463 enhanced status code (RFC 2034), except the greeting,
// the EHLO lines and the 334 AUTH challenges, which RFC 2034 §3 leaves without.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Reading and encoding reply texts. Thread-safe (stateless).</summary>
    public static class SmtpReply
    {
        /// <summary>The three-digit reply code of <paramref name="reply"/>.</summary>
        public static int Code(string reply)
        {
            return (reply[0] - '0') * 100 + (reply[1] - '0') * 10 + (reply[2] - '0');
        }

        /// <summary>True for 5xx (RFC 5321 §4.2.1): counted towards the session's error limit.</summary>
        public static bool IsPermanentError(string reply)
        {
            return Code(reply) >= 500;
        }

        /// <summary>The octets the reply takes on the wire: its text and the final CRLF.</summary>
        public static int WireLength(string reply)
        {
            return reply.Length + 2;
        }

        /// <summary>
        /// Writes the reply and its final CRLF into <paramref name="buffer"/> at
        /// <paramref name="offset"/>, which must have room for <see cref="WireLength"/> octets;
        /// returns how many it wrote. No allocation.
        /// </summary>
        public static int CopyTo(string reply, byte[] buffer, int offset)
        {
            int n = Ascii.CopyTo(reply, buffer, offset);
            buffer[offset + n] = Ascii.CR;
            buffer[offset + n + 1] = Ascii.LF;
            return n + 2;
        }

        /// <summary>The wire octets of the reply in a new array (for a send without a reply buffer). Allocates.</summary>
        public static byte[] GetBytes(string reply)
        {
            byte[] bytes = new byte[WireLength(reply)];
            CopyTo(reply, bytes, 0);
            return bytes;
        }
    }
}
