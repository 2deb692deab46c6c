// Lines from a byte source, for checks that read what the gateway produced (replies on a
// connection, a message in a mailbox) without holding it whole: a line is kept only up
// to a short prefix (enough for a reply code or a header) and counted in full, so that
// reading a whole report costs a few hundred octets on the board, not the report. Lines
// end in CRLF (RFC 5321 §2.3.8, RFC 1939 §3, RFC 5322 §2.1).
// Left out on purpose: bare LF line ends (the gateway never sends them; a line that
// lacks its CR shows up with the LF in it and fails the check that reads it).

namespace NanoMailGateway.SelfTest
{
    /// <summary>Reads CRLF-terminated lines from <see cref="Fill"/>. One thread.</summary>
    public abstract class LineReader
    {
        /// <summary>Characters of a line that are kept; the rest is counted.</summary>
        public const int KeptPrefix = 120;

        private readonly byte[] _in = new byte[64];
        private readonly byte[] _line = new byte[KeptPrefix];
        private int _start;
        private int _end;

        /// <summary>Octets of the last line read, CRLF included.</summary>
        public int LastLineOctets { get; private set; }

        /// <summary>The next line without CRLF (cut to <see cref="KeptPrefix"/> characters), or null at the end of the source.</summary>
        public string? ReadLine()
        {
            int kept = 0;
            int octets = 0;
            while (true)
            {
                if (_start == _end)
                {
                    int n = Fill(_in, 0, _in.Length);
                    if (n <= 0) return null;
                    _start = 0;
                    _end = n;
                }
                byte b = _in[_start++];
                octets++;
                if (b == (byte)'\n' && kept > 0 && _line[kept - 1] == (byte)'\r')
                {
                    LastLineOctets = octets;
                    return NanoMailGateway.Core.Text.Ascii.GetString(_line, 0, kept - 1);
                }
                if (kept < _line.Length) _line[kept++] = b;
                else _line[kept - 1] = b;   // keep the last octet: it may be the CR
            }
        }

        /// <summary>Reads lines until one starts with <paramref name="prefix"/>; returns it, or fails the check with the last line seen.</summary>
        public string ReadUntil(string prefix, string what)
        {
            string last = "nothing";
            while (true)
            {
                string? line = ReadLine();
                if (line == null) Expect.Fail(what + ": expected '" + prefix + "...', the source ended after " + last);
                if (line!.Length >= prefix.Length && line.Substring(0, prefix.Length) == prefix) return line;
                last = "'" + line + "'";
            }
        }

        /// <summary>Puts up to <paramref name="count"/> octets of the source into <paramref name="buffer"/>; 0 or less at its end.</summary>
        protected abstract int Fill(byte[] buffer, int offset, int count);
    }
}
