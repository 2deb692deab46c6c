// ITcpListener over a host socket. Close() from another thread wakes Accept, which then
// returns null: that is how the gateway stops its listener threads.

using System;
using System.Net;
using System.Net.Sockets;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    internal sealed class HostTcpListener : ITcpListener
    {
        private readonly Socket _socket;
        private volatile bool _closed;

        public HostTcpListener(Socket socket)
        {
            _socket = socket;
            var ep = (IPEndPoint)socket.LocalEndPoint!;
            LocalPort = ep.Port;
            LocalEndPoint = HostConnection.AddressOf(ep) + ":" + ep.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public string LocalEndPoint { get; }

        public int LocalPort { get; }

        public IConnection? Accept()
        {
            while (true)
            {
                if (_closed) return null;
                try
                {
                    Socket s = _socket.Accept();
                    return new HostConnection(s);
                }
                catch (SocketException e)
                {
                    if (_closed) return null;
                    // A connection reset before accept completed is the client's problem, not ours.
                    if (e.SocketErrorCode == SocketError.ConnectionReset || e.SocketErrorCode == SocketError.ConnectionAborted) continue;
                    throw new ConnectionException("accept failed: " + e.Message, (int)e.SocketErrorCode, e);
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
            }
        }

        public void Close()
        {
            if (_closed) return;
            _closed = true;
            _socket.Close();
        }
    }
}
