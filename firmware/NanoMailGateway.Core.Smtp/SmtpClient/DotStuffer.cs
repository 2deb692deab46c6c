// Encodes message content for the SMTP DATA phase as a stream, chunk by chunk, with
// its state carried across chunk boundaries (a line may start in one chunk and its
// leading '.' arrive in the next):
//  - RFC 5321 §4.5.2: a line starting with '.' gets one more '.' in front.
//  - RFC 5321 §2.3.8: lines end with CRLF; a bare LF becomes CRLF, a bare CR gets its
//    LF, so nothing we send can form an early or ambiguous end of data
//    (SMTP smuggling, CVE-2023-51764). The queue already holds CRLF text; this is
//    the second line of defence.
//  - RFC 5321 §4.1.1.4: the content ends with CRLF before the final ".CRLF"; a
//    message that does not is given one.
// Bytes >= 0x80 pass untouched (8BITMIME, RFC 6152).
// Input and output may be one array, the output in front of the input: the delivery
// session reads the message from flash into the tail of its send buffer and encodes it
// forward into the same buffer, so it needs no buffer of its own for the message
// (ARCHITECTURE.md, Memory).
// Not shared with Pop3/Pop3DotStuffer on purpose: that one stuffs a whole buffer in place
// (no line-end repair, so output <= 2x input) and counts TOP lines; this one repairs line
// ends (up to 3x) and streams, stopping where the output would overrun. Only the
// one-line RFC 5321 §4.5.2 rule is common.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Streaming dot-stuffer. One per message; not thread-safe.</summary>
    public sealed class DotStuffer
    {
        /// <summary>Most output bytes one input byte can produce (lone CR + LF + ".." ).</summary>
        public const int MaxExpansion = 3;

        /// <summary>Most bytes <see cref="Finish"/> writes: LF (after a lone CR) or CRLF, then ".CRLF".</summary>
        public const int MaxFinishBytes = 5;

        private bool _atLineStart = true;   // the next byte starts a line
        private bool _afterCr;              // the last byte was a CR whose LF has not come yet

        /// <summary>Starts a new message.</summary>
        public void Reset()
        {
            _atLineStart = true;
            _afterCr = false;
        }

        /// <summary>
        /// Encodes input into output until either is used up. Stops when fewer than
        /// <see cref="MaxExpansion"/> output bytes remain. Returns the output bytes written;
        /// <paramref name="consumed"/> tells how much input was used. When
        /// <paramref name="output"/> is <paramref name="input"/> with <paramref name="outOffset"/>
        /// at or before <paramref name="inOffset"/>, it also stops before the output could
        /// reach input not yet read (the output never passes the input position).
        /// </summary>
        public int Encode(byte[] input, int inOffset, int inCount, byte[] output, int outOffset, int outCount, out int consumed)
        {
            int i = inOffset;
            int inEnd = inOffset + inCount;
            int o = outOffset;
            int outLimit = outOffset + outCount - MaxExpansion;
            bool inPlace = input == output;
            // In place, the byte at i is read before up to MaxExpansion bytes go to o..o+2, so o + 2 <= i keeps i+1.. intact.
            while (i < inEnd && o <= outLimit && (!inPlace || o + MaxExpansion - 1 <= i))
            {
                byte b = input[i++];
                if (_afterCr)
                {
                    _afterCr = false;
                    if (b == Ascii.LF)
                    {
                        output[o++] = Ascii.LF;
                        _atLineStart = true;
                        continue;
                    }
                    output[o++] = Ascii.LF;        // lone CR: complete it to CRLF
                    _atLineStart = true;
                }
                if (b == Ascii.CR)
                {
                    output[o++] = Ascii.CR;
                    _afterCr = true;
                    continue;
                }
                if (b == Ascii.LF)
                {
                    output[o++] = Ascii.CR;        // bare LF: make it CRLF
                    output[o++] = Ascii.LF;
                    _atLineStart = true;
                    continue;
                }
                if (_atLineStart && b == (byte)'.') output[o++] = (byte)'.';   // RFC 5321 §4.5.2
                output[o++] = b;
                _atLineStart = false;
            }
            consumed = i - inOffset;
            return o - outOffset;
        }

        /// <summary>
        /// Writes what ends the content: the missing line end, then ".CRLF" (RFC 5321 §4.1.1.4).
        /// Needs <see cref="MaxFinishBytes"/> bytes of room. Returns the bytes written.
        /// </summary>
        public int Finish(byte[] output, int offset)
        {
            int o = offset;
            if (_afterCr)
            {
                output[o++] = Ascii.LF;
            }
            else if (!_atLineStart)
            {
                output[o++] = Ascii.CR;
                output[o++] = Ascii.LF;
            }
            output[o++] = (byte)'.';
            output[o++] = Ascii.CR;
            output[o++] = Ascii.LF;
            _atLineStart = true;
            _afterCr = false;
            return o - offset;
        }
    }
}
