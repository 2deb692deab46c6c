// Runs SmtpServerSession over an in-memory connection for transcript tests: the
// client side is a pair of MemoryPipes the test drives directly, so it can half-close
// (end of input) and still read every reply.

using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Tests.Support;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public sealed class SetTrustedNetworks : ITrustedNetworks
    {
        private readonly HashSet<string> _addresses;
        public SetTrustedNetworks(params string[] addresses) { _addresses = new HashSet<string>(addresses); }
        public bool Contains(string ipAddress) => _addresses.Contains(ipAddress);
    }

    /// <summary>
    /// Base of the SMTP server transcript test classes: they build their harness here, so
    /// each class runs with the default pool and again, as a subclass (SmallBufferSmtpTests),
    /// with 512-octet pool buffers, the smallest buffer_size.
    /// </summary>
    public abstract class SmtpTranscriptTests
    {
        /// <summary>Bytes per pool buffer of the harnesses this class builds.</summary>
        protected virtual int BufferSize => SmtpHarness.DefaultBufferSize;

        protected SmtpHarness NewHarness(bool withAccount = true) => new SmtpHarness(withAccount, BufferSize);
    }

    public sealed class SmtpHarness
    {
        public const string Untrusted = "198.51.100.7";
        public const int DefaultBufferSize = 2048;
        public const string TrustedAddress = "192.168.1.20";

        public SmtpServerOptions Options { get; } = new SmtpServerOptions
        {
            HostName = "gw.example.net",
            LocalDomains = new[] { "gw.example.net", "local.example" },
            MessageSizeLimit = 10000,
            MaxRecipients = 5,
            CommandTimeoutMs = 5000,
            DataTimeoutMs = 5000,
            SendTimeoutMs = 5000,
        };

        public TinyMessageStore Store { get; } = new TinyMessageStore();

        /// <summary>The queue the server writes to when not <see cref="Store"/> (e.g. a real MessageStore).</summary>
        public IMessageStore? Queue { get; set; }
        public BufferPool Pool { get; set; }
        public QuietLog Log { get; } = new QuietLog(true);
        public AccountDirectory Accounts { get; } = new AccountDirectory();
        public ITlsProvider? Tls { get; set; } = new MemoryTlsProvider(true, false);
        public StepClock Clock { get; } = new StepClock();

        /// <summary>Shared by every server this harness creates: failed AUTH waits 10 ms, doubling to 40 ms.</summary>
        public AuthThrottle Throttle { get; }

        public SmtpHarness(bool withAccount = true, int bufferSize = DefaultBufferSize)
        {
            Pool = new BufferPool("smtp", bufferSize, 12);
            Throttle = new AuthThrottle(Clock, 10, 40, 16, 60_000);
            if (withAccount) Accounts.Add("alice", "s3cret");
        }

        public SmtpServer CreateServer() => new SmtpServer(Options, Queue ?? Store, Pool, Tls, new SetTrustedNetworks(TrustedAddress), Accounts, Throttle, Clock, Log);

        /// <summary>Sends <paramref name="input"/> in pieces of <paramref name="chunk"/> bytes (0 = all at once),
        /// ends the input, and returns everything the server wrote until it closed.</summary>
        public string Transcript(string input, string clientAddress = Untrusted, int chunk = 0)
        {
            return Transcript(Encoding.Latin1.GetBytes(input), clientAddress, chunk);
        }

        public string Transcript(byte[] input, string clientAddress = Untrusted, int chunk = 0)
        {
            using var client = Connect(clientAddress);
            try
            {
                if (chunk <= 0) client.SendRaw(input);
                else
                {
                    for (int i = 0; i < input.Length; i += chunk)
                    {
                        client.SendRaw(input.AsSpan(i, Math.Min(chunk, input.Length - i)).ToArray());
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // the server hung up before reading everything (error limit): that is what some tests want
            }
            client.EndInput();
            return client.ReadToEnd();
        }

        /// <summary>Starts a session on its own thread and returns the client end.</summary>
        public SmtpClientEnd Connect(string clientAddress = Untrusted)
        {
            var toServer = new MemoryPipe(MemoryConnection.DefaultCapacity);
            var toClient = new MemoryPipe(MemoryConnection.DefaultCapacity);
            var serverEnd = new MemoryConnection(toServer, toClient, clientAddress, 40000, "192.0.2.1", false);
            SmtpServerSession? session = CreateServer().CreateSession(serverEnd, 1);
            if (session == null) throw new InvalidOperationException("no buffers");
            var thread = new Thread(session.Run) { IsBackground = true };
            thread.Start();
            return new SmtpClientEnd(toServer, toClient, thread, session);
        }

        /// <summary>Reply codes of a transcript in order ("220", "250", ...), one per reply (multi-line collapsed).</summary>
        public static string[] Codes(string transcript)
        {
            var codes = new List<string>();
            foreach (string line in transcript.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length >= 4 && line[3] == ' ') codes.Add(line.Substring(0, 3));
            }
            return codes.ToArray();
        }

        public static string CodeString(string transcript) => string.Join(" ", Codes(transcript));
    }

    public sealed class SmtpClientEnd : IDisposable
    {
        private readonly MemoryPipe _toServer;
        private readonly MemoryPipe _toClient;
        private readonly byte[] _buf = new byte[65536];
        private readonly StringBuilder _pending = new StringBuilder();

        public SmtpClientEnd(MemoryPipe toServer, MemoryPipe toClient, Thread thread, SmtpServerSession session)
        {
            _toServer = toServer;
            _toClient = toClient;
            Thread = thread;
            Session = session;
        }

        public Thread Thread { get; }
        public SmtpServerSession Session { get; }

        public void Send(string s) => SendRaw(Encoding.Latin1.GetBytes(s));

        public void SendRaw(byte[] b)
        {
            if (!_toServer.Write(b, 0, b.Length, 10000)) throw new InvalidOperationException("server stopped reading");
        }

        public void EndInput() => _toServer.Close();

        /// <summary>Reads one complete reply (all its lines), or null when the server closed.</summary>
        public string? ReadReply(int timeoutMs = 10000)
        {
            while (true)
            {
                string s = _pending.ToString();
                int start = 0;
                while (true)
                {
                    int eol = s.IndexOf("\r\n", start, StringComparison.Ordinal);
                    if (eol < 0) break;
                    string line = s.Substring(start, eol - start);
                    start = eol + 2;
                    if (line.Length < 4 || line[3] != '-')
                    {
                        _pending.Remove(0, start);
                        return s.Substring(0, start - 2);
                    }
                }
                int n = _toClient.Read(_buf, 0, _buf.Length, timeoutMs);
                if (n == -1) throw new TimeoutException("no reply within " + timeoutMs + " ms; have: " + s);
                if (n == 0) return null;
                _pending.Append(Encoding.Latin1.GetString(_buf, 0, n));
            }
        }

        /// <summary>Sends a command line and returns its reply.</summary>
        public string Command(string line)
        {
            Send(line + "\r\n");
            return ReadReply() ?? "(closed)";
        }

        public string ReadToEnd(int timeoutMs = 15000)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                int left = timeoutMs - (int)sw.ElapsedMilliseconds;
                if (left <= 0) throw new TimeoutException("server did not close; have: " + _pending);
                int n = _toClient.Read(_buf, 0, _buf.Length, left);
                if (n == 0) break;
                if (n > 0) _pending.Append(Encoding.Latin1.GetString(_buf, 0, n));
            }
            if (!Thread.Join(5000)) throw new TimeoutException("session thread did not end");
            string all = _pending.ToString();
            _pending.Clear();
            return all;
        }

        /// <summary>True when the server closed within the timeout (reads and drops what is left).</summary>
        public bool WaitClosed(int timeoutMs)
        {
            try { ReadToEnd(timeoutMs); return true; } catch (TimeoutException) { return false; }
        }

        public void Dispose()
        {
            _toServer.Close();
            _toClient.Close();
            Thread.Join(5000);
        }
    }
}
