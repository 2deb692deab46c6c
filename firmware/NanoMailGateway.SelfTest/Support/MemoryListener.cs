// A listening endpoint of MemoryNetwork: the check "dials" by handing the server end of a
// fresh in-memory connection to Offer, and the gateway's accept thread takes it from
// Poll and Accept, as it would take a socket from the board's lwIP backlog. One connection waits
// at a time (Offer blocks until the accept thread took the previous one): the checks
// dial one client after another, so a deeper backlog would only cost RAM.
// Left out on purpose: a backlog limit and refusing connections when it is full (the
// gateway's own slot limit, 421 4.3.2, is what the checks look at).

using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.SelfTest
{
    /// <summary>An in-memory ITcpListener. Thread-safe: one accept thread, one dialling thread.</summary>
    public sealed class MemoryListener : ITcpListener
    {
        private readonly object _gate = new object();
        private readonly AutoResetEvent _offered = new AutoResetEvent(false);
        private readonly AutoResetEvent _taken = new AutoResetEvent(false);
        private IConnection? _pending;
        private bool _closed;

        /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/>.</summary>
        public MemoryListener(string address, int port)
        {
            LocalPort = port;
            LocalEndPoint = address + ":" + port.ToString();
        }

        /// <inheritdoc/>
        public string LocalEndPoint { get; }

        /// <inheritdoc/>
        public int LocalPort { get; }

        /// <summary>
        /// Hands <paramref name="server"/> to the accept thread; false when the listener is
        /// closed or nobody accepted it within <paramref name="timeoutMs"/>.
        /// </summary>
        public bool Offer(IConnection server, int timeoutMs)
        {
            lock (_gate)
            {
                if (_closed || _pending != null) return false;
                _pending = server;
            }
            _offered.Set();
            if (_taken.WaitOne(timeoutMs, false)) return true;
            lock (_gate)
            {
                // Not taken in time: withdraw it, unless the accept thread took it just now.
                if (_pending != server) return true;
                _pending = null;
                return false;
            }
        }

        /// <inheritdoc/>
        public IConnection? Accept()
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_closed) return null;
                    IConnection? c = _pending;
                    if (c != null)
                    {
                        _pending = null;
                        _taken.Set();
                        return c;
                    }
                }
                _offered.WaitOne();
            }
        }

        /// <inheritdoc/>
        public bool Poll(int timeoutMs)
        {
            if (Ready()) return true;
            _offered.WaitOne(timeoutMs, false);
            return Ready();
        }

        // A connection waits or the listener is closed: Accept returns at once. It waits on
        // _offered itself, so Poll taking the signal does not leave Accept waiting.
        private bool Ready()
        {
            lock (_gate)
            {
                return _closed || _pending != null;
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
            }
            _offered.Set();
        }
    }
}
