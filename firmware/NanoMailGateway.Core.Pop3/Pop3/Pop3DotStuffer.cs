// Byte-stuffing of a message for RETR and TOP (RFC 1939 §3): "If any line begins with
// the termination octet, the line is 'byte-stuffed' by pre-pending the termination
// octet to that line". The message streams through in chunks, so whether the next byte
// starts a line is state carried from chunk to chunk (one bit, as MailKit does).
// For TOP (RFC 1939 §7) it also stops after the header, the blank line that ends it and
// n body lines, again across chunk boundaries.
// Left out on purpose: line-end repair. Stored messages use CRLF (IMaildrop contract);
// a bare LF still counts as a line end here so that stuffing can never be skipped.
// Not shared with SmtpClient/DotStuffer on purpose: that one repairs line ends into a
// second buffer; this one works in place (RETR sends from the buffer it read into).

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>Streaming dot-stuffer with an optional TOP line limit. One per session; not thread-safe.</summary>
    public sealed class Pop3DotStuffer
    {
        private const byte Dot = (byte)'.';

        private bool _atLineStart;
        private bool _lineEmpty;     // no octet but CR seen on the current line yet
        private bool _inBody;
        private int _bodyLinesLeft;  // -1: no limit (RETR)
        private bool _done;

        /// <summary>
        /// Starts a message. <paramref name="bodyLines"/> is TOP's n (header, blank line and
        /// n body lines), or -1 for the whole message (RETR).
        /// </summary>
        public void Begin(int bodyLines)
        {
            _atLineStart = true;
            _lineEmpty = true;
            _inBody = false;
            _bodyLinesLeft = bodyLines;
            _done = false;
        }

        /// <summary>True once TOP's limit is reached: the rest of the message is not sent.</summary>
        public bool Done => _done;

        /// <summary>
        /// True when the last octet passed on ended a line (or nothing was passed on), so the
        /// terminator is ".CRLF"; otherwise it must be "CRLF.CRLF".
        /// </summary>
        public bool AtLineStart => _atLineStart;

        /// <summary>
        /// Stuffs buffer[source .. source+count) into buffer[destination ..] and returns the
        /// octets written (at most 2 × count). Safe in place when destination + count &lt;=
        /// source (every octet is read before its output can reach it). Stops early, with
        /// <see cref="Done"/> set, when the TOP limit is reached.
        /// </summary>
        public int Stuff(byte[] buffer, int source, int count, int destination)
        {
            int w = destination;
            for (int i = 0; i < count && !_done; i++)
            {
                byte b = buffer[source + i];
                // RFC 1939 §3: a line that begins with "." gets one more ".".
                if (_atLineStart && b == Dot) buffer[w++] = Dot;
                buffer[w++] = b;
                _atLineStart = b == Ascii.LF;
                if (b == Ascii.LF)
                {
                    EndOfLine();
                    _lineEmpty = true;
                }
                else if (b != Ascii.CR)
                {
                    _lineEmpty = false;
                }
            }
            return w - destination;
        }

        private void EndOfLine()
        {
            if (_bodyLinesLeft < 0) return;
            if (!_inBody)
            {
                // RFC 1939 §7 TOP: the header ends at the first empty line, which is sent.
                if (!_lineEmpty) return;
                _inBody = true;
                if (_bodyLinesLeft == 0) _done = true;
                return;
            }
            _bodyLinesLeft--;
            if (_bodyLinesLeft == 0) _done = true;
        }
    }
}
