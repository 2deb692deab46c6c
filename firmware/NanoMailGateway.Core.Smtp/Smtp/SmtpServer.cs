// The SMTP listener's shared part: settings, the queue, the buffer pool and the seams,
// and the ISessionFactory that the reusable ConnectionListener calls. A session rents
// all its buffers at once (input and replies; DATA goes straight into the queue writer's
// own buffer) or is refused with 421 4.3.2 (ARCHITECTURE.md, Memory).

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Creates SMTP server sessions. Thread-safe.</summary>
    public sealed class SmtpServer : ISessionFactory
    {
        /// <summary>Buffers a session rents: input and replies (MessageSink puts DATA into the queue writer's buffer).</summary>
        public const int BuffersPerSession = 2;

        /// <summary>
        /// Smallest pool buffer: one full command line (RFC 5321 §4.5.3.1.4, 512 octets with
        /// CRLF). DSN is advertised only when the input buffer also holds the longer MAIL and
        /// RCPT lines it allows (<see cref="SmtpLineLimits.DsnRcptLine"/>); a reply that does not
        /// fit the reply buffer is sent on its own; DATA is streamed byte by byte (DotReader),
        /// so a 1000-octet text line never has to fit a buffer.
        /// </summary>
        public const int MinBufferSize = SmtpLineLimits.CommandLine;

        /// <summary>Send deadline for the busy line to a refused connection, ms.</summary>
        public const int RefuseSendTimeoutMs = 2000;

        /// <summary>Creates the server.</summary>
        /// <param name="options">Settings (not changed afterwards).</param>
        /// <param name="store">The queue.</param>
        /// <param name="pool">Session buffers; each at least <see cref="MinBufferSize"/> bytes.</param>
        /// <param name="tls">TLS for STARTTLS, or null for none.</param>
        /// <param name="trusted">Networks that may relay without AUTH.</param>
        /// <param name="accounts">AUTH accounts (empty: AUTH not offered).</param>
        /// <param name="throttle">The gateway's failed-authentication throttle (shared with POP3 and IMAP).</param>
        /// <param name="clock">Time for Received:/Date:.</param>
        /// <param name="log">Event log.</param>
        public SmtpServer(SmtpServerOptions options, IMessageStore store, BufferPool pool, ITlsProvider? tls,
            ITrustedNetworks trusted, AccountDirectory accounts, AuthThrottle throttle, IClock clock, ILog log)
            : this(options, store, pool, tls, trusted, accounts, throttle, null, clock, log)
        {
        }

        /// <summary>Creates the server with a check of local recipients at RCPT.</summary>
        /// <param name="options">Settings (not changed afterwards).</param>
        /// <param name="store">The queue.</param>
        /// <param name="pool">Session buffers; each at least <see cref="MinBufferSize"/> bytes.</param>
        /// <param name="tls">TLS for STARTTLS, or null for none.</param>
        /// <param name="trusted">Networks that may relay without AUTH.</param>
        /// <param name="accounts">AUTH accounts (empty: AUTH not offered).</param>
        /// <param name="throttle">The gateway's failed-authentication throttle (shared with POP3 and IMAP).</param>
        /// <param name="localRecipients">Which local mailboxes exist and have room; null accepts every local recipient.</param>
        /// <param name="clock">Time for Received:/Date:.</param>
        /// <param name="log">Event log.</param>
        public SmtpServer(SmtpServerOptions options, IMessageStore store, BufferPool pool, ITlsProvider? tls,
            ITrustedNetworks trusted, AccountDirectory accounts, AuthThrottle throttle, ILocalRecipients? localRecipients, IClock clock, ILog log)
        {
            if (pool.BufferSize < MinBufferSize) throw new System.ArgumentException("SMTP session buffers must be at least 512 bytes", "pool");
            Options = options;
            Store = store;
            Pool = pool;
            Tls = tls;
            Trusted = trusted;
            Accounts = accounts;
            Throttle = throttle;
            LocalRecipients = localRecipients;
            Clock = clock;
            Log = log;
            Relay = new RelayPolicy(options.LocalDomains);
            Share = options.ClientQueueSharePercent < 100 ? store as IClientShare : null;
            Rates = options.ClientMessageRateLimit > 0 ? new ClientRateTable(options.ClientRateSlots, options.ClientMessageRateLimit) : null;
            Greeting = "220 " + options.HostName + " ESMTP NanoMailGateway";
        }

        /// <inheritdoc/>
        public string Component => "smtpd";

        internal SmtpServerOptions Options { get; }
        internal IMessageStore Store { get; }

        /// <summary>The store's per-client share, when it can tell and smtpd_client_queue_share is below 100.</summary>
        internal IClientShare? Share { get; }

        /// <summary>Per-client message counters, when smtpd_client_message_rate_limit is on.</summary>
        internal ClientRateTable? Rates { get; }
        internal BufferPool Pool { get; }
        internal ITlsProvider? Tls { get; }
        internal ITrustedNetworks Trusted { get; }
        internal AccountDirectory Accounts { get; }
        internal AuthThrottle Throttle { get; }
        internal ILocalRecipients? LocalRecipients { get; }
        internal IClock Clock { get; }
        internal ILog Log { get; }
        internal RelayPolicy Relay { get; }
        internal string Greeting { get; }

        /// <inheritdoc/>
        public ISession? TryCreate(IConnection connection, int sessionId)
        {
            byte[][]? buffers = Pool.TryRentSet(BuffersPerSession);
            if (buffers == null) return null;
            return new SmtpServerSession(this, connection, sessionId, buffers);
        }

        /// <summary>Creates a session directly (tests, the self-test); null when no buffers are free.</summary>
        public SmtpServerSession? CreateSession(IConnection connection, int sessionId)
        {
            return (SmtpServerSession?)TryCreate(connection, sessionId);
        }

        /// <inheritdoc/>
        public void Refuse(IConnection connection)
        {
            // RFC 5321 §3.1: 421 instead of 220. No reply buffer here: a short-lived array.
            ConnectionListener.SendBusyLine(connection, SmtpReply.GetBytes(SmtpReplies.TooBusy), RefuseSendTimeoutMs);
        }
    }
}
