// The client end of one admin request (HTTP/1.1, RFC 9112): the head is read as CRLF
// lines (LineReader), the body searched octet by octet for a text, since the endpoint's
// bodies end their lines in LF alone (text/plain, Prometheus text format).

using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>One admin connection, client side. One thread.</summary>
    public sealed class AdminClient : LineReader
    {
        private readonly MemoryPipe _in;
        private readonly MemoryPipe _out;
        private readonly byte[] _one = new byte[1];

        /// <summary>The client end: the response arrives on <paramref name="fromServer"/>, the request goes to <paramref name="toServer"/>.</summary>
        public AdminClient(MemoryPipe fromServer, MemoryPipe toServer)
        {
            _in = fromServer;
            _out = toServer;
        }

        /// <summary>Sends <paramref name="text"/> (ASCII, line ends as written).</summary>
        public void Send(string text)
        {
            byte[] b = Ascii.GetBytes(text);
            if (!_out.Write(b, 0, b.Length, LineClient.TimeoutMs)) Expect.Fail("the endpoint did not take the request");
        }

        /// <summary>Closes the client end.</summary>
        public void Close()
        {
            _in.Close();
            _out.Close();
        }

        /// <summary>
        /// Reads the head up to its empty line; true when one field line starts with
        /// <paramref name="fieldPrefix"/> (empty: any).
        /// </summary>
        public bool ReadHead(string fieldPrefix)
        {
            bool seen = fieldPrefix.Length == 0;
            string? line;
            while ((line = ReadLine()) != null && line.Length > 0)
            {
                if (line.Length >= fieldPrefix.Length && line.Substring(0, fieldPrefix.Length) == fieldPrefix) seen = true;
            }
            if (line == null) Expect.Fail("the response ended inside its head");
            return seen;
        }

        /// <summary>
        /// Reads on until <paramref name="text"/> went by (true) or the response ended (false).
        /// Restarts the match at a mismatch, so <paramref name="text"/> must not repeat its
        /// first character.
        /// </summary>
        public bool Find(string text)
        {
            int matched = 0;
            while (matched < text.Length)
            {
                int b = Next();
                if (b < 0) return false;
                if (b == text[matched]) matched++;
                else matched = b == text[0] ? 1 : 0;
            }
            return true;
        }

        /// <summary>The decimal number that follows (up to the first non-digit), or -1.</summary>
        public long Number()
        {
            long n = -1;
            while (true)
            {
                int b = Next();
                if (b < '0' || b > '9') return n;
                n = (n < 0 ? 0 : n * 10) + (b - '0');
            }
        }

        /// <summary>Reads what is left until the endpoint closes.</summary>
        public void Drain()
        {
            while (Next() >= 0) { }
        }

        // The next octet; -1 at the end.
        private int Next()
        {
            return _in.Read(_one, 0, 1, LineClient.TimeoutMs) <= 0 ? -1 : _one[0];
        }

        /// <inheritdoc/>
        protected override int Fill(byte[] buffer, int offset, int count)
        {
            // One octet at a time: LineReader then holds nothing read ahead of the head's
            // end, and the body is Next's to read from the pipe.
            return _in.Read(buffer, offset, 1, LineClient.TimeoutMs);
        }
    }
}
