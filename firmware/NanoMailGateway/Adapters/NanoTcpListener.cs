// ITcpListener on a listening Socket (shared board/host source, see NanoSocketNetwork).
// Close() from another thread wakes Accept, which then returns null: that is how the
// gateway stops its listener threads.

using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Adapters
{
    internal sealed class NanoTcpListener : ITcpListener
    {
        private readonly Socket _socket;
        // An int set with Interlocked, not a volatile bool: nanoFramework's mscorlib lacks the
        // IsVolatile modifier type, so `volatile` does not compile for the board.
        private int _closed;

        public NanoTcpListener(Socket socket)
        {
            _socket = socket;
            IPEndPoint? ep = socket.LocalEndPoint as IPEndPoint;
            LocalPort = ep != null ? ep.Port : 0;
            LocalEndPoint = (ep != null ? ep.Address.ToString() : "") + ":" + LocalPort.ToString();
        }

        public string LocalEndPoint { get; }

        public int LocalPort { get; }

        private bool Closed => Interlocked.CompareExchange(ref _closed, 0, 0) != 0;

        public IConnection? Accept()
        {
            while (true)
            {
                if (Closed) return null;
                try
                {
                    Socket s = _socket.Accept();
                    return new NanoSocketConnection(s);
                }
                catch (SocketException e)
                {
                    if (Closed) return null;
                    int code = NanoSocketErrors.ToWsa(e.ErrorCode);
                    // A connection reset before accept completed is the client's problem, not ours.
                    if (code == ConnectionException.Reset || code == NanoSocketErrors.Aborted) continue;
                    throw new ConnectionException("accept failed: " + e.Message, code, e);
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _socket.Close();
        }
    }
}
