// Reads one IMAP command into the session's input buffer: a line, and when it ends in a
// literal announcement ({n} or {n+}, RFC 9051 §4.3, RFC 7888) the n octets after it and
// the rest of the command after them, so the whole command lies in the buffer, literals
// in place, ready for the parser (ImapServerSession: "{n}" CRLF then n octets).
// It never writes: for a synchronizing literal it returns Continue and the session sends
// "+" (RFC 9051 §7.5) and calls Next again. Resumable: a read that times out keeps what
// came so far, so IDLE can poll the store between short reads.
// Limits: the whole command must fit the buffer; a literal also at most MaxLiteral. A
// synchronizing literal over the limit is refused before the client sends it; a
// non-synchronizing one (LITERAL-) is read and dropped, then refused; an over-long line
// is dropped to its LF (ARCHITECTURE.md, Protocol sessions: drain, then answer). The tag of
// a dropped command is kept so that the refusal can carry it.
// Left out on purpose: literal8 (BINARY, RFC 3516), APPEND-sized literals.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>Command framer over a fixed buffer. One per session; not thread-safe.</summary>
    internal sealed class ImapCommandReader
    {
        /// <summary>A whole command is in [0, Length) of the buffer (CRLF excluded).</summary>
        internal const int Complete = 1;

        /// <summary>A synchronizing literal was announced: send "+ ..." and call Next again.</summary>
        internal const int Continue = 2;

        /// <summary>The connection closed.</summary>
        internal const int Closed = -1;

        /// <summary>The read deadline passed; what was read so far is kept.</summary>
        internal const int TimedOut = -2;

        /// <summary>A line longer than the buffer was dropped; <see cref="Tag"/> holds its tag.</summary>
        internal const int TooLong = -3;

        /// <summary>A literal over the limit was refused (and, if non-synchronizing, dropped); <see cref="Tag"/> holds its tag.</summary>
        internal const int TooBig = -4;

        /// <summary>Longest tag kept for a refusal; a longer one is cut.</summary>
        internal const int MaxTag = 32;

        private readonly byte[] _in;
        private readonly int _maxLiteral;
        private int _filled;       // received octets: [0, _filled)
        private int _scan;         // where the search for the next LF goes on
        private int _consumed;     // octets of the last complete command, dropped at the next call
        private int _literal;      // literal octets still to come before scanning again
        private bool _dropping;    // inside an over-long line or a refused literal: drop to the LF
        private int _dropResult;

        internal ImapCommandReader(byte[] input, int maxLiteral)
        {
            _in = input;
            _maxLiteral = maxLiteral;
            Tag = new byte[MaxTag];
        }

        /// <summary>Octets of the complete command (CRLF excluded) at the buffer's start.</summary>
        internal int Length { get; private set; }

        /// <summary>The tag of a dropped command, <see cref="TagLength"/> octets.</summary>
        internal byte[] Tag { get; }

        /// <summary>Octets in <see cref="Tag"/>.</summary>
        internal int TagLength { get; private set; }

        /// <summary>Drops everything buffered (after STARTTLS: CVE-2011-0411).</summary>
        internal void Reset()
        {
            _filled = 0;
            _scan = 0;
            _consumed = 0;
            _literal = 0;
            _dropping = false;
        }

        /// <summary>True when octets of a further (pipelined) command are already buffered.</summary>
        internal bool HasBuffered => _filled > _consumed;

        /// <summary>Reads on until a command is complete; see the constants for the results.</summary>
        internal int Next(IConnection connection, int timeoutMs)
        {
            if (_consumed > 0)
            {
                System.Array.Copy(_in, _consumed, _in, 0, _filled - _consumed);
                _filled -= _consumed;
                _scan = 0;
                _consumed = 0;
            }
            while (true)
            {
                int r = Scan();
                if (r != 0) return r;
                if (_filled == _in.Length)
                {
                    // Only an over-long line gets here (a literal that fits was checked).
                    KeepTag();
                    _dropping = true;
                    _dropResult = TooLong;
                    _filled = 0;
                    _scan = 0;
                    _literal = 0;
                }
                int n = connection.Receive(_in, _filled, _in.Length - _filled, timeoutMs);
                if (n == ConnectionResult.TimedOut) return TimedOut;
                if (n <= 0) return Closed;
                _filled += n;
            }
        }

        /// <summary>Advances over what is buffered; returns a result, or 0 when more input is needed.</summary>
        private int Scan()
        {
            while (true)
            {
                if (_literal > 0)
                {
                    int have = _filled - _scan;
                    if (have < _literal)
                    {
                        _literal -= have;
                        if (_dropping) { _filled = 0; _scan = 0; }
                        else _scan = _filled;
                        return 0;
                    }
                    _scan += _literal;
                    _literal = 0;
                    continue;
                }
                int lf = Ascii.IndexOf(_in, _scan, _filled - _scan, Ascii.LF);
                if (lf < 0)
                {
                    if (_dropping) { _filled = 0; _scan = 0; }
                    return 0;
                }
                int end = lf > 0 && _in[lf - 1] == Ascii.CR ? lf - 1 : lf;
                bool sync;
                long size = LiteralAnnounced(end, out sync);
                if (_dropping)
                {
                    if (size >= 0 && !sync) { _literal = (int)(size > int.MaxValue ? int.MaxValue : size); _scan = lf + 1; continue; }
                    // The end of the dropped command: answer now.
                    _dropping = false;
                    _consumed = lf + 1;
                    return _dropResult;
                }
                if (size < 0)
                {
                    Length = end;
                    _consumed = lf + 1;
                    return Complete;
                }
                if (size > _maxLiteral || lf + 1 + size > _in.Length)
                {
                    KeepTag();
                    if (sync)
                    {
                        // RFC 9051 §7.5: instead of "+", a tagged BAD; the client sends no literal.
                        _consumed = lf + 1;
                        return TooBig;
                    }
                    // LITERAL-: the octets come anyway; drop them and the rest of the command.
                    _dropping = true;
                    _dropResult = TooBig;
                    _literal = (int)(size > int.MaxValue ? int.MaxValue : size);
                    System.Array.Copy(_in, lf + 1, _in, 0, _filled - lf - 1);
                    _filled -= lf + 1;
                    _scan = 0;
                    continue;
                }
                _literal = (int)size;
                _scan = lf + 1;
                if (sync) return Continue;
            }
        }

        /// <summary>The size announced by "{n}" or "{n+}" ending the line part before <paramref name="end"/>, or -1.</summary>
        private long LiteralAnnounced(int end, out bool sync)
        {
            sync = true;
            if (end < 3 || _in[end - 1] != (byte)'}') return -1;
            int close = end - 1;
            int digitsEnd = close;
            if (_in[close - 1] == (byte)'+') { sync = false; digitsEnd--; }
            int open = digitsEnd - 1;
            while (open >= _scan && Ascii.IsDigit(_in[open])) open--;
            if (open < _scan || _in[open] != (byte)'{' || open == digitsEnd - 1) return -1;
            return Ascii.ParseDecimal(_in, open + 1, digitsEnd - open - 1, 0x7FFFFFFFL);
        }

        private void KeepTag()
        {
            int n = 0;
            while (n < MaxTag && n < _filled && _in[n] != Ascii.SP && _in[n] != Ascii.CR && _in[n] != Ascii.LF) { Tag[n] = _in[n]; n++; }
            TagLength = n;
        }
    }
}
