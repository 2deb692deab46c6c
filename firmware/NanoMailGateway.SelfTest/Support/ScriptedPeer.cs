// A scripted SMTP server for the client scenario, without a thread: the peer's replies are
// given up front, in order, and each is released only when the client has sent the line
// it answers (the greeting at once; one reply per command line; after a 354 the reply to
// the content comes with the line that is a single dot, RFC 5321 §4.5.2). So the client
// sees what a real server does: nothing before it asked (a reply that came early would be
// a protocol error, SmtpReplyTable). Once every reply is out and read, the peer has closed.
// What the client sent is read back afterwards as a Transcript.
// Left out on purpose: replies that depend on what the client sent (the host's xunit
// ScriptedSmtpServer does that); a client that sends an unexpected command simply gets
// the next scripted reply, and the transcript shows it.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>One scripted connection: the client end, and what the client sent. Used by one thread.</summary>
    public sealed class ScriptedPeer : IConnection
    {
        private readonly byte[] _script;
        private readonly byte[] _sent;
        private int _sentLength;
        private int _lineStart;   // start in _sent of the line being received
        private int _read;        // next script byte the client reads
        private int _released;    // script bytes the client may read
        private bool _inData;
        private bool _closed;

        /// <summary>Prepares the peer's <paramref name="replies"/> (CRLF-terminated lines) and room for
        /// <paramref name="commandCapacity"/> octets from the client.</summary>
        public ScriptedPeer(string replies, int commandCapacity)
        {
            _script = Ascii.GetBytes(replies);
            _sent = new byte[commandCapacity];
            Release();   // the greeting
        }

        /// <summary>The client's end of the connection.</summary>
        public IConnection Client => this;

        /// <inheritdoc/>
        public string RemoteAddress => "192.0.2.25";

        /// <inheritdoc/>
        public int RemotePort => 25;

        /// <inheritdoc/>
        public string LocalAddress => "192.0.2.10";

        /// <inheritdoc/>
        public bool IsSecure => false;

        /// <summary>What the client sent so far, as lines.</summary>
        public Transcript Sent()
        {
            return new Transcript(_sent, _sentLength);
        }

        /// <inheritdoc/>
        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = _released - _read;
            if (n == 0) return _closed || _read == _script.Length ? ConnectionResult.Closed : ConnectionResult.TimedOut;
            if (n > count) n = count;
            System.Array.Copy(_script, _read, buffer, offset, n);
            _read += n;
            return n;
        }

        /// <inheritdoc/>
        public void Send(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_closed) throw new ConnectionException("connection closed by the peer", ConnectionException.Reset);
            if (_sentLength + count > _sent.Length) Expect.Fail("the client sent more than the peer keeps");
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                _sent[_sentLength++] = b;
                if (b != Ascii.LF || _sentLength < 2 || _sent[_sentLength - 2] != Ascii.CR) continue;
                int length = _sentLength - 2 - _lineStart;
                bool dot = length == 1 && _sent[_lineStart] == (byte)'.';
                _lineStart = _sentLength;
                if (_inData && !dot) continue;
                _inData = false;
                Release();
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            _closed = true;
        }

        /// <summary>Releases the next whole reply (its lines up to the one without "-" after the code).</summary>
        private void Release()
        {
            int p = _released;
            int first = p;
            while (p < _script.Length)
            {
                int lineStart = p;
                while (p < _script.Length && _script[p] != Ascii.LF) p++;
                if (p < _script.Length) p++;
                if (p - lineStart < 4 || _script[lineStart + 3] != (byte)'-') break;
            }
            _released = p;
            _inData = p - first >= 3 && _script[first] == (byte)'3' && _script[first + 1] == (byte)'5' && _script[first + 2] == (byte)'4';
        }
    }
}
