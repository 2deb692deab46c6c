// IUdpSocket over a host socket, for the DNS resolver.

using System;
using System.Net;
using System.Net.Sockets;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    internal sealed class HostUdpSocket : IUdpSocket
    {
        private readonly Socket _socket;
        private int _closed;

        public HostUdpSocket(Socket socket)
        {
            _socket = socket;
            LocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        public int LocalPort { get; }

        public void SendTo(byte[] buffer, int offset, int count, string address, int port)
        {
            try
            {
                _socket.SendTo(buffer, offset, count, SocketFlags.None, new IPEndPoint(HostNetwork.ParseAddress(address), port));
            }
            catch (SocketException e)
            {
                throw new ConnectionException("udp send failed: " + e.Message, (int)e.SocketErrorCode, e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("socket closed", ConnectionException.Reset, e);
            }
        }

        public int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out string fromAddress, out int fromPort)
        {
            fromAddress = "";
            fromPort = 0;
            try
            {
                if (!HostSocketWait.Readable(_socket, timeoutMs)) return ConnectionResult.TimedOut;
                EndPoint from = new IPEndPoint(IPAddress.IPv6Any, 0);
                if (_socket.AddressFamily == AddressFamily.InterNetwork) from = new IPEndPoint(IPAddress.Any, 0);
                int n = _socket.ReceiveFrom(buffer, offset, count, SocketFlags.None, ref from);
                fromAddress = HostConnection.AddressOf(from);
                fromPort = ((IPEndPoint)from).Port;
                return n;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                // A datagram longer than the buffer: the resolver treats it as garbage.
                return count;
            }
            catch (SocketException e)
            {
                throw new ConnectionException("udp receive failed: " + e.Message, (int)e.SocketErrorCode, e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("socket closed", ConnectionException.Reset, e);
            }
        }

        public void Close()
        {
            if (System.Threading.Interlocked.Exchange(ref _closed, 1) != 0) return;
            _socket.Close();
        }
    }
}
