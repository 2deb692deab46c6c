// The IMAP server's shared state and its sessions' factory for the accept loop
// (Listener/ConnectionListener, ISessionFactory): the mailbox
// store (the same MailboxStore as POP3: one source of truth), the accounts, the trusted
// networks that may log in without TLS, and buffer renting (a session takes two buffers
// from the shared pool when it starts, or says "* BYE [UNAVAILABLE]" and ends; when every
// slot is taken the listener sends the same BYE, RFC 9051 §7.1.5).
// Unlike POP3 (RFC 1939 §8), IMAP sessions share a mailbox (RFC 9051 §5.2): each keeps
// its own snapshot and learns of the others' changes through the store's change count.
// Left out on purpose: the accept loop (Listener/), the failed-login memory across
// sessions (each session doubles its own delay).

using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>IMAP server state shared by its sessions. Thread-safe.</summary>
    public sealed class ImapServer : ISessionFactory, IMailboxService
    {
        /// <summary>Buffers a session rents: command input (with its literals) and output.</summary>
        public const int BuffersPerSession = 2;

        /// <summary>Smallest pool buffer a session accepts: a LOGIN with two 200-octet strings, and half of it as a read chunk.</summary>
        public const int MinBufferSize = 512;

        /// <summary>Send deadline for the busy line to a refused connection, ms.</summary>
        public const int RefuseSendTimeoutMs = 2000;

        private int _nextSession;

        /// <summary>
        /// Makes the server for a gateway, which binds it to its mailboxes and pool at Start
        /// (<see cref="Open"/>). <paramref name="tls"/> may be null (no STARTTLS);
        /// <paramref name="trusted"/> lists the networks that may log in without TLS;
        /// <paramref name="throttle"/> is the gateway's (MailGateway.Throttle), shared with SMTP
        /// and POP3.
        /// </summary>
        public ImapServer(ImapServerOptions options, IMailboxAuthenticator authenticator, AuthThrottle throttle,
            ITlsProvider? tls, NetworkList trusted, IClock clock, ILog log)
        {
            Options = options;
            Authenticator = authenticator;
            Throttle = throttle;
            Tls = tls;
            Trusted = trusted;
            Clock = clock;
            Log = log;
        }

        /// <summary>Makes the server over <paramref name="store"/> with sessions from <paramref name="pool"/> (tests and tools).</summary>
        public ImapServer(ImapServerOptions options, MailboxStore store, IMailboxAuthenticator authenticator, AuthThrottle throttle,
            ITlsProvider? tls, NetworkList trusted, BufferPool pool, IClock clock, ILog log)
            : this(options, authenticator, throttle, tls, trusted, clock, log)
        {
            Open(store, pool);
        }

        /// <summary>Options from the configuration: the hostname in the greeting; the RFC 9051 §5.4 autologout.</summary>
        public static ImapServerOptions OptionsFrom(GatewayConfig c)
        {
            ImapServerOptions o = new ImapServerOptions();
            o.Greeting = c.Hostname + " NanoMailGateway IMAP4rev2 server ready";
            return o;
        }

        /// <inheritdoc/>
        public ISessionFactory Open(MailboxStore mailboxes, BufferPool pool)
        {
            if (pool.BufferSize < MinBufferSize) throw new System.ArgumentException("IMAP needs pool buffers of at least 512 octets", "pool");
            Store = mailboxes;
            Pool = pool;
            return this;
        }

        internal ImapServerOptions Options { get; }
        internal MailboxStore Store { get; private set; } = null!;
        internal IMailboxAuthenticator Authenticator { get; }
        internal AuthThrottle Throttle { get; }
        internal ITlsProvider? Tls { get; }
        internal NetworkList Trusted { get; }
        internal BufferPool Pool { get; private set; } = null!;
        internal IClock Clock { get; }
        internal ILog Log { get; }

        /// <inheritdoc/>
        public string Component => ImapServerSession.Component;

        /// <inheritdoc/>
        public ISession? TryCreate(IConnection connection, int sessionId)
        {
            // Buffers are rented when the session runs: TryCreate never fails and never blocks.
            return new ImapServerSession(this, connection, Interlocked.Increment(ref _nextSession));
        }

        /// <inheritdoc/>
        public void Refuse(IConnection connection)
        {
            // Made per refusal (a static byte[] would be heap from boot; ARCHITECTURE.md, Memory).
            ConnectionListener.SendBusyLine(connection, Ascii.GetBytes(ImapReplies.ByeTooManySessions), RefuseSendTimeoutMs);
        }

        /// <summary>Runs one whole session on the calling thread and closes the connection at its end (tests and tools).</summary>
        public void Serve(IConnection connection)
        {
            TryCreate(connection, 0)!.Run();
        }

        /// <summary>Rents a session's buffers, or sends the busy BYE and returns null (ARCHITECTURE.md, Memory: refuse rather than allocate).</summary>
        internal byte[][]? RentBuffers(IConnection connection, int id)
        {
            byte[][]? buffers = Pool.TryRentSet(BuffersPerSession);
            if (buffers != null) return buffers;
            Log.Write(ImapServerSession.Component, id, "refused " + connection.RemoteAddress + ": no buffers (" + Pool.Describe() + ")");
            ConnectionListener.SendBusyLine(connection, Ascii.GetBytes(ImapReplies.ByeBusy), Options.SendTimeoutMs);
            return null;
        }
    }
}
