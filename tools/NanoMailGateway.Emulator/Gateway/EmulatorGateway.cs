// The gateway as the emulator composes it: Core's modules on host adapters, with the
// board's limits. This is where the integrator plugs the SMTP listener, the queue, the
// delivery runner and the POP3 server. Until those land, each listen socket is real
// (bound through INetwork, so the printed endpoints can be connected to) and every
// connection is answered "not available" and closed: 421 4.3.2 for SMTP (RFC 5321
// §3.8, RFC 3463 4.3.2 system not accepting messages) and -ERR for POP3 (RFC 1939 §4).
// Left out on purpose: everything the protocol issues build.

using System;
using System.Collections.Generic;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Emulator.Gateway
{
    /// <summary>
    /// Starts and stops the gateway. Start and Stop are called from one thread; the
    /// connection handlers run on the listener threads.
    /// </summary>
    public sealed class EmulatorGateway : IDisposable
    {
        /// <summary>Pending connections per listen socket; small because the board's stack is small.</summary>
        public const int Backlog = 8;

        private static readonly byte[] SmtpUnavailable = Ascii.GetBytes("421 4.3.2 Service not available, closing transmission channel\r\n");
        private static readonly byte[] Pop3Unavailable = Ascii.GetBytes("-ERR service not available\r\n");

        private readonly INetwork _network;
        private readonly List<ITcpListener> _listeners = new List<ITcpListener>();
        private readonly List<Thread> _threads = new List<Thread>();
        private int _sessionCounter;

        public EmulatorGateway(GatewayConfig config, INetwork network, IClock clock, IRandom random, ILog log)
        {
            Config = config;
            _network = network;
            Clock = clock;
            Random = random;
            Log = log;
            // Allocated once, sized from the board (DESIGN.md, Memory); it never grows.
            Pool = new BufferPool("session", config.Board.BufferSize, config.Board.BufferCount);
            SmtpHandler = (c, session) => Refuse(c, SmtpUnavailable);
            Pop3Handler = (c, session) => Refuse(c, Pop3Unavailable);
        }

        public GatewayConfig Config { get; }

        public IClock Clock { get; }

        public IRandom Random { get; }

        public ILog Log { get; }

        /// <summary>The session buffer pool, sized by the board profile.</summary>
        public BufferPool Pool { get; }

        /// <summary>Handles one accepted SMTP connection (on the listener thread); replace before Start.</summary>
        public Action<IConnection, int> SmtpHandler { get; set; }

        /// <summary>Handles one accepted POP3 connection; replace before Start.</summary>
        public Action<IConnection, int> Pop3Handler { get; set; }

        /// <summary>The bound SMTP endpoints ("127.0.0.1:2525"), real ports when 0 was configured. Valid after Start.</summary>
        public string[] SmtpEndpoints { get; private set; } = Array.Empty<string>();

        /// <summary>The bound POP3 endpoints. Valid after Start.</summary>
        public string[] Pop3Endpoints { get; private set; } = Array.Empty<string>();

        /// <summary>Opens every listen socket and starts the listener threads.</summary>
        /// <exception cref="ConnectionException">a listen address is in use or not local; nothing stays open.</exception>
        public void Start()
        {
            try
            {
                SmtpEndpoints = Open(Config.SmtpListen, "smtpd", () => SmtpHandler);
                Pop3Endpoints = Open(Config.Pop3Listen, "pop3d", () => Pop3Handler);
            }
            catch (ConnectionException)
            {
                Stop();
                throw;
            }
        }

        /// <summary>Closes the listen sockets and waits for the listener threads. Safe to call twice.</summary>
        public void Stop()
        {
            foreach (ITcpListener l in _listeners) l.Close();
            foreach (Thread t in _threads) t.Join(5000);
            _listeners.Clear();
            _threads.Clear();
        }

        public void Dispose()
        {
            Stop();
        }

        private string[] Open(Endpoint[] endpoints, string component, Func<Action<IConnection, int>> handler)
        {
            var bound = new string[endpoints.Length];
            for (int i = 0; i < endpoints.Length; i++)
            {
                ITcpListener listener = _network.Listen(endpoints[i].Host, endpoints[i].Port, Backlog);
                _listeners.Add(listener);
                bound[i] = listener.LocalEndPoint;
                var t = new Thread(() => AcceptLoop(listener, component, handler())) { IsBackground = true, Name = component + " " + bound[i] };
                _threads.Add(t);
                t.Start();
            }
            return bound;
        }

        private void AcceptLoop(ITcpListener listener, string component, Action<IConnection, int> handler)
        {
            while (true)
            {
                IConnection? c;
                try
                {
                    c = listener.Accept();
                }
                catch (ConnectionException e)
                {
                    Log.Write(component, 0, "warning: accept on " + listener.LocalEndPoint + ": " + e.Message);
                    Thread.Sleep(100);
                    continue;
                }
                if (c == null) return;
                int session = Interlocked.Increment(ref _sessionCounter);
                Log.Write(component, session, "connect from [" + c.RemoteAddress + "]:" + c.RemotePort);
                try
                {
                    handler(c, session);
                }
                catch (ConnectionException e)
                {
                    Log.Write(component, session, "lost connection from [" + c.RemoteAddress + "]: " + e.Message);
                }
                finally
                {
                    c.Close();
                }
                Log.Write(component, session, "disconnect from [" + c.RemoteAddress + "]");
            }
        }

        private static void Refuse(IConnection c, byte[] reply)
        {
            c.Send(reply, 0, reply.Length, 5000);
        }
    }
}
