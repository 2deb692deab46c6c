// A scripted SMTP server on the far end of a MemoryConnection pair, for unit tests of
// the client state machine: canned replies (overridable per command), a record of
// every line and every DATA body it received, a pretend STARTTLS, and two checks of
// the client's batching: BatchUntilData holds the replies to MAIL/RCPT until DATA
// arrives (a client that does not pipeline then stalls), CheckLockstep notes any
// command that arrives before the previous one was answered.
// The same script runs on a real loopback socket too (the constructor with an address):
// it then serves one connection after another until disposed, so a delivery agent can
// connect to it as to an MX. Hostile timing: GreetingDripMs sends the greeting one byte
// at a time; a reply ending in Hangup is sent and the connection closed at once.

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    internal sealed class ScriptedSmtpServer : IDisposable
    {
        /// <summary>Reply that makes the server hang up without answering.</summary>
        public const string Hangup = "<hangup>";

        /// <summary>Reply that makes the server say nothing (the client must time out).</summary>
        public const string Silence = "<silence>";

        private readonly MemoryConnection? _server;
        private readonly MemoryConnection? _client;
        private readonly ITcpListener? _listener;
        private readonly string _address = "";
        private volatile bool _disposed;
        private IConnection _current = null!;
        private readonly Thread _thread;
        private readonly byte[] _buf = new byte[256 * 1024];
        private int _start, _end;
        private readonly StringBuilder _pending = new StringBuilder();
        private readonly ManualResetEventSlim _go = new ManualResetEventSlim(false);

        public ScriptedSmtpServer()
        {
            MemoryConnection.CreatePair("192.0.2.10", "192.0.2.25", out MemoryConnection client, out MemoryConnection server);
            _client = client;
            _server = server;
            _current = server;
            _thread = new Thread(Run) { IsBackground = true, Name = "scripted-smtp" };
            _thread.Start();
        }

        /// <summary>The script on a real socket at <paramref name="address"/>:<paramref name="port"/> (0: any free port).</summary>
        public ScriptedSmtpServer(string address, int port = 0)
        {
            _address = address;
            _listener = new HostSocketNetwork().Listen(address, port, 8);
            _thread = new Thread(Run) { IsBackground = true, Name = "scripted-smtp-loopback" };
            _thread.Start();
        }

        /// <summary>The client end of the in-memory pair (the in-memory server only).</summary>
        public MemoryConnection Client => _client ?? throw new InvalidOperationException("a loopback server: use Connect()");

        /// <summary>The port of the loopback server.</summary>
        public int Port => _listener!.LocalPort;

        /// <summary>A real TCP connection to the loopback server.</summary>
        public IConnection Connect() => new HostSocketNetwork().Connect(_address, Port, 2000);

        /// <summary>Connections served so far (loopback).</summary>
        public int Connections { get; private set; }

        /// <summary>When &gt; 0, the greeting goes out one byte per this many ms.</summary>
        public int GreetingDripMs { get; set; }

        public string Greeting { get; set; } = "220 mx.test ESMTP";

        public string EhloReply { get; set; } = "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 DSN";

        /// <summary>Per-command override: return a reply, or null for the default.</summary>
        public Func<string, string?>? OnCommand { get; set; }

        /// <summary>Reply to the final dot, given the raw DATA bytes (stuffed, with the final ".CRLF").</summary>
        public Func<byte[], string> OnMessage { get; set; } = _ => "250 2.0.0 Ok: queued as ABC123";

        /// <summary>Text sent right after the 220 to STARTTLS in the same write (injection test).</summary>
        public string AfterStartTlsInjection { get; set; } = "";

        public bool BatchUntilData { get; set; }

        public bool CheckLockstep { get; set; }

        public List<string> Lines { get; } = new List<string>();

        public List<bool> LineSecure { get; } = new List<bool>();

        public List<byte[]> Messages { get; } = new List<byte[]>();

        public List<string> Violations { get; } = new List<string>();

        /// <summary>Starts the conversation (set the script first).</summary>
        public void Start() => _go.Set();

        public string[] Snapshot()
        {
            lock (Lines) return Lines.ToArray();
        }

        public bool WaitClosed(int ms) => _thread.Join(ms);

        private void Run()
        {
            _go.Wait(10000);
            if (_listener == null)
            {
                Serve();
                return;
            }
            while (!_disposed)
            {
                IConnection? c;
                try
                {
                    c = _listener.Accept();
                }
                catch (ConnectionException)
                {
                    return;
                }
                if (c == null) return;
                _current = c;
                _start = _end = 0;
                _pending.Clear();
                Connections++;
                Serve();
                c.Close();
            }
        }

        private void CloseCurrent()
        {
            _current.Close();
            _server?.Close();
        }

        private void Serve()
        {
            try
            {
                if (GreetingDripMs > 0)
                {
                    foreach (byte b in Encoding.Latin1.GetBytes(Greeting + "\r\n"))
                    {
                        if (_disposed) return;
                        _current.Send(new[] { b }, 0, 1, 5000);
                        Thread.Sleep(GreetingDripMs);
                    }
                }
                else if (Greeting.EndsWith(Hangup, StringComparison.Ordinal))
                {
                    Send(Greeting[..^Hangup.Length]);
                    CloseCurrent();
                    return;
                }
                else
                {
                    Send(Greeting);
                }
                if (!Greeting.StartsWith("2", StringComparison.Ordinal) && Greeting.StartsWith("421", StringComparison.Ordinal)) { CloseCurrent(); return; }
                bool inData = false;
                while (true)
                {
                    if (inData)
                    {
                        byte[]? body = ReadData();
                        if (body == null) return;
                        lock (Lines) Messages.Add(body);
                        string r = OnMessage(body);
                        if (r == Hangup) { CloseCurrent(); return; }
                        if (r.EndsWith(Hangup, StringComparison.Ordinal)) { Send(r[..^Hangup.Length]); CloseCurrent(); return; }
                        Send(r);
                        inData = false;
                        continue;
                    }
                    string? line = ReadLine();
                    if (line == null) return;
                    lock (Lines)
                    {
                        Lines.Add(line);
                        LineSecure.Add(_current.IsSecure);
                    }
                    if (CheckLockstep && (_end > _start || WaitMore(30)))
                    {
                        lock (Lines) Violations.Add("bytes after '" + line + "' before its reply");
                    }
                    string verb = line.Split(' ')[0].ToUpperInvariant();
                    string reply = OnCommand?.Invoke(line) ?? Default(verb, line);
                    if (reply == Hangup) { CloseCurrent(); return; }
                    if (reply.EndsWith(Hangup, StringComparison.Ordinal)) { Send(reply[..^Hangup.Length]); CloseCurrent(); return; }
                    if (reply == Silence) continue;
                    if (BatchUntilData && (verb == "MAIL" || verb == "RCPT"))
                    {
                        _pending.Append(reply).Append("\r\n");
                        continue;
                    }
                    if (BatchUntilData && verb == "DATA")
                    {
                        reply = _pending + reply;
                        _pending.Clear();
                    }
                    Send(reply + (verb == "STARTTLS" ? AfterStartTlsInjection : ""));
                    if (verb == "DATA" && LastLineCode(reply) == 354) inData = true;
                    if (verb == "STARTTLS" && reply.StartsWith("220", StringComparison.Ordinal))
                    {
                        _current = _server!.Secured();
                        _start = _end = 0;   // the server side, too, forgets plaintext
                    }
                    if (verb == "QUIT" || LastLineCode(reply) == 421) { CloseCurrent(); return; }
                }
            }
            catch (ConnectionException)
            {
            }
        }

        private static int LastLineCode(string reply)
        {
            int i = reply.LastIndexOf("\r\n", StringComparison.Ordinal);
            string last = i >= 0 ? reply.Substring(i + 2) : reply;
            return last.Length >= 3 && int.TryParse(last.AsSpan(0, 3), out int c) ? c : 0;
        }

        private string Default(string verb, string line)
        {
            switch (verb)
            {
                case "EHLO": return EhloReply;
                case "HELO": return "250 mx.test";
                case "MAIL": return "250 2.1.0 Ok";
                case "RCPT": return "250 2.1.5 Ok";
                case "DATA": return "354 End data with <CR><LF>.<CR><LF>";
                case "RSET": return "250 2.0.0 Ok";
                case "QUIT": return "221 2.0.0 Bye";
                case "STARTTLS": return "220 2.0.0 Ready to start TLS";
                case "AUTH": return "235 2.7.0 Authentication successful";
                default: return "502 5.5.2 Error: command not recognized";
            }
        }

        private void Send(string reply)
        {
            byte[] b = Encoding.Latin1.GetBytes(reply + "\r\n");
            _current.Send(b, 0, b.Length, 5000);
        }

        private bool WaitMore(int ms)
        {
            if (_end == _buf.Length) return true;
            int n = _current.Receive(_buf, _end, _buf.Length - _end, ms);
            if (n > 0) { _end += n; return true; }
            return false;
        }

        private bool Fill()
        {
            if (_start > 0)
            {
                Array.Copy(_buf, _start, _buf, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int n = _current.Receive(_buf, _end, _buf.Length - _end, 10000);
            if (n <= 0) return false;
            _end += n;
            return true;
        }

        private string? ReadLine()
        {
            while (true)
            {
                int lf = Array.IndexOf(_buf, (byte)'\n', _start, _end - _start);
                if (lf >= 0)
                {
                    int len = lf - _start;
                    if (len > 0 && _buf[lf - 1] == '\r') len--;
                    string s = Encoding.Latin1.GetString(_buf, _start, len);
                    _start = lf + 1;
                    return s;
                }
                if (!Fill()) return null;
            }
        }

        /// <summary>Reads raw DATA bytes through "CRLF.CRLF" (or a first line of ".CRLF").</summary>
        private byte[]? ReadData()
        {
            var ms = new MemoryStream();
            byte[] tail = { (byte)'\r', (byte)'\n', (byte)'.', (byte)'\r', (byte)'\n' };
            while (true)
            {
                while (_start < _end)
                {
                    ms.WriteByte(_buf[_start++]);
                    long l = ms.Length;
                    byte[] g = ms.GetBuffer();
                    if (l == 3 && g[0] == '.' && g[1] == '\r' && g[2] == '\n') return ms.ToArray();
                    if (l >= 5 && g[l - 5] == tail[0] && g[l - 4] == tail[1] && g[l - 3] == tail[2] && g[l - 2] == tail[3] && g[l - 1] == tail[4]) return ms.ToArray();
                }
                if (!Fill()) return null;
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _go.Set();
            _listener?.Close();
            _server?.Close();
            _client?.Close();
            try
            {
                _current?.Close();
            }
            catch (ConnectionException)
            {
            }
            _thread.Join(5000);
        }
    }

    /// <summary>A byte[] message whose Read returns at most <see cref="MaxChunk"/> bytes, to exercise chunk boundaries.</summary>
    internal sealed class BytesContent : IMessageContent
    {
        private readonly byte[] _data;

        public BytesContent(byte[] data, int maxChunk = int.MaxValue)
        {
            _data = data;
            MaxChunk = maxChunk;
        }

        public BytesContent(string latin1, int maxChunk = int.MaxValue) : this(Encoding.Latin1.GetBytes(latin1), maxChunk) { }

        public int MaxChunk { get; }

        public long Length => _data.Length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(Math.Min(count, MaxChunk), _data.Length - position);
            if (n <= 0) return 0;
            Array.Copy(_data, position, buffer, offset, n);
            return n;
        }
    }

    /// <summary>
    /// Base of the SMTP client test classes: their sessions are made here, so each class runs
    /// with the default buffers and again, as a subclass (SmallBufferSmtpClientTests), with the
    /// three buffers a board rents from a pool of 512-octet buffers.
    /// </summary>
    public abstract class SmtpClientTests
    {
        /// <summary>Size of the reply, send and data buffers; 0 for the harness defaults.</summary>
        protected virtual int BufferSize => 0;

        internal SmtpClientSession Session(IConnection connection, SmtpClientOptions? options = null, ITlsProvider? tls = null,
            int dataBufferSize = 1024, ILog? log = null)
        {
            return ClientHarness.Session(connection, options, tls, dataBufferSize, log, BufferSize);
        }
    }

    internal static class ClientHarness
    {
        public static SmtpClientOptions FastOptions() => new SmtpClientOptions
        {
            HeloName = "gw.test",
            GreetingTimeoutMs = 3000,
            CommandTimeoutMs = 3000,
            MailTimeoutMs = 3000,
            RcptTimeoutMs = 3000,
            DataInitTimeoutMs = 3000,
            DataBlockTimeoutMs = 3000,
            DataTerminationTimeoutMs = 3000,
            TlsHandshakeTimeoutMs = 3000,
        };

        /// <summary>A session; <paramref name="bufferSize"/> &gt; 0 makes every buffer that size at most, as pool buffers.</summary>
        public static SmtpClientSession Session(IConnection connection, SmtpClientOptions? options = null, ITlsProvider? tls = null,
            int sendBufferSize = 2048, ILog? log = null, int bufferSize = 0)
        {
            return new SmtpClientSession(connection, tls, "mx.test", options ?? FastOptions(),
                new byte[bufferSize > 0 ? bufferSize : 1024], new byte[bufferSize > 0 && sendBufferSize > bufferSize ? bufferSize : sendBufferSize],
                new SystemClock(), log ?? new NanoMailGateway.SelfTest.QuietLog(true), 1);
        }

        public static NanoMailGateway.Core.Queue.EnvelopeRecipient[] Rcpts(params string[] addresses)
        {
            var r = new NanoMailGateway.Core.Queue.EnvelopeRecipient[addresses.Length];
            for (int i = 0; i < r.Length; i++) r[i] = new NanoMailGateway.Core.Queue.EnvelopeRecipient(addresses[i], false, NanoMailGateway.Core.Queue.DsnNotify.Unspecified, null);
            return r;
        }

        public static string Outcomes(DeliveryResult r)
        {
            var parts = new List<string>();
            foreach (DeliveryStatus s in r.Statuses) parts.Add(s.Outcome + ":" + s.ReplyCode + ":" + s.EnhancedCode);
            return string.Join(" ", parts);
        }
    }
}
