// A minimal line-oriented TCP client for SMTP and POP3 tests on real sockets: send a
// command, read one reply (SMTP multi-line replies collapsed to their last line's
// status, POP3 single lines), with a deadline on every read.

using System;
using System.IO;
using System.Net.Sockets;
using System.Text;

namespace NanoMailGateway.Tests.Support
{
    public sealed class LineClient : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;
        private readonly StringBuilder _pending = new StringBuilder();
        private readonly byte[] _buf = new byte[8192];

        public LineClient(string endpoint, int timeoutMs = 10000)
        {
            int colon = endpoint.LastIndexOf(':');
            _tcp = new TcpClient();
            _tcp.Connect(endpoint.Substring(0, colon), int.Parse(endpoint.Substring(colon + 1)));
            _tcp.ReceiveTimeout = timeoutMs;
            _tcp.SendTimeout = timeoutMs;
            _stream = _tcp.GetStream();
        }

        /// <summary>Reads one line without CRLF; null when the server closed.</summary>
        public string? ReadLine()
        {
            while (true)
            {
                string s = _pending.ToString();
                int eol = s.IndexOf("\r\n", StringComparison.Ordinal);
                if (eol >= 0)
                {
                    _pending.Remove(0, eol + 2);
                    return s.Substring(0, eol);
                }
                int n;
                try { n = _stream.Read(_buf, 0, _buf.Length); }
                catch (IOException) { return null; }
                if (n == 0) return null;
                _pending.Append(Encoding.Latin1.GetString(_buf, 0, n));
            }
        }

        /// <summary>Reads one SMTP reply (all lines) and returns its last line; null when closed.</summary>
        public string? ReadReply()
        {
            while (true)
            {
                string? line = ReadLine();
                if (line == null) return null;
                if (line.Length < 4 || line[3] != '-') return line;
            }
        }

        public void Send(string text)
        {
            byte[] b = Encoding.Latin1.GetBytes(text);
            _stream.Write(b, 0, b.Length);
        }

        /// <summary>Sends a line and returns the (last line of the) reply, or "(closed)".</summary>
        public string Command(string line)
        {
            Send(line + "\r\n");
            return ReadReply() ?? "(closed)";
        }

        public void Dispose()
        {
            _tcp.Dispose();
        }
    }
}
