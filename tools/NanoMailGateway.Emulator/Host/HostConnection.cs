// IConnection over a plain host TCP socket. Reads wait with Poll so that a deadline
// never leaves the socket in an undefined state; nothing is read ahead, so a TLS
// upgrade can take over the socket with no buffered plaintext (CVE-2011-0411).

using System;
using System.Net;
using System.Net.Sockets;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>A connected TCP socket. Owns the socket.</summary>
    internal sealed class HostConnection : IConnection
    {
        private readonly Socket _socket;
        private int _closed;

        public HostConnection(Socket socket)
        {
            _socket = socket;
            _socket.NoDelay = true;
            RemoteAddress = AddressOf(socket.RemoteEndPoint);
            RemotePort = (socket.RemoteEndPoint as IPEndPoint)?.Port ?? 0;
            LocalAddress = AddressOf(socket.LocalEndPoint);
        }

        /// <summary>The socket, for the TLS adapter that wraps it.</summary>
        internal Socket Socket => _socket;

        public string RemoteAddress { get; }

        public int RemotePort { get; }

        public string LocalAddress { get; }

        public bool IsSecure => false;

        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                if (!HostSocketWait.Readable(_socket, timeoutMs)) return ConnectionResult.TimedOut;
                return _socket.Receive(buffer, offset, count, SocketFlags.None);
            }
            catch (SocketException e)
            {
                throw new ConnectionException("receive failed: " + e.Message, (int)e.SocketErrorCode, e);
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
                _socket.SendTimeout = timeoutMs <= 0 ? 0 : timeoutMs;
                while (count > 0)
                {
                    int n = _socket.Send(buffer, offset, count, SocketFlags.None);
                    offset += n;
                    count -= n;
                }
            }
            catch (SocketException e)
            {
                throw new ConnectionException("send failed: " + e.Message, (int)e.SocketErrorCode, e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("connection closed", ConnectionException.Reset, e);
            }
        }

        public void Close()
        {
            if (System.Threading.Interlocked.Exchange(ref _closed, 1) != 0) return;
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _socket.Close();
        }

        internal static string AddressOf(EndPoint? ep)
        {
            if (ep is not IPEndPoint ip) return "";
            IPAddress a = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
            return a.ToString();
        }
    }
}
