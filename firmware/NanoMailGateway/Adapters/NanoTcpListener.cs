// ITcpListener on a listening Socket (shared board/host source, see NanoSocketNetwork).
// Close() from another thread wakes Accept, which then returns null, and makes Poll
// return true: that is how the gateway stops its accept thread. Poll lets that one
// thread wait on several listening sockets in turn (Core's AcceptLoop).

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
                    // A connection reset before accept completed is the client's problem, not
                    // ours: take the next one if another is pending, but never block here, the
                    // accept thread serves other listeners too (Poll said one was pending).
                    if ((code == ConnectionException.Reset || code == NanoSocketErrors.Aborted) && PendingNow()) continue;
                    throw new ConnectionException("accept failed: " + e.Message, code, e);
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
            }
        }

        public bool Poll(int timeoutMs)
        {
            if (Closed) return true;
            try
            {
                return _socket.Poll(timeoutMs * 1000, SelectMode.SelectRead);
            }
            catch (SocketException)
            {
                return true;   // closed meanwhile, or failing: Accept says which
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }

        private bool PendingNow()
        {
            try
            {
                return _socket.Poll(0, SelectMode.SelectRead);
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return true;   // closed: the next round returns null
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _socket.Close();
        }
    }
}
