// Streams one HTTP/1.1 response through the session's output buffer: the status line and
// header fields, then a body of any length in buffer-sized sends. The body has no
// Content-Length: the server closes the connection after every response ("Connection:
// close"), which ends the body (RFC 9112 §6.3 rule 8, §9.6), so a page of any size costs
// one buffer and is never built whole in RAM (ARCHITECTURE.md, Memory).
// Every response forbids caching, framing and content sniffing: it carries the queue of a
// mail server to a browser that keeps the Basic credentials.
// Left out on purpose: keep-alive, chunked encoding, compression.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Buffered response writer over one connection. Not thread-safe.</summary>
    public sealed class HttpResponseWriter
    {
        private readonly IConnection _connection;
        private readonly byte[] _buffer;
        private readonly int _timeoutMs;
        private int _used;
        private bool _noBody;

        /// <summary>Writes to <paramref name="connection"/> through <paramref name="buffer"/>; each send must finish within <paramref name="timeoutMs"/>.</summary>
        public HttpResponseWriter(IConnection connection, byte[] buffer, int timeoutMs)
        {
            _connection = connection;
            _buffer = buffer;
            _timeoutMs = timeoutMs;
        }

        /// <summary>The status of the response begun last (0 before).</summary>
        public int Status { get; private set; }

        /// <summary>
        /// Writes the status line and the fixed header fields. <paramref name="extra"/> holds
        /// further complete field lines, each ending in CRLF ("" for none). With
        /// <paramref name="headOnly"/> the body writes that follow are dropped (HEAD, RFC 9110 §9.3.2).
        /// </summary>
        public void Begin(int status, string contentType, string extra, bool headOnly)
        {
            Status = status;
            _noBody = false;
            Write("HTTP/1.1 ");
            WriteNumber(status);
            Write(" ");
            Write(HttpStatus.Reason(status));
            Write("\r\nContent-Type: ");
            Write(contentType);
            Write("\r\nCache-Control: no-store\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n"
                + "X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n"
                + "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'\r\n");
            Write(extra);
            Write("\r\n");
            _noBody = headOnly;
        }

        /// <summary>Writes text as it is (characters above U+007F become '?'; bodies here are ASCII or escaped).</summary>
        public void Write(string s)
        {
            if (_noBody) return;
            for (int i = 0; i < s.Length; i++)
            {
                if (_used == _buffer.Length) Flush();
                char c = s[i];
                _buffer[_used++] = c < (char)0x80 ? (byte)c : (byte)'?';
            }
        }

        /// <summary>Writes text escaped for HTML content and attribute values (&amp; &lt; &gt; &quot; &#39;; non-ASCII as character references).</summary>
        public void WriteHtml(string s)
        {
            if (_noBody) return;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                switch (c)
                {
                    case '&': Write("&amp;"); break;
                    case '<': Write("&lt;"); break;
                    case '>': Write("&gt;"); break;
                    case '"': Write("&quot;"); break;
                    case '\'': Write("&#39;"); break;
                    default:
                        if (c >= (char)0x20 && c < (char)0x7F)
                        {
                            if (_used == _buffer.Length) Flush();
                            _buffer[_used++] = (byte)c;
                        }
                        else
                        {
                            Write("&#");
                            WriteNumber(c);
                            Write(";");
                        }
                        break;
                }
            }
        }

        /// <summary>Writes a non-negative decimal number.</summary>
        public void WriteNumber(long n)
        {
            if (_noBody) return;
            if (_buffer.Length - _used < 20) Flush();
            _used += Ascii.WriteDecimal(n, _buffer, _used);
        }

        /// <summary>Sends what the buffer holds.</summary>
        /// <exception cref="ConnectionException">the client went away or stopped reading.</exception>
        public void Flush()
        {
            if (_used == 0) return;
            int n = _used;
            _used = 0;
            _connection.Send(_buffer, 0, n, _timeoutMs);
        }
    }
}
