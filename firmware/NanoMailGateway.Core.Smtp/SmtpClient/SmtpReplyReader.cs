// Reads SMTP replies (RFC 5321 §4.2) from the session's LineChannel, in place, with a
// byte cap and a deadline per reply (ARCHITECTURE.md, Protocol sessions). A reply is one or more lines "ddd-text" ending
// with "ddd text"; the first line may carry an RFC 3463 enhanced status code, which
// RFC 2034 §4 makes the first token after the code. Replies to pipelined commands
// (RFC 2920) may arrive in one packet: bytes after a reply stay buffered for the next.
// What is kept of a reply: its code, its enhanced code and up to TextCap bytes of
// its text (lines joined by a space, non-ASCII and control bytes replaced), enough
// for a log line and an RFC 3464 Diagnostic-Code.
// Every line of a multi-line reply must carry the same code (RFC 5321 §4.2.1: "250-"
// then "550 " is no reply at all), and nothing may arrive before the client has sent
// what it answers (ExpectNothing): both throw SmtpProtocolException (SmtpReplyTable).
// Left out on purpose: replies without the 3-digit code (a protocol violation: the
// stream is treated as broken).

using NanoMailGateway.Core.Lines;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Reply parser over the input side of a <see cref="LineChannel"/>. Not thread-safe.</summary>
    public sealed class SmtpReplyReader
    {
        /// <summary>Bytes of reply text kept for logs and DSNs.</summary>
        public const int TextCap = 400;

        private readonly LineChannel _lines;
        private readonly byte[] _buf;   // the channel's input buffer
        private readonly byte[] _text = new byte[TextCap];
        private readonly IClock _clock;
        private readonly int _maxReplyBytes;
        private readonly int _maxLines;
        private int _textLength;
        private int _lineTextOffset;
        private int _lineTextLength;
        private int _enhancedClass;
        private int _enhancedSubject;
        private int _enhancedDetail;
        private long _yieldAt;   // when the current wait asks the WaitLimit whether to give up

        /// <summary>Creates a reader. The channel's input buffer must hold at least 512 bytes: one
        /// reply line of 512 octets including its CRLF (RFC 5321 §4.5.3.1.5).</summary>
        public SmtpReplyReader(LineChannel lines, IClock clock, int maxReplyBytes, int maxLines)
        {
            if (lines.Input.Length < SmtpLineLimits.ReplyLine) throw new System.ArgumentException("reply buffer must hold a 512-octet line");
            _lines = lines;
            _buf = lines.Input;
            _clock = clock;
            _maxReplyBytes = maxReplyBytes;
            _maxLines = maxLines;
        }

        /// <summary>Code of the last reply read (200..599).</summary>
        public int Code { get; private set; }

        /// <summary>True when the last reply carried its own RFC 3463 code (not derived).</summary>
        public bool HasEnhancedCode { get; private set; }

        /// <summary>Number of lines of the last reply.</summary>
        public int LineCount { get; private set; }

        /// <summary>The limit on a wait while other mail waits (head-of-line), or null for none.</summary>
        public WaitLimit? Limit { get; set; }

        /// <summary>True when bytes beyond the last reply are already buffered.</summary>
        public bool HasBufferedBytes => _lines.Available > 0;

        /// <summary>
        /// Checks that the server has said nothing since its last reply: every command sent so far
        /// is answered, so anything more answers a command not yet sent (RFC 2920 §3.1: one reply
        /// per command, in order). With <paramref name="poll"/> the connection is asked too, for 1 ms
        /// (before the final dot: a reply during the body).
        /// </summary>
        /// <exception cref="SmtpProtocolException">bytes arrived early.</exception>
        /// <exception cref="ConnectionException">the server closed or the stream broke.</exception>
        public void ExpectNothing(bool poll)
        {
            if (_lines.Available > 0) throw new SmtpProtocolException("reply before the command it answers was sent");
            if (!poll) return;
            int got = _lines.Receive(1);
            if (got == ConnectionResult.Closed) throw new ConnectionException("connection closed by server", ConnectionException.Reset);
            if (got > 0) throw new SmtpProtocolException("reply before the command it answers was sent");
        }

        /// <summary>
        /// Reads one whole reply within <paramref name="timeoutMs"/>. Lines after the first are
        /// also handed to <paramref name="extensions"/> when it is given (EHLO, RFC 5321 §4.1.1.1).
        /// </summary>
        /// <exception cref="ConnectionException">closed, timed out, over the cap, or not SMTP.</exception>
        public int ReadReply(int timeoutMs, EhloExtensions? extensions)
        {
            long deadline = _clock.MonotonicMilliseconds + timeoutMs;
            _yieldAt = Limit == null ? deadline : _clock.MonotonicMilliseconds + Limit.LimitMs;
            int total = 0;
            _textLength = 0;
            Code = 0;
            LineCount = 0;
            HasEnhancedCode = false;
            while (true)
            {
                // Read here, not in a helper: on nanoCLR every nested frame is heap (ARCHITECTURE.md, Memory).
                long now = _clock.MonotonicMilliseconds;
                if (now >= _yieldAt && now < deadline)
                {
                    // A drip or a silence past the WaitLimit: give way when other mail waits.
                    if (Limit!.OthersWaiting()) throw new ConnectionException("gave up after " + Limit.LimitMs.ToString() + " ms: mail for other destinations is waiting", ConnectionException.TimedOut);
                    _yieldAt = now + WaitLimit.RecheckMs;
                }
                if (now >= deadline) throw new ConnectionException("timed out waiting for a reply", ConnectionException.TimedOut);
                // The whole reply has one deadline (and the WaitLimit its checks): the line gets
                // none of its own, only notAfter; a cut wait keeps the partial line.
                LineResult r = _lines.ReadLine(_buf.Length, int.MaxValue, _yieldAt < deadline ? _yieldAt : deadline);
                if (r == LineResult.TimedOut) continue;
                if (r == LineResult.Closed) throw new ConnectionException("connection closed by server", ConnectionException.Reset);
                if (r == LineResult.TooLong) throw new ConnectionException("reply line longer than " + _buf.Length.ToString() + " bytes", 0);
                int lineStart = _lines.LineStart;
                int length = _lines.LineLength;         // without CRLF
                total += length + 2;
                if (total > _maxReplyBytes || LineCount >= _maxLines)
                {
                    throw new ConnectionException("reply longer than " + _maxReplyBytes.ToString() + " bytes or " + _maxLines.ToString() + " lines", 0);
                }
                bool last = ParseLine(lineStart, length);
                if (LineCount == 0)
                {
                    ParseEnhancedCode();
                }
                else if (extensions != null)
                {
                    extensions.ParseLine(_buf, _lineTextOffset, _lineTextLength);
                }
                SkipEnhancedCode();
                AppendText();
                LineCount++;
                if (last) return Code;
            }
        }

        /// <summary>The enhanced status code "c.s.d" of the last reply, derived as "c.0.0" from the
        /// basic code when the server sent none (RFC 3463 §3.1).</summary>
        public string EnhancedCode
        {
            get
            {
                if (!HasEnhancedCode) return ClassOnly(Code / 100);
                if (_enhancedSubject == 0 && _enhancedDetail == 0) return ClassOnly(_enhancedClass);
                return _enhancedClass.ToString() + "." + _enhancedSubject.ToString() + "." + _enhancedDetail.ToString();
            }
        }

        // "c.0.0" (RFC 3463 §3.1), the usual ones as constants: "2.0.0" after every message
        // delivered was four strings built for it.
        private static string ClassOnly(int c)
        {
            if (c == 2) return "2.0.0";
            if (c == 4) return "4.0.0";
            if (c == 5) return "5.0.0";
            return c.ToString() + ".0.0";
        }

        /// <summary>The kept text of the last reply (allocates).</summary>
        public string Text => Ascii.GetString(_text, 0, _textLength);

        /// <summary>Parses "ddd[-| ]text"; sets the code (first line) and the text range. Returns true on the last line.</summary>
        private bool ParseLine(int offset, int length)
        {
            // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39.
            if (length < 3 || _buf[offset] < (byte)'2' || _buf[offset] > (byte)'5'
                || !Ascii.IsDigit(_buf[offset + 1]) || !Ascii.IsDigit(_buf[offset + 2]))
            {
                throw new ConnectionException("malformed reply from server", 0);
            }
            int code = (int)Ascii.ParseDecimal(_buf, offset, 3, 999);
            if (LineCount == 0) Code = code;
            else if (code != Code) throw new SmtpProtocolException("multi-line reply with codes " + Code.ToString() + " and " + code.ToString());
            bool last = length == 3 || _buf[offset + 3] != (byte)'-';
            _lineTextOffset = offset + (length > 3 ? 4 : 3);
            _lineTextLength = length > 3 ? length - 4 : 0;
            return last;
        }

        /// <summary>RFC 2034 §4 / RFC 3463 §2: status-code = class "." subject "." detail, class = 2/4/5
        /// and equal to the reply's first digit, subject and detail 1-3 digits.</summary>
        private void ParseEnhancedCode()
        {
            int p = _lineTextOffset;
            int end = _lineTextOffset + _lineTextLength;
            if (p + 5 > end || _buf[p] != (byte)('0' + Code / 100) || _buf[p + 1] != (byte)'.') return;
            int q = p + 2;
            int subject = ReadNumber(ref q, end);
            if (subject < 0 || q >= end || _buf[q] != (byte)'.') return;
            q++;
            int detail = ReadNumber(ref q, end);
            if (detail < 0 || (q < end && _buf[q] != Ascii.SP)) return;
            _enhancedClass = Code / 100;
            _enhancedSubject = subject;
            _enhancedDetail = detail;
            HasEnhancedCode = true;
        }

        /// <summary>Drops a leading well-formed "c.s.d " from the current line's text (every line of a
        /// multi-line reply may repeat it, RFC 2034 §4).</summary>
        private void SkipEnhancedCode()
        {
            int p = _lineTextOffset;
            int end = p + _lineTextLength;
            if (p + 5 > end || (_buf[p] != (byte)'2' && _buf[p] != (byte)'4' && _buf[p] != (byte)'5') || _buf[p + 1] != (byte)'.') return;
            int q = p + 2;
            if (ReadNumber(ref q, end) < 0 || q >= end || _buf[q] != (byte)'.') return;
            q++;
            if (ReadNumber(ref q, end) < 0 || (q < end && _buf[q] != Ascii.SP)) return;
            while (q < end && _buf[q] == Ascii.SP) q++;
            _lineTextLength = end - q;
            _lineTextOffset = q;
        }

        private int ReadNumber(ref int p, int end)
        {
            int start = p;
            int v = 0;
            while (p < end && Ascii.IsDigit(_buf[p]) && p - start < 3)
            {
                v = v * 10 + (_buf[p] - (byte)'0');
                p++;
            }
            if (p == start || (p < end && Ascii.IsDigit(_buf[p]))) return -1;
            return v;
        }

        /// <summary>Appends the current line's text to the kept text, one space between lines.</summary>
        private void AppendText()
        {
            if (_lineTextLength == 0) return;
            if (_textLength > 0 && _textLength < TextCap) _text[_textLength++] = Ascii.SP;
            for (int i = 0; i < _lineTextLength && _textLength < TextCap; i++)
            {
                byte b = _buf[_lineTextOffset + i];
                // Kept text goes into logs and DSN header fields: printable US-ASCII only.
                if (b < 0x20 || b > 0x7E) b = b == Ascii.HT ? Ascii.SP : (byte)'?';
                _text[_textLength++] = b;
            }
        }
    }
}
