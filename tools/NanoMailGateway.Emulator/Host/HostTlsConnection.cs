// IConnection over SslStream after a TLS upgrade (HostTlsProvider). Receive keeps the
// seam's promise "wait at most timeoutMs for the first byte" without ever cancelling a
// TLS read: a read that misses its deadline stays pending (into this connection's own
// buffer) and the next Receive waits for that same read. Cancelling a read inside a TLS
// record, or a socket timeout in the middle of one, can leave SslStream unusable; a
// pending read cannot. Left out on purpose: renegotiation, close_notify on Close (the
// protocols above end with QUIT and a reply, so a truncation is never silent there).

using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>A TLS stream on a host socket. Owns the SslStream and the socket. One thread
    /// reads and writes; Close may come from another thread.</summary>
    internal sealed class HostTlsConnection : IConnection
    {
        /// <summary>One TLS record's worth of plaintext (RFC 8446 §5.1: 2^14 octets).</summary>
        private const int ReceiveBufferSize = 16384;

        private readonly NanoSocketConnection _plain;
        private readonly SslStream _ssl;
        private readonly byte[] _rx = new byte[ReceiveBufferSize];
        private int _rxOffset;
        private int _rxCount;
        private Task<int>? _pending;
        private int _closed;

        public HostTlsConnection(NanoSocketConnection plain, SslStream ssl)
        {
            _plain = plain;
            _ssl = ssl;
        }

        public string RemoteAddress => _plain.RemoteAddress;

        public int RemotePort => _plain.RemotePort;

        public string LocalAddress => _plain.LocalAddress;

        public bool IsSecure => true;

        /// <summary>The negotiated protocol, for logs ("Tls12", "Tls13").</summary>
        public string Protocol => _ssl.SslProtocol.ToString();

        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_rxCount == 0)
            {
                int n = WaitForRead(timeoutMs);
                if (n <= 0) return n;
                _rxOffset = 0;
                _rxCount = n;
            }
            int take = count < _rxCount ? count : _rxCount;
            Buffer.BlockCopy(_rx, _rxOffset, buffer, offset, take);
            _rxOffset += take;
            _rxCount -= take;
            return take;
        }

        /// <summary>Bytes read into _rx, 0 at the peer's end of stream, or TimedOut with the read left pending.</summary>
        private int WaitForRead(int timeoutMs)
        {
            try
            {
                _pending ??= _ssl.ReadAsync(_rx, 0, _rx.Length);
                if (!_pending.Wait(timeoutMs <= 0 ? Timeout.Infinite : timeoutMs)) return ConnectionResult.TimedOut;
                Task<int> done = _pending;
                _pending = null;
                return done.Result;
            }
            catch (AggregateException e)
            {
                _pending = null;
                throw Broken("TLS receive failed", e.InnerException ?? e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("connection closed", ConnectionException.Reset, e);
            }
        }

        public void Send(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                _ssl.WriteTimeout = timeoutMs <= 0 ? Timeout.Infinite : timeoutMs;
                _ssl.Write(buffer, offset, count);
                _ssl.Flush();
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                // A half-written TLS record cannot be resumed: the connection is gone.
                Close();
                throw Broken("TLS send failed", e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            HostTlsProvider.CloseGracefully(_plain);
            _ssl.Dispose();
        }

        private ConnectionException Broken(string what, Exception e)
        {
            if (e is ObjectDisposedException || Volatile.Read(ref _closed) != 0)
            {
                return new ConnectionException("connection closed", ConnectionException.Reset, e);
            }
            for (Exception? x = e; x != null; x = x.InnerException)
            {
                if (x is SocketException se) return new ConnectionException(what + ": " + se.Message, (int)se.SocketErrorCode, e);
            }
            return new ConnectionException(what + ": " + e.Message, 0, e);
        }
    }
}
