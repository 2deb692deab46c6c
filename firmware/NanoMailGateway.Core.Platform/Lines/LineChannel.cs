// The one line reader and writer of every line-based protocol (SMTP server and client, POP3,
// and the way for IMAP and HTTP/1.1): the session's two rented buffers, one for what
// arrives and one for what goes out, over one IConnection (ARCHITECTURE.md, Protocol
// sessions).
// Reading:
// - A line ends at LF; a CR just before it is dropped (bare LF is taken, as every server
//   here always has). The line stays in the input buffer, parsed in place by the caller.
// - Each read names the line's limit in octets, terminator included (RFC 5321 §4.5.3.1.4
//   command line 512, §4.5.3.1.5 reply line 512, RFC 2449 §4 POP3 255). A longer line is
//   dropped up to its LF and reported once as TooLong, so the caller answers after the
//   protocol boundary (never in the middle of the line) and can count it as an error.
//   Its first octets (up to 32) and its last ones received stay where the line would be:
//   an IMAP refusal carries the command's tag (RFC 9051 §7.1), and a dropped IMAP line
//   that announces a non-synchronizing literal ({n+}) shows it at its end.
// - Deadline from the line's first byte: the caller's timeout is how long to wait for a
//   line to start, and also how long the whole line may take once its first octet is here.
//   A client that drips one byte every few seconds cannot hold a session by keeping each
//   read alive (RFC 5321 §4.5.3.2.7 speaks of the command, not of a read). An over-long
//   line is drained within the same deadline. A caller with its own cap on the wait (the
//   SMTP client's whole-reply deadline and head-of-line limit) passes notAfter; a wait cut
//   by it keeps the partial line for the next call.
// - Replies collected in the output buffer are sent just before a read would block: that
//   is how pipelined commands (RFC 2920 §3.2, RFC 2449 §6.6) get their replies in one send.
// - Bytes that are not lines (SMTP DATA through DotReader, an IMAP literal {n}, an HTTP
//   body of Content-Length octets) are read with Receive and taken with Consume: the same
//   buffer, nothing copied.
// - Reset after a TLS handshake drops everything read before it (CVE-2011-0411, RFC 3207
//   §4.2, RFC 2595 §4).
// Writing: text is copied byte by byte into the output buffer (a literal stays in flash,
// ARCHITECTURE.md, Memory); a full buffer is sent and filling goes on, so a reply longer
// than the buffer needs no allocation.
// Left out on purpose: line continuation and folding (HTTP obs-fold, IMAP literals are
// the caller's: it reads the line, sees {n}, then Receive/Consume n octets, with Keep
// holding the command's earlier lines in place so the whole command lies in the buffer
// for the parser), and any
// character set other than octets.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Lines
{
    /// <summary>
    /// Line framing over caller-owned buffers. Used by one thread at a time; the buffers stay
    /// owned by the caller (rented from the session pool).
    /// </summary>
    public sealed class LineChannel
    {
        private readonly byte[] _in;      // received octets: [_start, _end) unread
        private readonly byte[] _out;     // octets waiting to be sent: [0, _outLength)
        private readonly IClock _clock;
        private readonly int _sendTimeoutMs;
        private IConnection _connection;
        private int _start;
        private int _end;
        private int _outLength;
        private int _lineStart;
        private int _lineLength;          // -1 while an over-long line is being dropped
        private long _startedAt;          // when the first octet of the unread line arrived
        private int _keep;                // octets from here on survive compaction; -1: none
        private const int DroppedHead = 32;   // first octets of an over-long line that stay

        /// <summary>
        /// Creates a channel. <paramref name="sendTimeoutMs"/> is the deadline of a send that
        /// filling the output buffer starts (<see cref="Append"/>, <see cref="Flush()"/>).
        /// </summary>
        public LineChannel(IConnection connection, byte[] input, byte[] output, IClock clock, int sendTimeoutMs)
        {
            _connection = connection;
            _in = input;
            _out = output;
            _clock = clock;
            _sendTimeoutMs = sendTimeoutMs;
            _keep = -1;
        }

        /// <summary>The connection (it changes at <see cref="Reset"/>).</summary>
        public IConnection Connection => _connection;

        /// <summary>
        /// Moves to <paramref name="connection"/> (the same stream after a TLS handshake) and
        /// drops every octet read or written but not sent before: plaintext sent ahead of the
        /// handshake must never be read as a command or a reply (CVE-2011-0411).
        /// </summary>
        public void Reset(IConnection connection)
        {
            _connection = connection;
            _start = 0;
            _end = 0;
            _outLength = 0;
            _lineLength = 0;
            _keep = -1;
        }

        // ---- input ----

        /// <summary>The input buffer; the last line is at [<see cref="LineStart"/>, +<see cref="LineLength"/>).</summary>
        public byte[] Input => _in;

        /// <summary>Offset of the last line read in <see cref="Input"/>.</summary>
        public int LineStart => _lineStart;

        /// <summary>Length of the last line read, without its CRLF or LF.</summary>
        public int LineLength => _lineLength;

        /// <summary>Octets the last line took on the wire, its terminator included.</summary>
        public int LineOctets => _start - _lineStart;

        /// <summary>Offset of the first unread octet in <see cref="Input"/>.</summary>
        public int Start => _start;

        /// <summary>Octets received and not yet read as a line or consumed.</summary>
        public int Available => _end - _start;

        /// <summary>
        /// Keeps the octets from <paramref name="offset"/> (at most <see cref="Start"/>) in the
        /// buffer, one after the other, while more are read: compaction moves them to its front
        /// and <see cref="Kept"/> says where they are. -1 lets them go.
        /// </summary>
        public void Keep(int offset)
        {
            _keep = offset;
        }

        /// <summary>Where the octets named by <see cref="Keep"/> are now, or -1.</summary>
        public int Kept => _keep;

        /// <summary>Marks <paramref name="count"/> unread octets (from <see cref="Start"/>) as taken.</summary>
        public void Consume(int count)
        {
            _start += count;
        }

        /// <summary>
        /// Reads the next line of at most <paramref name="limit"/> octets with its terminator
        /// (capped at the input buffer's size). Waits up to <paramref name="timeoutMs"/> for the
        /// line to start, and no longer than <paramref name="timeoutMs"/> after its first octet
        /// for its end; no wait goes past <paramref name="notAfter"/> (monotonic ms; long.MaxValue
        /// for no such cap).
        /// Sends the buffered output before it blocks.
        /// </summary>
        /// <exception cref="ConnectionException">the stream broke, or a send failed.</exception>
        public LineResult ReadLine(int limit, int timeoutMs, long notAfter)
        {
            if (limit > _in.Length) limit = _in.Length;
            long calledAt = -1;
            while (true)
            {
                int lf = Ascii.IndexOf(_in, _start, _end - _start, Ascii.LF);
                if (lf >= 0)
                {
                    int first = _start;
                    _start = lf + 1;
                    // The next line, if part of it is here, started no earlier than now for
                    // its deadline (a lenient bound: it arrived before this line was taken).
                    if (_start < _end) _startedAt = _clock.MonotonicMilliseconds;
                    _lineStart = first;
                    bool tooLong = _lineLength < 0 || lf + 1 - first > limit;
                    _lineLength = (lf > first && _in[lf - 1] == Ascii.CR ? lf - 1 : lf) - first;
                    return tooLong ? LineResult.TooLong : LineResult.Line;
                }
                if (_lineLength < 0 || _end - _start >= limit)
                {
                    // Over the limit with no LF yet: keep the line's head, drop the rest and
                    // keep dropping to the LF, then report once (drain to the protocol
                    // boundary, then answer).
                    if (_lineLength >= 0) Compact();
                    _lineLength = -1;
                    int head = limit / 2 < DroppedHead ? limit / 2 : DroppedHead;
                    if (_end - _start > head) _end = _start + head;
                }
                else
                {
                    Compact();
                }
                Flush();
                long now = _clock.MonotonicMilliseconds;
                if (calledAt < 0) calledAt = now;
                bool begun = _end > _start || _lineLength < 0;
                long deadline = (begun ? _startedAt : calledAt) + timeoutMs;
                if (deadline > notAfter) deadline = notAfter;
                if (deadline <= now) return LineResult.TimedOut;
                long wait = deadline - now;
                int n = _connection.Receive(_in, _end, _in.Length - _end, wait > int.MaxValue ? int.MaxValue : (int)wait);
                if (n == ConnectionResult.Closed) return LineResult.Closed;
                if (n == ConnectionResult.TimedOut) return LineResult.TimedOut;   // it was given the time left
                if (!begun) _startedAt = _clock.MonotonicMilliseconds;
                _end += n;
            }
        }

        /// <summary>
        /// Receives more octets behind the unread ones, waiting up to <paramref name="timeoutMs"/>;
        /// returns their number, <see cref="ConnectionResult.Closed"/> or
        /// <see cref="ConnectionResult.TimedOut"/> (as <see cref="IConnection.Receive"/>). For
        /// content that is not lines; call it only when fewer than a buffer's worth are unread.
        /// Does not send the buffered output.
        /// </summary>
        /// <exception cref="ConnectionException">the stream broke.</exception>
        public int Receive(int timeoutMs)
        {
            Compact();
            int n = _connection.Receive(_in, _end, _in.Length - _end, timeoutMs);
            if (n > 0)
            {
                if (_end == _start) _startedAt = _clock.MonotonicMilliseconds;
                _end += n;
            }
            return n;
        }

        // Moves the unread octets, and the kept ones before them, to the front of the buffer to make room.
        private void Compact()
        {
            int from = _keep >= 0 ? _keep : _start;
            if (from == _end)
            {
                _start = 0;
                _end = 0;
                _keep = _keep >= 0 ? 0 : -1;
                return;
            }
            if (from == 0) return;
            System.Array.Copy(_in, from, _in, 0, _end - from);
            _end -= from;
            _start -= from;
            if (_keep >= 0) _keep = 0;
        }

        // ---- output ----

        /// <summary>The output buffer; octets written into it directly are marked with <see cref="Advance"/>.</summary>
        public byte[] Output => _out;

        /// <summary>Octets waiting to be sent.</summary>
        public int OutputLength => _outLength;

        /// <summary>Room left in the output buffer.</summary>
        public int Room => _out.Length - _outLength;

        /// <summary>
        /// Appends the characters of <paramref name="text"/> as octets (below U+0100; others become
        /// '?'), sending the buffer whenever it is full.
        /// </summary>
        public void Append(string text)
        {
            int done = 0;
            while (done < text.Length)
            {
                if (_outLength == _out.Length) Flush();
                int n = text.Length - done;
                if (n > _out.Length - _outLength) n = _out.Length - _outLength;
                for (int i = 0; i < n; i++)
                {
                    char c = text[done + i];
                    _out[_outLength + i] = c < (char)256 ? (byte)c : (byte)'?';
                }
                _outLength += n;
                done += n;
            }
        }

        /// <summary>Appends a non-negative decimal number (up to 20 digits).</summary>
        public void AppendDecimal(long value)
        {
            if (Room < 20) Flush();
            _outLength += Ascii.WriteDecimal(value, _out, _outLength);
        }

        /// <summary>Appends CRLF.</summary>
        public void EndLine()
        {
            if (Room < 2) Flush();
            _out[_outLength++] = Ascii.CR;
            _out[_outLength++] = Ascii.LF;
        }

        /// <summary>Marks <paramref name="count"/> octets written directly into <see cref="Output"/> at <see cref="OutputLength"/>.</summary>
        public void Advance(int count)
        {
            _outLength += count;
        }

        /// <summary>
        /// Makes room for <paramref name="count"/> octets, sending what is buffered within
        /// <paramref name="timeoutMs"/> if needed; false when they cannot fit even an empty buffer.
        /// </summary>
        public bool EnsureRoom(int count, int timeoutMs)
        {
            if (count > _out.Length) return false;
            if (count > Room) Flush(timeoutMs);
            return true;
        }

        /// <summary>Sends everything buffered within the channel's send timeout.</summary>
        /// <exception cref="ConnectionException">the send failed or missed its deadline.</exception>
        public void Flush()
        {
            // Not Flush(_sendTimeoutMs): on nanoCLR every nested frame is heap (ARCHITECTURE.md, Memory).
            if (_outLength == 0) return;
            int n = _outLength;
            _outLength = 0;
            _connection.Send(_out, 0, n, _sendTimeoutMs);
        }

        /// <summary>Sends everything buffered within <paramref name="timeoutMs"/>.</summary>
        /// <exception cref="ConnectionException">the send failed or missed its deadline.</exception>
        public void Flush(int timeoutMs)
        {
            if (_outLength == 0) return;
            int n = _outLength;
            _outLength = 0;
            _connection.Send(_out, 0, n, timeoutMs);
        }
    }
}
