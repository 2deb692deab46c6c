// The POP3 server's shared state and the entry point for one session:
// - the exclusive-access lock per maildrop (RFC 1939 §8: one session per mailbox; a
//   second login gets "-ERR [IN-USE]", RFC 2449 §8.1.1), released when a session ends
//   for any reason (QUIT, drop, timeout, exception);
// - the gateway's AuthThrottle, which makes the "-ERR [AUTH]" delay grow per session and
//   per client address across sessions and protocols;
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
        private int _nextSession;

        /// <summary>
        /// Makes the server. <paramref name="pool"/> buffers must be at least
        /// <see cref="MinBufferSize"/> octets; each session rents two. <paramref name="tls"/>
        /// may be null (no STLS). <paramref name="throttle"/> is the gateway's, shared with
        /// SMTP and IMAP.
        /// </summary>
        public Pop3Server(Pop3ServerOptions options, IMaildropStore store, IMailboxAuthenticator authenticator, AuthThrottle throttle,
            ITlsProvider? tls, BufferPool pool, IClock clock, ILog log)
        {
            if (pool.BufferSize < MinBufferSize) throw new System.ArgumentException("POP3 needs pool buffers of at least 512 octets", "pool");
            Options = options;
            Store = store;
            Authenticator = authenticator;
            Throttle = throttle;
            Tls = tls;
            Pool = pool;
            Clock = clock;
            Log = log;
            // At most one lock per buffer pair: a session without buffers never logs in.
            _locked = StringArray.New(pool.Capacity / 2 + 1);
        }

        internal Pop3ServerOptions Options { get; }
        internal IMaildropStore Store { get; }
        internal IMailboxAuthenticator Authenticator { get; }
        internal AuthThrottle Throttle { get; }
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
    }
}
