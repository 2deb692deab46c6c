// Runs the POP3 server in-process for tests: over in-memory connections for session
// transcripts, and (LoopbackPop3Server) over real loopback sockets for interop with
// curl, python3 poplib, fetchmail and MailKit, behind Core's ConnectionListener.

using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Support
{
    /// <summary>A table of user → password.</summary>
    public sealed class TableAuthenticator : IMailboxAuthenticator
    {
        private readonly Dictionary<string, string> _users = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public TableAuthenticator Add(string user, string password)
        {
            _users[user] = password;
            return this;
        }

        public bool Verify(string user, string password) => _users.TryGetValue(user, out var p) && p == password;
    }

    /// <summary>A POP3 server on in-memory connections with small timers.</summary>
    public sealed class Pop3Harness
    {
        public Pop3Harness(Action<Pop3ServerOptions>? configure = null, ITlsProvider? tls = null, int bufferSize = 512, int buffers = 16,
            int authDelayMs = 1, int authMaxDelayMs = 50, int authMemoryMs = AuthThrottle.DefaultMemoryMs)
        {
            Options = new Pop3ServerOptions { AutologoutMs = 10_000 };
            configure?.Invoke(Options);
            Store = new TinyMaildropStore();
            Auth = new TableAuthenticator().Add("alice", "secret").Add("bob", "hunter 2");
            Store.AddMailbox("alice");
            Store.AddMailbox("bob");
            Pool = new BufferPool("pop3", bufferSize, buffers);
            Log = new QuietLog(true);
            Clock = new StepClock();
            Throttle = new AuthThrottle(Clock, authDelayMs, authMaxDelayMs, AuthThrottle.DefaultAddresses, authMemoryMs);
            Server = new Pop3Server(Options, Store, Auth, Throttle, tls, Pool, Clock, Log);
        }

        public Pop3ServerOptions Options { get; }
        public TinyMaildropStore Store { get; }
        public TableAuthenticator Auth { get; }
        public BufferPool Pool { get; }
        public QuietLog Log { get; }
        public StepClock Clock { get; }
        public AuthThrottle Throttle { get; }
        public Pop3Server Server { get; }

        /// <summary>Starts a session from <paramref name="clientAddress"/> and reads nothing yet.</summary>
        public Pop3TestClient Connect(string clientAddress = "192.0.2.10")
        {
            MemoryConnection.CreatePair(clientAddress, "192.0.2.1", out var client, out var server);
            var t = new Thread(() => Server.Serve(server)) { IsBackground = true, Name = "pop3 session" };
            t.Start();
            return new Pop3TestClient(client, t);
        }

        /// <summary>Connects, reads the greeting and logs in; asserts +OK.</summary>
        public Pop3TestClient Login(string user = "alice", string password = "secret", string clientAddress = "192.0.2.10")
        {
            var c = Connect(clientAddress);
            c.ExpectOk();
            c.Command("USER " + user);
            var r = c.Command("PASS " + password);
            if (!r.StartsWith("+OK", StringComparison.Ordinal)) throw new InvalidOperationException("login failed: " + r);
            return c;
        }
    }

    /// <summary>Client end of an in-memory POP3 session.</summary>
    public sealed class Pop3TestClient : IDisposable
    {
        private readonly MemoryConnection _conn;
        private readonly Thread _session;
        private readonly byte[] _buf = new byte[65536];
        private int _start;
        private int _end;

        public Pop3TestClient(MemoryConnection conn, Thread session)
        {
            _conn = conn;
            _session = session;
        }

        public int TimeoutMs { get; set; } = 5000;

        public void Send(string text) => SendBytes(Encoding.Latin1.GetBytes(text));

        public void SendBytes(byte[] b) => _conn.Send(b, 0, b.Length, TimeoutMs);

        /// <summary>Sends a command line (CRLF added) and returns the first reply line.</summary>
        public string Command(string line)
        {
            Send(line + "\r\n");
            return ReadLine();
        }

        /// <summary>Reads one line without its CRLF; throws on timeout or close.</summary>
        public string ReadLine()
        {
            byte[] raw = ReadRawLine() ?? throw new InvalidOperationException("connection closed while waiting for a line");
            int n = raw.Length;
            if (n >= 2 && raw[n - 2] == '\r') n -= 2; else n -= 1;
            return Encoding.Latin1.GetString(raw, 0, n);
        }

        /// <summary>Reads one line with its line end, or null when the server closed.</summary>
        public byte[]? ReadRawLine()
        {
            while (true)
            {
                int lf = Array.IndexOf(_buf, (byte)'\n', _start, _end - _start);
                if (lf >= 0)
                {
                    byte[] line = _buf.AsSpan(_start, lf + 1 - _start).ToArray();
                    _start = lf + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Array.Copy(_buf, _start, _buf, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                int n = _conn.Receive(_buf, _end, _buf.Length - _end, TimeoutMs);
                if (n == ConnectionResult.TimedOut) throw new TimeoutException("no reply within " + TimeoutMs + " ms");
                if (n == 0) return null;
                _end += n;
            }
        }

        /// <summary>Reads a multi-line body after its +OK line up to the terminating "."; returns the raw octets (still dot-stuffed, terminator excluded).</summary>
        public byte[] ReadMultilineRaw()
        {
            var all = new List<byte>();
            while (true)
            {
                byte[] line = ReadRawLine() ?? throw new InvalidOperationException("closed inside a multi-line reply");
                if (line.Length == 3 && line[0] == '.' && line[1] == '\r') return all.ToArray();
                all.AddRange(line);
            }
        }

        /// <summary>The body lines of a multi-line reply (without CRLF, still dot-stuffed).</summary>
        public string[] ReadMultiline()
        {
            string s = Encoding.Latin1.GetString(ReadMultilineRaw());
            if (s.Length == 0) return Array.Empty<string>();
            return s.Substring(0, s.Length - 2).Split("\r\n");
        }

        public string ExpectOk()
        {
            string l = ReadLine();
            if (!l.StartsWith("+OK", StringComparison.Ordinal)) throw new InvalidOperationException("expected +OK, got: " + l);
            return l;
        }

        /// <summary>True when the server closed the connection within the timeout (nothing more to read).</summary>
        public bool WaitClosed(int timeoutMs = 5000)
        {
            int n = _conn.Receive(_buf, _end, _buf.Length - _end, timeoutMs);
            return n == 0;
        }

        /// <summary>Waits for the server's session thread to finish.</summary>
        public bool WaitSessionEnd(int timeoutMs = 5000) => _session.Join(timeoutMs);

        public void Dispose()
        {
            _conn.Close();
            _session.Join(5000);
        }
    }

    /// <summary>The POP3 server on a real loopback port behind Core's ConnectionListener, as the gateway runs it.</summary>
    public sealed class LoopbackPop3Server : IDisposable
    {
        private readonly ConnectionListener _listener;

        /// <param name="sessions">Session slots; the harness's buffer pool (two buffers a session) may allow fewer.</param>
        public LoopbackPop3Server(Pop3Harness harness, int sessions = 8)
        {
            Harness = harness;
            ITcpListener l = new HostSocketNetwork().Listen("127.0.0.1", 0, 8);
            _listener = new ConnectionListener(l, new Pop3SessionFactory(harness.Server), sessions, harness.Log);
            _listener.Start();
        }

        public Pop3Harness Harness { get; }
        public int Port => _listener.LocalPort;

        public void Dispose() => _listener.Stop(2000);
    }
}
