// The POP3 server's shared state and the entry point for one session:
// - the exclusive-access lock per maildrop (RFC 1939 §8: one session per mailbox; a
//   second login gets "-ERR [IN-USE]", RFC 2449 §8.1.1), released when a session ends
//   for any reason (QUIT, drop, timeout, exception);
// - the per-address memory of failed logins that makes the "-ERR [AUTH]" delay grow
//   across sessions, bounded to Options.AuthFailureAddresses entries;
// - buffer renting: a session takes its two buffers from the pool or is refused.
// The listener loop (Core/Listener) accepts connections and calls Serve on a session
// thread; when all slots are taken it sends Pop3Replies.TooManySessions itself.
// Left out on purpose: the accept loop (Core/Listener) and the account directory.

using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>POP3 server state shared by its sessions. Thread-safe.</summary>
    public sealed class Pop3Server
    {
        /// <summary>
        /// Smallest pool buffer a session accepts: a 255-octet command line plus read-ahead
        /// for pipelined commands, and a SASL PLAIN response (RFC 5034 §4 lets it exceed 255).
        /// </summary>
        public const int MinBufferSize = 512;

        /// <summary>Buffers a session rents from the pool (<see cref="Serve"/>): input and output (LineChannel).</summary>
        public const int BuffersPerSession = 2;

        private readonly object _gate = new object();
        private readonly string?[] _locked;          // locked mailbox names, null = free slot
        private readonly string?[] _failedAddress;   // remote addresses with recent failures
        private readonly int[] _failures;
        private readonly long[] _lastFailureMs;
        private int _nextSession;

        /// <summary>
        /// Makes the server. <paramref name="pool"/> buffers must be at least
        /// <see cref="MinBufferSize"/> octets; each session rents two. <paramref name="tls"/>
        /// may be null (no STLS).
        /// </summary>
        public Pop3Server(Pop3ServerOptions options, IMaildropStore store, IMailboxAuthenticator authenticator,
            ITlsProvider? tls, BufferPool pool, IClock clock, ILog log)
        {
            if (pool.BufferSize < MinBufferSize) throw new System.ArgumentException("POP3 needs pool buffers of at least 512 octets", "pool");
            Options = options;
            Store = store;
            Authenticator = authenticator;
            Tls = tls;
            Pool = pool;
            Clock = clock;
            Log = log;
            // At most one lock per buffer pair: a session without buffers never logs in.
            _locked = StringArray.New(pool.Capacity / 2 + 1);
            int n = options.AuthFailureAddresses < 1 ? 1 : options.AuthFailureAddresses;
            _failedAddress = StringArray.New(n);
            _failures = new int[n];
            _lastFailureMs = new long[n];
        }

        internal Pop3ServerOptions Options { get; }
        internal IMaildropStore Store { get; }
        internal IMailboxAuthenticator Authenticator { get; }
        internal ITlsProvider? Tls { get; }
        internal BufferPool Pool { get; }
        internal IClock Clock { get; }
        internal ILog Log { get; }

        /// <summary>Mailboxes locked right now (for tests and the status verb).</summary>
        public int LockedCount
        {
            get
            {
                lock (_gate)
                {
                    int c = 0;
                    for (int i = 0; i < _locked.Length; i++) if (_locked[i] != null) c++;
                    return c;
                }
            }
        }

        /// <summary>
        /// Runs one whole session on the calling thread and closes <paramref name="connection"/>
        /// at its end. Never throws for network or storage failures.
        /// </summary>
        public void Serve(IConnection connection)
        {
            int id = Interlocked.Increment(ref _nextSession);
            byte[][]? buffers = Pool.TryRentSet(BuffersPerSession);
            if (buffers == null)
            {
                // ARCHITECTURE.md, Memory: refuse rather than allocate.
                Log.Write("pop3d", id, "refused " + connection.RemoteAddress + ": no buffers (" + Pool.Describe() + ")");
                // The reply's bytes are made here, per refusal, not kept from boot (ARCHITECTURE.md, Memory).
                ConnectionListener.SendBusyLine(connection, Ascii.GetBytes(Pop3Replies.OutOfBuffers), Options.SendTimeoutMs);
                return;
            }
            try
            {
                Pop3ServerSession session = new Pop3ServerSession(this, connection, buffers[0], buffers[1], id);
                session.Run();
            }
            finally
            {
                Pool.ReturnSet(buffers);
            }
        }

        /// <summary>Takes the exclusive lock of <paramref name="mailbox"/> (names compare ignoring ASCII case). False when held.</summary>
        internal bool TryLock(string mailbox)
        {
            lock (_gate)
            {
                int free = -1;
                for (int i = 0; i < _locked.Length; i++)
                {
                    string? m = _locked[i];
                    if (m == null) { if (free < 0) free = i; continue; }
                    if (Ascii.EqualsIgnoreCase(m, mailbox)) return false;
                }
                if (free < 0) return false;
                _locked[free] = mailbox;
                return true;
            }
        }

        /// <summary>Releases a lock taken with <see cref="TryLock"/>.</summary>
        internal void Unlock(string mailbox)
        {
            lock (_gate)
            {
                for (int i = 0; i < _locked.Length; i++)
                {
                    string? m = _locked[i];
                    if (m != null && Ascii.EqualsIgnoreCase(m, mailbox)) { _locked[i] = null; return; }
                }
            }
        }

        /// <summary>Counts a failed login from <paramref name="address"/>; returns its recent failures, this one included.</summary>
        internal int RecordFailure(string address)
        {
            long now = Clock.MonotonicMilliseconds;
            lock (_gate)
            {
                int slot = -1;
                int oldest = -1;  // a free entry, else the least recently failing one
                for (int i = 0; i < _failedAddress.Length; i++)
                {
                    if (_failedAddress[i] == address) { slot = i; break; }
                    if (oldest >= 0 && _failedAddress[oldest] == null) continue;
                    if (oldest < 0 || _failedAddress[i] == null || _lastFailureMs[i] < _lastFailureMs[oldest]) oldest = i;
                }
                if (slot < 0)
                {
                    // Bounded table: the least recently failing address is forgotten.
                    slot = oldest;
                    _failedAddress[slot] = address;
                    _failures[slot] = 0;
                }
                else if (now - _lastFailureMs[slot] > Options.AuthFailureMemoryMs)
                {
                    _failures[slot] = 0;
                }
                if (_failures[slot] < 1000) _failures[slot]++;
                _lastFailureMs[slot] = now;
                return _failures[slot];
            }
        }

        /// <summary>Forgets the failures of <paramref name="address"/> after a good login.</summary>
        internal void RecordSuccess(string address)
        {
            lock (_gate)
            {
                for (int i = 0; i < _failedAddress.Length; i++)
                {
                    if (_failedAddress[i] == address) { _failedAddress[i] = null; _failures[i] = 0; return; }
                }
            }
        }

        /// <summary>Delay in milliseconds before the reply to the <paramref name="failures"/>-th failed login: base × 2^(n-1), capped.</summary>
        internal int FailureDelayMs(int failures)
        {
            long d = Options.AuthFailureDelayMs;
            for (int i = 1; i < failures && d < Options.MaxAuthFailureDelayMs; i++) d *= 2;
            if (d > Options.MaxAuthFailureDelayMs) d = Options.MaxAuthFailureDelayMs;
            return (int)d;
        }
    }
}
