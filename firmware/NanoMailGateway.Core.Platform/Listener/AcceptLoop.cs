// ONE accept thread for several ConnectionListeners (ARCHITECTURE.md, Threads). On nanoCLR a
// thread costs about 520 bytes of heap of its own plus its waiting stack frames (204 bytes
// and up each), so a gateway with an SMTP and a POP3 endpoint saves about 1 KB by
// accepting on both from one thread (README, the C3's heap).
// The thread goes round the listeners: it waits at most SliceMs on each listening socket
// (ITcpListener.Poll), and when one has a connection pending it lets that listener accept
// and dispatch that one connection, then moves on to the next listener. The latency this
// adds to a new connection is at most one slice per other listener, plus the time the
// thread spends dispatching on another listener (up to its slot grace,
// ConnectionListener.DefaultSlotWaitMs, when that one's slots are full).
// The listener that accepted last is "hot": while it stays busy the others are only
// glanced at (Poll 0, so they are still served, never starved), and the slices are spent
// waiting on it. A sensor that sends message after message on new connections then gets
// each greeting at once, not after a slice on the idle POP3 socket (that capped it at about
// 20 connections a second); one idle slice on it and every listener has equal slices again.
// A listener leaves the round when its socket is closed (Accept returns null); the thread
// ends when none is left or on Stop.
// Left out on purpose: priorities between listeners (round-robin is fair enough for a
// handful of endpoints) and adding listeners after Start.

using System;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Listener
{
    /// <summary>One accept thread serving several ConnectionListeners round-robin. Add, then Start once, Stop once; thread-safe.</summary>
    public sealed class AcceptLoop
    {
        /// <summary>Longest wait on one listening socket per round, ms: the latency a connection on another listener may see per listener.</summary>
        public const int SliceMs = 50;

        private readonly object _gate = new object();
        private readonly ConnectionListener?[] _members;   // null: free place, or a listener that left the round
        private readonly ManualResetEvent _done = new ManualResetEvent(false);
        private int _count;
        private Thread? _thread;
        private bool _stopping;

        /// <summary>Creates the loop for up to <paramref name="capacity"/> listeners (0: a gateway without any); no thread runs until <see cref="Start"/>.</summary>
        public AcceptLoop(int capacity)
        {
            if (capacity < 0) throw new ArgumentOutOfRangeException("capacity");
            _members = new ConnectionListener?[capacity];
        }

        /// <summary>Threads this loop has started: 0 before Start, 1 after (the whole point).</summary>
        public int ThreadsStarted { get { lock (_gate) { return _thread == null ? 0 : 1; } } }

        /// <summary>Listeners still served (their sockets not closed yet).</summary>
        public int Serving
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    for (int i = 0; i < _members.Length; i++) if (_members[i] != null) n++;
                    return n;
                }
            }
        }

        /// <summary>True while the accept thread runs.</summary>
        public bool Running => _thread != null && !_done.WaitOne(0, false);

        /// <summary>Adds a listener not started on its own (before <see cref="Start"/>); it logs that it listens.</summary>
        public void Add(ConnectionListener listener)
        {
            lock (_gate)
            {
                if (_thread != null) throw new InvalidOperationException("already started");
                if (_count == _members.Length) throw new InvalidOperationException("loop full");
                listener.JoinLoop();
                _members[_count] = listener;
                _count++;
            }
            listener.LogListening();
        }

        /// <summary>Starts the one accept thread; none when no listener was added.</summary>
        public void Start()
        {
            Thread t;
            lock (_gate)
            {
                if (_thread != null) throw new InvalidOperationException("already started");
                if (_count == 0) return;
                t = new Thread(new ThreadStart(Run));
                _thread = t;
            }
            t.Start();
        }

        /// <summary>
        /// Closes every member's listening socket and waits up to <paramref name="waitMs"/> for
        /// the accept thread to end; the members' sessions keep running (ConnectionListener.Stop
        /// ends them). Returns true when the thread has ended (or never started). Safe to call twice.
        /// </summary>
        public bool Stop(int waitMs)
        {
            lock (_gate) { _stopping = true; }
            for (int i = 0; i < _members.Length; i++)
            {
                ConnectionListener? l;
                lock (_gate) { l = _members[i]; }
                if (l != null) l.CloseSocket();
            }
            lock (_gate)
            {
                if (_thread == null)
                {
                    // Never started: nobody accepts for the members, their Stop need not wait.
                    for (int i = 0; i < _count; i++)
                    {
                        ConnectionListener? l = _members[i];
                        if (l != null) l.LeftLoop();
                    }
                    return true;
                }
            }
            return _done.WaitOne(waitMs, false);
        }

        private void Run()
        {
            int next = 0;
            int hot = -1;   // the member that accepted last, while it stays busy (see the header)
            try
            {
                // Each round in its own try: on a board even a catch block can run out of
                // heap, and an exception that leaves this method ends the thread silently on
                // the interpreter, a gateway that stops answering without a word
                // (ARCHITECTURE.md, Device rules). The wait is on the socket itself, from this
                // method, so the thread waits two frames deep as a single listener's did.
                while (true)
                {
                    try
                    {
                        ConnectionListener? l = null;
                        int at = 0;
                        lock (_gate)
                        {
                            if (_stopping) return;
                            for (int k = 0; k < _count && l == null; k++)
                            {
                                at = (next + k) % _count;
                                l = _members[at];
                                if (l != null) next = (at + 1) % _count;
                            }
                        }
                        if (l == null) return;   // every socket closed
                        bool ready;
                        try
                        {
                            ready = l.Socket.Poll(hot < 0 || hot == at ? SliceMs : 0);
                        }
                        catch (Exception)
                        {
                            // No heap for the wait's bookkeeping: try the others, do not spin.
                            ready = false;
                            ConnectionListener.PauseQuietly();
                        }
                        if (!ready)
                        {
                            if (hot == at) hot = -1;   // it went quiet: equal slices again
                        }
                        else if (l.AcceptOne()) hot = at;
                        else Leave(l);
                    }
                    catch (Exception)
                    {
                        ConnectionListener.PauseQuietly();
                    }
                }
            }
            finally
            {
                // Whatever ended the thread, no member is accepting any more.
                for (int i = 0; i < _members.Length; i++)
                {
                    ConnectionListener? l = _members[i];
                    if (l != null) l.LeftLoop();
                }
                _done.Set();
            }
        }

        private void Leave(ConnectionListener l)
        {
            lock (_gate)
            {
                for (int i = 0; i < _count; i++) if (_members[i] == l) _members[i] = null;
            }
            l.LeftLoop();
        }
    }
}
