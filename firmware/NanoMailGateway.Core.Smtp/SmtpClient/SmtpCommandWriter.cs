// Builds SMTP commands in a fixed send buffer and sends them. Commands to be
// pipelined (RFC 2920 §3.1) accumulate until Flush; a full buffer is sent early,
// which RFC 2920 allows (the server reads commands as a stream).
// No allocation: commands and literals are strings copied byte by byte into the buffer
// (a literal stays in the string table in flash; a static byte[] would be heap from boot
// on nanoCLR, ARCHITECTURE.md, Memory).

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Command buffer over a caller-owned byte[]. Not thread-safe.</summary>
    public sealed class SmtpCommandWriter
    {
        private readonly byte[] _buf;
        private IConnection _connection;
        private int _length;

        /// <summary>Creates the writer; <paramref name="buffer"/> must hold one command line of 512 octets
        /// (RFC 5321 §4.5.3.1.4). Longer DSN lines (RFC 3461 §3) are sent only when they fit
        /// (<see cref="SmtpClientSession"/> leaves the DSN parameters out otherwise).</summary>
        public SmtpCommandWriter(IConnection connection, byte[] buffer)
        {
            if (buffer.Length < SmtpLineLimits.CommandLine) throw new System.ArgumentException("send buffer must hold a 512-octet command line");
            _connection = connection;
            _buf = buffer;
        }

        /// <summary>The limit on a send while other mail waits (head-of-line), or null for none.</summary>
        public WaitLimit? Limit { get; set; }

        /// <summary>The buffer, also used to stage DATA output.</summary>
        public byte[] Buffer => _buf;

        /// <summary>Bytes waiting to be sent.</summary>
        public int Length => _length;

        /// <summary>Room left in the buffer.</summary>
        public int Room => _buf.Length - _length;

        /// <summary>Switches to the TLS connection; anything unsent is dropped.</summary>
        public void Reset(IConnection connection)
        {
            _connection = connection;
            _length = 0;
        }

        /// <summary>Makes sure <paramref name="count"/> bytes fit, sending what is buffered if needed.
        /// Returns false when they cannot fit even in an empty buffer.</summary>
        public bool EnsureRoom(int count, int timeoutMs)
        {
            if (count > _buf.Length) return false;
            if (count > Room) Flush(timeoutMs);
            return true;
        }

        /// <summary>Appends a string's characters as bytes (chars below U+0100; others become '?').</summary>
        public void Append(string s)
        {
            _length += Ascii.CopyTo(s, _buf, _length);
        }

        /// <summary>Appends a non-negative decimal number.</summary>
        public void AppendDecimal(long value)
        {
            _length += Ascii.WriteDecimal(value, _buf, _length);
        }

        /// <summary>Appends CRLF (ends a command).</summary>
        public void EndLine()
        {
            _buf[_length++] = Ascii.CR;
            _buf[_length++] = Ascii.LF;
        }

        /// <summary>Marks <paramref name="count"/> bytes written directly into <see cref="Buffer"/> at <see cref="Length"/>.</summary>
        public void Advance(int count)
        {
            _length += count;
        }

        /// <summary>Sends everything buffered within <paramref name="timeoutMs"/>.</summary>
        /// <exception cref="ConnectionException">the send failed or missed its deadline.</exception>
        public void Flush(int timeoutMs)
        {
            if (_length == 0) return;
            int n = _length;
            _length = 0;
            _connection.Send(_buf, 0, n, Limit == null ? timeoutMs : Limit.Cap(timeoutMs));
        }
    }
}
