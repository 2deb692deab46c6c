// IUdpSocket over a bound UDP Socket, for the DNS resolver (shared board/host source, see
// NanoSocketNetwork). Every datagram is reported with its source so that the resolver can
// drop answers from anyone but the server it asked (RFC 5452 §9.1).

using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Adapters
{
    internal sealed class NanoUdpSocket : IUdpSocket
    {
        private readonly Socket _socket;
        private int _closed;

        public NanoUdpSocket(Socket socket)
        {
            _socket = socket;
            IPEndPoint? ep = socket.LocalEndPoint as IPEndPoint;
            LocalPort = ep != null ? ep.Port : 0;
        }

        public int LocalPort { get; }

        public void SendTo(byte[] buffer, int offset, int count, string address, int port)
        {
            try
            {
                _socket.SendTo(buffer, offset, count, SocketFlags.None, new IPEndPoint(NanoSocketNetwork.ParseAddress(address), port));
            }
            catch (SocketException e)
            {
                throw new ConnectionException("udp send failed: " + e.Message, NanoSocketErrors.ToWsa(e.ErrorCode), e);
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
                if (!NanoSocketWait.Readable(_socket, timeoutMs)) return ConnectionResult.TimedOut;
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n = _socket.ReceiveFrom(buffer, offset, count, SocketFlags.None, ref from);
                IPEndPoint? ip = from as IPEndPoint;
                if (ip != null)
                {
                    fromAddress = ip.Address.ToString();
                    fromPort = ip.Port;
                }
                return n;
            }
            catch (SocketException e)
            {
                int code = NanoSocketErrors.ToWsa(e.ErrorCode);
                // A datagram longer than the buffer: its source is unknown, so the resolver drops it.
                if (code == NanoSocketErrors.MessageSize) return count;
                throw new ConnectionException("udp receive failed: " + e.Message, code, e);
            }
            catch (ObjectDisposedException e)
            {
                throw new ConnectionException("socket closed", ConnectionException.Reset, e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _socket.Close();
        }
    }
}
