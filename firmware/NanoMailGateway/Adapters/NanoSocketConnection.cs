// IConnection over a connected TCP Socket (shared board/host source, see NanoSocketNetwork).
// Reads wait with Poll so that a deadline never leaves the socket in an undefined state;
// nothing is read ahead, so a TLS upgrade can take the socket over with no buffered
// plaintext (CVE-2011-0411). Sends use SendTimeout, the one send deadline nanoFramework has.
// Left out on purpose: Shutdown (absent on nanoFramework; Close sends the FIN).

using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>A connected TCP socket. Owns the socket.</summary>
    public sealed class NanoSocketConnection : IConnection
    {
        private readonly Socket _socket;
        private int _closed;
        private int _sendTimeout = -1;      // the SendTimeout last set (-1: none yet)
        private string? _localAddress;

        public NanoSocketConnection(Socket socket)
        {
            _socket = socket;
            // Replies and pipelined commands are small writes: do not let Nagle hold them.
            _socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
            IPEndPoint? remote = socket.RemoteEndPoint as IPEndPoint;
            RemoteAddress = remote != null ? remote.Address.ToString() : "";
            RemotePort = remote != null ? remote.Port : 0;
        }

        /// <summary>The socket, for the board's TLS adapter (SslStream(Socket)).</summary>
        public Socket Socket => _socket;

        public string RemoteAddress { get; }

        public int RemotePort { get; }

        // Made when first asked (no session asks on the way of a message): an end point and a
        // string per connection otherwise.
        public string LocalAddress
        {
            get
            {
                string? a = _localAddress;
                if (a != null) return a;
                IPEndPoint? local;
                try
                {
                    local = _socket.LocalEndPoint as IPEndPoint;
                }
                catch (SocketException)
                {
                    local = null;
                }
                catch (ObjectDisposedException)
                {
                    local = null;
                }
                a = local != null ? local.Address.ToString() : "";
                _localAddress = a;
                return a;
            }
        }

        public bool IsSecure => false;

        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                if (!NanoSocketWait.Readable(_socket, timeoutMs)) return ConnectionResult.TimedOut;
                return _socket.Receive(buffer, offset, count, SocketFlags.None);
            }
            catch (SocketException e)
            {
                throw new ConnectionException("receive failed: " + e.Message, NanoSocketErrors.ToWsa(e.ErrorCode), e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("connection closed", ConnectionException.Reset, e);
            }
        }

        /// <remarks>The deadline applies to each blocking send call (SendTimeout); a peer that
        /// keeps taking a few bytes at a time can stretch a large send beyond it.</remarks>
        public void Send(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                // Set only when it changes: each set is a call into the socket layer (a
                // setsockopt), and a message goes out in hundreds of sends.
                int t = timeoutMs <= 0 ? 0 : timeoutMs;
                if (t != _sendTimeout)
                {
                    _socket.SendTimeout = t;
                    _sendTimeout = t;
                }
                while (count > 0)
                {
                    int n = _socket.Send(buffer, offset, count, SocketFlags.None);
                    if (n <= 0) throw new ConnectionException("send made no progress", ConnectionException.Reset);
                    offset += n;
                    count -= n;
                }
            }
            catch (SocketException e)
            {
                throw new ConnectionException("send failed: " + e.Message, NanoSocketErrors.ToWsa(e.ErrorCode), e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("connection closed", ConnectionException.Reset, e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _socket.Close();
        }
    }
}
