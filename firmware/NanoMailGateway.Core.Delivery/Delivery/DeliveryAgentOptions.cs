// Settings of the delivery agent, built from the configuration by From():
// relayhost and its security/AUTH, smtp_port for MX delivery, the retry schedule,
// delivery_sessions and mailbox_quota of the board, and the client timeouts.
// The CA of relay_ca_file is not here: the ITlsProvider handed to the agent was made
// with it (the host adapter HostTlsProvider takes the CA path).

using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Settings of <see cref="DeliveryAgent"/>. Set before the agent is made; not changed afterwards.</summary>
    public sealed class DeliveryAgentOptions
    {
        /// <summary>Our host name: EHLO, Reporting-MTA, MAILER-DAEMON@.</summary>
        public string HostName { get; set; } = "localhost";

        /// <summary>The smarthost host name or IPv4 address (relayhost), or null for MX delivery.</summary>
        public string? RelayHost { get; set; }

        /// <summary>The smarthost port.</summary>
        public int RelayPort { get; set; } = 25;

        /// <summary>Look up MX records for the relayhost ("host" rather than "[host]").</summary>
        public bool RelayHostMxLookup { get; set; }

        /// <summary>TLS towards the smarthost (relay_security).</summary>
        public RelaySecurity RelaySecurity { get; set; } = RelaySecurity.None;

        /// <summary>AUTH user for the smarthost, or null for none.</summary>
        public string? RelayUser { get; set; }

        /// <summary>AUTH password for the smarthost.</summary>
        public string? RelayPassword { get; set; }

        /// <summary>Port of MX delivery (smtp_port; 25 in production, the sink's port in tests).</summary>
        public int SmtpPort { get; set; } = 25;

        /// <summary>TCP connect deadline, ms (Postfix smtp_connect_timeout: 30 s).</summary>
        public int ConnectTimeoutMs { get; set; } = 30 * 1000;

        /// <summary>Longest single wait (a reply, a send, a connect) of a delivery session, and the
        /// longest one destination starts new messages or addresses, while mail for other
        /// destinations is due, ms (head-of-line, README "Delivery"; WaitLimit). Default 10 s: a
        /// healthy server answers each step in well under a second.</summary>
        public int DestinationTurnMs { get; set; } = 10 * 1000;

        /// <summary>Outbound sessions running at once (board delivery_sessions). 1..8.</summary>
        public int Sessions { get; set; } = 1;

        /// <summary>How long a worker keeps a delivered-to connection open for new mail, ms; 0 = off (RemoteDelivery, connection cache).</summary>
        public int ConnectionCacheMs { get; set; } = 2000;

        /// <summary>Octets one local mailbox may hold (board mailbox_quota); 0 = no limit.</summary>
        public long MailboxQuota { get; set; } = 64 * 1024;

        /// <summary>How long a destination that could not be reached is skipped, ms
        /// (Postfix: "delivery temporarily suspended"). Default 5 min.</summary>
        public long DeadDestinationMs { get; set; } = 5L * 60 * 1000;

        /// <summary>Destinations remembered as dead at once (oldest forgotten first).</summary>
        public int DeadDestinationEntries { get; set; } = 16;

        /// <summary>Messages one session takes per batch (one connection carries them all).</summary>
        public int MessagesPerBatch { get; set; } = 16;

        /// <summary>Longest idle sleep between looks at the queue, ms (new mail wakes it sooner).</summary>
        public int IdleWaitMs { get; set; } = 60 * 1000;

        /// <summary>First wait before the store is reopened after a storage fault, ms; doubled per failed reopen up to a minute.</summary>
        public int StorageRetryMs { get; set; } = 1000;

        /// <summary>Failed reopens in a row after which delivery stops and the board reboots (the last resort, README, Storage faults).</summary>
        public int StorageReopenLimit { get; set; } = 10;

        /// <summary>Backoff, expiry and delay warning.</summary>
        public RetryOptions Retry { get; set; } = new RetryOptions();

        /// <summary>Client timeouts and limits, the one SmtpClientOptions of the run, shared by every
        /// delivery session; its TlsMode, VerifyCertificate, User and Password are not used: the
        /// agent sets them on each session from the fields above (RemoteDelivery).</summary>
        public SmtpClientOptions Client { get; set; } = new SmtpClientOptions();

        /// <summary>Bounce composer settings.</summary>
        public DsnComposerOptions Dsn { get; set; } = new DsnComposerOptions();

        /// <summary>The options for <paramref name="config"/>.</summary>
        public static DeliveryAgentOptions From(GatewayConfig config)
        {
            DeliveryAgentOptions o = new DeliveryAgentOptions();
            o.HostName = config.Hostname;
            if (config.RelayHost != null)
            {
                o.RelayHost = config.RelayHost.Host;
                o.RelayPort = config.RelayHost.Port;
            }
            o.RelayHostMxLookup = config.RelayHostMxLookup;
            o.RelaySecurity = config.RelaySecurity;
            o.RelayUser = config.RelayUser.Length == 0 ? null : config.RelayUser;
            o.RelayPassword = config.RelayPassword;
            o.SmtpPort = config.SmtpPort;
            o.ConnectionCacheMs = config.ConnectionCacheSeconds * 1000;
            o.Sessions = config.Board.DeliverySessions < 1 ? 1 : config.Board.DeliverySessions;
            o.MailboxQuota = config.Board.MailboxQuota;
            o.Retry.RetryMinMs = config.RetryMinSeconds * 1000L;
            o.Retry.RetryMaxMs = config.RetryMaxSeconds * 1000L;
            o.Retry.QueueLifetimeMs = config.QueueLifetimeSeconds * 1000L;
            o.Retry.DelayWarningMs = config.DelayWarningSeconds * 1000L;
            o.DeadDestinationMs = o.Retry.RetryMinMs < o.DeadDestinationMs ? o.Retry.RetryMinMs : o.DeadDestinationMs;
            o.Client.HeloName = config.Hostname;
            o.Dsn.HostName = config.Hostname;
            return o;
        }
    }
}
