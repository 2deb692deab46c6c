// The reusable listener for every server port (SMTP, POP3). One thread accepts for all of
// a gateway's listeners (AcceptLoop, which calls AcceptOne here when this socket has a
// connection pending); each session runs on its own thread in one of a FIXED number of slots
// (ARCHITECTURE.md, Threads: one thread per session from a fixed number of slots, no thread pool).
// A connection over the slot limit, or one whose session cannot rent its buffers, gets
// the protocol's busy line from the factory and is closed, so memory never grows with
// load (ARCHITECTURE.md, Memory). Before refusing for want of a slot the accept thread waits
// a short, bounded grace time for one to free up: a client that reconnects the moment
// it has read our 221 (Postfix's smtp-source does) would otherwise race the previous
// session's last milliseconds of closing and returning its buffers.
// Stop closes the listening socket, waits (bounded) until the accept thread has left this
// listener, waits a bounded time for running sessions, then
// aborts (closes) the rest and waits once more.
// Left out on purpose: per-client connection rate limits (a later concern) and any
// protocol knowledge (ISessionFactory carries it).

using System;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Listener
{
    /// <summary>A listening socket with a fixed number of session slots. Start once, Stop once; thread-safe.</summary>
    public sealed class ConnectionListener
    {
        private readonly ITcpListener _listener;
        private readonly ISessionFactory _factory;
        private readonly ILog _log;
        private readonly object _gate = new object();
        private readonly ISession?[] _sessions;
        private readonly Thread?[] _threads;
        private readonly ManualResetEvent _acceptDone = new ManualResetEvent(false);
        private readonly AutoResetEvent _slotFreed = new AutoResetEvent(false);
        private readonly int _slotWaitMs;
        private bool _inLoop;
        private int _nextSessionId;
        private int _accepted;
        private int _refused;
        private bool _stopping;

        /// <summary>Creates the loop; nothing runs until <see cref="Start"/>.</summary>
        /// <param name="listener">A bound listening socket; the loop owns and closes it.</param>
        /// <param name="factory">The protocol.</param>
        /// <param name="maxSessions">Concurrent sessions (slots), at least 1 (board profile).</param>
        /// <param name="log">Event log.</param>
        /// <param name="slotWaitMs">How long a new connection may wait for a slot before it is refused, ms (0: refuse at once).</param>
        public ConnectionListener(ITcpListener listener, ISessionFactory factory, int maxSessions, ILog log, int slotWaitMs)
        {
            if (maxSessions < 1) throw new ArgumentOutOfRangeException("maxSessions");
            _slotWaitMs = slotWaitMs < 0 ? 0 : slotWaitMs;
            _listener = listener;
            _factory = factory;
            _log = log;
            _sessions = new ISession?[maxSessions];
            _threads = new Thread?[maxSessions];
        }

        /// <summary>The bound port.</summary>
        public int LocalPort => _listener.LocalPort;

        /// <summary>Default grace for a free slot, ms: a few times a session's closing work on the board.</summary>
        public const int DefaultSlotWaitMs = 250;

        /// <summary>Creates the loop with the default slot grace time.</summary>
        public ConnectionListener(ITcpListener listener, ISessionFactory factory, int maxSessions, ILog log)
            : this(listener, factory, maxSessions, log, DefaultSlotWaitMs)
        {
        }

        /// <summary>Sessions started since Start.</summary>
        public int Accepted { get { lock (_gate) { return _accepted; } } }

        /// <summary>Connections turned away with the busy line since Start.</summary>
        public int Refused { get { lock (_gate) { return _refused; } } }

        /// <summary>Sessions running now.</summary>
        public int Active
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    for (int i = 0; i < _sessions.Length; i++) if (_sessions[i] != null) n++;
                    return n;
                }
            }
        }

        /// <summary>
        /// Starts an accept thread of its own (an AcceptLoop serving this listener alone). A
        /// gateway with several listeners adds them to one shared AcceptLoop instead.
        /// </summary>
        public void Start()
        {
            AcceptLoop own = new AcceptLoop(1);
            own.Add(this);
            own.Start();
        }

        /// <summary>
        /// Stops accepting, waits up to <paramref name="waitMs"/> for sessions to finish, then
        /// closes the connections of the rest and waits up to <paramref name="waitMs"/> again.
        /// Returns true when every session thread has ended.
        /// </summary>
        public bool Stop(int waitMs)
        {
            bool inLoop;
            lock (_gate)
            {
                if (_stopping) return true;
                _stopping = true;
                inLoop = _inLoop;
            }
            _listener.Close();
            // The accept thread leaves this listener at its next round (AcceptLoop.SliceMs per
            // listener); after that no new session can start here.
            if (inLoop) _acceptDone.WaitOne(waitMs, false);
            if (JoinAll(waitMs)) return true;
            lock (_gate)
            {
                for (int i = 0; i < _sessions.Length; i++)
                {
                    ISession? s = _sessions[i];
                    if (s != null) s.Abort();
                }
            }
            return JoinAll(waitMs);
        }

        private bool JoinAll(int waitMs)
        {
            for (int i = 0; i < _threads.Length; i++)
            {
                Thread? t;
                lock (_gate) { t = _threads[i]; }
                if (t != null && !t.Join(waitMs)) return false;
            }
            return true;
        }

        // For AcceptLoop: the listening socket it polls.
        internal ITcpListener Socket => _listener;

        // For AcceptLoop.Add: this listener is accepted for by that loop from now on.
        internal void JoinLoop()
        {
            lock (_gate)
            {
                if (_inLoop) throw new InvalidOperationException("already started");
                _inLoop = true;
            }
        }

        // For AcceptLoop: it no longer accepts for this listener (its socket is closed, or the
        // loop ended); Stop may go on to the sessions.
        internal void LeftLoop()
        {
            _acceptDone.Set();
        }

        // For AcceptLoop.Stop: no new connections; the sessions are Stop's.
        internal void CloseSocket()
        {
            _listener.Close();
        }

        internal void LogListening()
        {
            _log.Write(_factory.Component, 0, "listening on " + _listener.LocalEndPoint + ", " + _sessions.Length.ToString() + " session slots");
        }

        /// <summary>
        /// One round of the accept thread, called once the socket's Poll said Accept will not
        /// block: accepts one connection and dispatches it. Catches everything (on a board an
        /// OutOfMemoryException while the socket layer builds the connection or Dispatch
        /// builds the session): the loop must go on. False once the socket is closed.
        /// </summary>
        internal bool AcceptOne()
        {
            IConnection? c;
            try
            {
                c = _listener.Accept();
            }
            catch (Exception e)
            {
                // A ConnectionException, or on a board an OutOfMemoryException.
                lock (_gate) { if (_stopping) return false; }
                LogQuietly("accept failed", "", e);
                PauseQuietly(); // do not spin on a persistent accept error
                return true;
            }
            if (c == null) return false;
            try
            {
                Dispatch(c);
            }
            catch (Exception e)
            {
                // On a board Dispatch fails when the heap cannot hold one more
                // session or thread: drop this connection, keep listening.
                c.Close();
                LogQuietly("connect from ", c.RemoteAddress, e);
                PauseQuietly();
            }
            return true;
        }

        /// <summary>
        /// Sends a protocol's busy line (the octets of a whole reply, CRLF included) within
        /// <paramref name="timeoutMs"/> and closes the connection; a client already gone is
        /// not an error. For ISessionFactory.Refuse and a session refused for want of buffers.
        /// </summary>
        public static void SendBusyLine(IConnection connection, byte[] line, int timeoutMs)
        {
            try
            {
                connection.Send(line, 0, line.Length, timeoutMs);
            }
            catch (ConnectionException)
            {
                // The client is gone already; nothing to tell it.
            }
            connection.Close();
        }

        // A short pause after a failure, so that a persistent one does not spin.
        internal static void PauseQuietly()
        {
            try
            {
                Thread.Sleep(100);
            }
            catch (Exception)
            {
                // Nothing to do: the next round tries again.
            }
        }

        /// <summary>
        /// Logs an exception from a catch block of one of this listener's threads. Building
        /// the line allocates; on a board that can throw OutOfMemoryException inside the
        /// handler, and an exception leaving a thread's method ends the thread silently on
        /// the interpreter (ARCHITECTURE.md, Device rules): the line is given up instead.
        /// </summary>
        private void LogQuietly(string what, string remote, Exception e)
        {
            try
            {
                // The type names the bug when the message does not (a NullReferenceException's says little).
                _log.Write(_factory.Component, 0, what + remote + (remote.Length > 0 ? ": dropped, " : ": ") + e.GetType().FullName + ": " + e.Message);
            }
            catch (Exception)
            {
                // No heap for the line: the thread goes on without it.
            }
        }

        private void Dispatch(IConnection c)
        {
            int id;
            lock (_gate)
            {
                _nextSessionId++;
                id = _nextSessionId;
            }
            int slot = FindSlot();
            for (int waited = 0; slot < 0 && waited < _slotWaitMs; waited += 50)
            {
                _slotFreed.WaitOne(50, false);
                slot = FindSlot();
            }
            ISession? session = slot < 0 ? null : _factory.TryCreate(c, id);
            if (session == null)
            {
                lock (_gate) { _refused++; }
                _log.Write(_factory.Component, id, "connect from " + c.RemoteAddress + ": refused, " + (slot < 0 ? "all session slots busy" : "no buffers"));
                _factory.Refuse(c);
                return;
            }
            SlotRunner runner = new SlotRunner(this, slot, session);
            Thread t = new Thread(runner.Run);
            lock (_gate)
            {
                _sessions[slot] = session;
                _threads[slot] = t;
                _accepted++;
            }
            try
            {
                t.Start();
            }
            catch (Exception)
            {
                // No thread: end the session here (it closes the connection and returns its
                // buffers, ISession.Run after Abort) and free the slot, then let AcceptOne log.
                session.Abort();
                session.Run();
                Release(slot);
                throw;
            }
        }

        private int FindSlot()
        {
            lock (_gate)
            {
                if (_stopping) return -1;
                for (int i = 0; i < _sessions.Length; i++)
                {
                    if (_sessions[i] == null && _threads[i] == null) return i;
                }
                return -1;
            }
        }

        private void Release(int slot)
        {
            lock (_gate)
            {
                _sessions[slot] = null;
                _threads[slot] = null;
            }
            _slotFreed.Set();
        }

        // The thread body of one slot: runs the session and frees the slot, whatever happens.
        private sealed class SlotRunner
        {
            private readonly ConnectionListener _owner;
            private readonly int _slot;
            private readonly ISession _session;

            public SlotRunner(ConnectionListener owner, int slot, ISession session)
            {
                _owner = owner;
                _slot = slot;
                _session = session;
            }

            public void Run()
            {
                try
                {
                    _session.Run();
                }
                catch (Exception e)
                {
                    // A bug in a session (or the heap running out) must not take the gateway
                    // down. Abort first, so that its connection and buffers go back even when
                    // the log line cannot be built.
                    try
                    {
                        _session.Abort();
                    }
                    catch (Exception)
                    {
                        // Its connection is gone or half-closed; the slot is released below either way.
                    }
                    _owner.LogQuietly("session crashed", "", e);
                }
                finally
                {
                    _owner.Release(_slot);
                }
            }
        }
    }
}
