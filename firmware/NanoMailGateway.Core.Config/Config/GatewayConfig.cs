// The gateway's settings as typed values, with their defaults and the reason for each
// (ARCHITECTURE.md, Settings: every setting has a name, a default and a reason). Filled in layers by
// ConfigParser: these defaults < the board profile < the config file, then checked as a
// whole by ConfigValidator. Modules get their values through their Options classes;
// nothing here is static.
// Durations are in seconds, sizes in bytes.

using System.Collections;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Config
{
    /// <summary>All settings. Not thread-safe while being parsed; treat as read-only once the gateway starts.</summary>
    public sealed class GatewayConfig
    {
        /// <summary>Most user.NAME accounts: each costs RAM and a mailbox on flash.</summary>
        public const int MaxAccounts = 32;

        /// <summary>Most alias.NAME entries.</summary>
        public const int MaxAliases = 32;

        private readonly ArrayList _accounts = new ArrayList();
        private ArrayList? _aliases;   // made at the first alias: most gateways have none, and the board's heap is tight
        private readonly ArrayList _origins = new ArrayList();

        /// <summary>The board's limits (layered like the rest).</summary>
        public BoardProfile Board { get; } = new BoardProfile();

        /// <summary>hostname: our name in HELO/EHLO, the 220 greeting, Received: and bounces. A placeholder: set the name the MX hosts can resolve.</summary>
        public string Hostname { get; set; } = "nmg.localdomain";

        /// <summary>local_domains: domains delivered to local mailboxes besides the hostname and "localhost".</summary>
        public string[] LocalDomains { get; set; } = StringArray.New(0);

        /// <summary>smtp_listen: SMTP listen sockets; loopback by default so a fresh start relays for no one outside.</summary>
        public Endpoint[] SmtpListen { get; set; } = new Endpoint[] { new Endpoint("127.0.0.1", 2525) };

        /// <summary>pop3_listen: POP3 listen sockets (empty = no POP3).</summary>
        public Endpoint[] Pop3Listen { get; set; } = new Endpoint[] { new Endpoint("127.0.0.1", 1110) };

        /// <summary>
        /// imap_listen: IMAP listen sockets; empty (the default) = no IMAP (needs imap_sessions).
        /// Unset, no array is kept: an empty one is made when asked (ARCHITECTURE.md, Memory).
        /// </summary>
        public Endpoint[] ImapListen
        {
            get { return _imapListen ?? new Endpoint[0]; }
            set { _imapListen = value; }
        }

        private Endpoint[]? _imapListen;

        /// <summary>admin_listen: the HTTP admin endpoint's socket (README, Admin endpoint); null = off, the default
        /// (no object made: this config lives on the board's heap for the whole run).</summary>
        public Endpoint? AdminListen { get; set; }

        /// <summary>syslog_server: where every log line also goes as RFC 5424 over UDP (README, Remote syslog); null = nowhere, the default.</summary>
        public Endpoint? SyslogServer { get; set; }

        /// <summary>trusted_networks: clients that may relay without AUTH; loopback only, so the gateway is never an open relay by default.</summary>
        public NetworkList TrustedNetworks { get; set; } = new NetworkList(new Cidr[] { Cidr.Parse("127.0.0.0/8")!, Cidr.Parse("::1")! });

        /// <summary>relayhost: null = deliver by MX lookup; otherwise the smarthost (Postfix syntax: "[host]:port" skips the MX lookup).</summary>
        public Endpoint? RelayHost { get; set; }

        /// <summary>True when relayhost was written without brackets: look up the MX of that name (as Postfix does).</summary>
        public bool RelayHostMxLookup { get; set; }

        /// <summary>relay_security: none, starttls (required) or tls (implicit); none by default because most MX hosts on port 25 are reached without it.</summary>
        public RelaySecurity RelaySecurity { get; set; } = RelaySecurity.None;

        /// <summary>relay_user: SMTP AUTH user at the relayhost ("" = no AUTH).</summary>
        public string RelayUser { get; set; } = "";

        /// <summary>relay_password: SMTP AUTH password at the relayhost.</summary>
        public string RelayPassword { get; set; } = "";

        /// <summary>relay_ca_file: CA certificate (PEM) to verify the relayhost; the board has no built-in CA bundle.</summary>
        public string RelayCaFile { get; set; } = "";

        /// <summary>dns_servers: resolvers to query; empty = the host's resolv.conf (DHCP-provided servers on the board).</summary>
        public Endpoint[] DnsServers { get; set; } = new Endpoint[0];

        /// <summary>smtp_port: port used when delivering to an MX; 25, the SMTP port (RFC 5321 §4.5.4.2).</summary>
        public int SmtpPort { get; set; } = 25;

        /// <summary>retry_min: first retry interval; at least 30 minutes by default (RFC 5321 §4.5.4.1).</summary>
        public int RetryMinSeconds { get; set; } = 30 * 60;

        /// <summary>retry_max: longest backoff between attempts; 4h keeps a long outage from delaying mail by a day.</summary>
        public int RetryMaxSeconds { get; set; } = 4 * 3600;

        /// <summary>queue_lifetime: give up and bounce after this; 5 days (RFC 5321 §4.5.4.1: at least 4-5 days).</summary>
        public int QueueLifetimeSeconds { get; set; } = 5 * 86400;

        /// <summary>delay_warning: send a delay notice (RFC 3464 action=delayed) after this; 0 = never.</summary>
        public int DelayWarningSeconds { get; set; } = 4 * 3600;

        /// <summary>
        /// How long delivery keeps a connection open for more mail to the same destination
        /// (Postfix's smtp_connection_cache_time_limit); 0 = QUIT after each batch.
        /// </summary>
        public int ConnectionCacheSeconds { get; set; } = 2;

        /// <summary>message_size_limit: largest message accepted (SIZE, RFC 1870); 10240000 as in Postfix, which every board profile lowers to fit its flash.</summary>
        public int MessageSizeLimit { get; set; } = 10240000;

        /// <summary>max_recipients: RCPT TO per transaction; 100 (RFC 5321 §4.5.3.1.8); small boards lower it and answer 452 (§4.5.3.1.10).</summary>
        public int MaxRecipients { get; set; } = 100;

        /// <summary>smtpd_client_queue_share: percent of the queue (entries and bytes) one client address may hold; 100 = no limit.
        /// Half by default, so one flapping sensor leaves room for every other device's alarm (452 4.3.1 beyond it).</summary>
        public int ClientQueueSharePercent { get; set; } = 50;

        /// <summary>smtpd_client_message_rate_limit: messages per minute from one client address, 0 = no limit (as in Postfix);
        /// beyond it MAIL gets 450 4.7.1.</summary>
        public int ClientMessageRateLimit { get; set; }

        /// <summary>postmaster: the local account that receives postmaster@ mail and failed bounces (RFC 5321 §4.5.1).</summary>
        public string Postmaster { get; set; } = "postmaster";

        /// <summary>notify_to: who gets the gateway's own notices (README, Notices): account names (a local
        /// mailbox, name@hostname) or full addresses; null or empty = the postmaster's mailbox, as the capacity notice
        /// always went. Null by default: no array is made for a key that is not set (ARCHITECTURE.md, Memory).</summary>
        public string[]? NotifyTo { get; set; }

        /// <summary>notify_interval: at most one health notice of a kind this often; events in between are
        /// counted into the next one, so a flapping condition sends one notice an hour, not hundreds.</summary>
        public int NotifyIntervalSeconds { get; set; } = 3600;

        /// <summary>smtp_tls_cert: server certificate (PEM) for STARTTLS; "" = STARTTLS not offered.</summary>
        public string SmtpTlsCert { get; set; } = "";

        /// <summary>smtp_tls_key: private key (PEM) for smtp_tls_cert.</summary>
        public string SmtpTlsKey { get; set; } = "";

        /// <summary>smtp_command_timeout: wait for the next SMTP command; 5 minutes (RFC 5321 §4.5.3.2.7).</summary>
        public int SmtpCommandTimeoutSeconds { get; set; } = 5 * 60;

        /// <summary>smtp_data_timeout: wait for more message content during DATA; 10 minutes, the client's own DATA termination timeout (RFC 5321 §4.5.3.2.6), so a slow sensor is not cut off first.</summary>
        public int SmtpDataTimeoutSeconds { get; set; } = 10 * 60;

        /// <summary>pop3_autologout: idle POP3 session limit; 10 minutes, the RFC minimum (RFC 1939 §3).</summary>
        public int Pop3AutologoutSeconds { get; set; } = 10 * 60;

        /// <summary>smtp_allow_plaintext_auth: offer AUTH without TLS; no, so passwords do not cross the LAN in clear (RFC 4954 §4).</summary>
        public bool SmtpAllowPlaintextAuth { get; set; }

        /// <summary>Number of accounts.</summary>
        public int AccountCount => _accounts.Count;

        /// <summary>The account at <paramref name="index"/> (0..AccountCount-1).</summary>
        public Account GetAccount(int index)
        {
            return (Account)_accounts[index]!;
        }

        /// <summary>The account with this name (ASCII case ignored), or null.</summary>
        public Account? FindAccount(string name)
        {
            for (int i = 0; i < _accounts.Count; i++)
            {
                Account a = (Account)_accounts[i]!;
                if (Text.Ascii.EqualsIgnoreCase(a.Name, name)) return a;
            }
            return null;
        }

        /// <summary>Adds an account or replaces the secret of one with the same name. Returns false when MaxAccounts is reached.</summary>
        public bool SetAccount(string name, string secret)
        {
            for (int i = 0; i < _accounts.Count; i++)
            {
                if (Text.Ascii.EqualsIgnoreCase(((Account)_accounts[i]!).Name, name))
                {
                    _accounts[i] = new Account(name, secret);
                    return true;
                }
            }
            if (_accounts.Count >= MaxAccounts) return false;
            _accounts.Add(new Account(name, secret));
            return true;
        }

        /// <summary>Number of aliases.</summary>
        public int AliasCount => _aliases == null ? 0 : _aliases.Count;

        /// <summary>The alias at <paramref name="index"/> (0..AliasCount-1).</summary>
        public Alias GetAlias(int index)
        {
            return (Alias)_aliases![index]!;
        }

        /// <summary>The alias with this name (ASCII case ignored), or null.</summary>
        public Alias? FindAlias(string name)
        {
            if (_aliases == null) return null;
            for (int i = 0; i < _aliases.Count; i++)
            {
                Alias a = (Alias)_aliases[i]!;
                if (Text.Ascii.EqualsIgnoreCase(a.Name, name)) return a;
            }
            return null;
        }

        /// <summary>Adds an alias or replaces the targets of one with the same name. Returns false when MaxAliases is reached.</summary>
        public bool SetAlias(string name, string[] targets)
        {
            if (_aliases == null) _aliases = new ArrayList();
            for (int i = 0; i < _aliases.Count; i++)
            {
                if (Text.Ascii.EqualsIgnoreCase(((Alias)_aliases[i]!).Name, name))
                {
                    _aliases[i] = new Alias(name, targets);
                    return true;
                }
            }
            if (_aliases.Count >= MaxAliases) return false;
            _aliases.Add(new Alias(name, targets));
            return true;
        }

        /// <summary>True for a domain we deliver locally: the hostname, "localhost", or one of local_domains (ASCII case ignored).</summary>
        public bool IsLocalDomain(string domain)
        {
            if (Text.Ascii.EqualsIgnoreCase(domain, Hostname) || Text.Ascii.EqualsIgnoreCase(domain, "localhost")) return true;
            for (int i = 0; i < LocalDomains.Length; i++)
            {
                if (Text.Ascii.EqualsIgnoreCase(domain, LocalDomains[i])) return true;
            }
            return false;
        }

        /// <summary>Remembers where a key was last set, so that a whole-config check can name that line.</summary>
        internal void NoteOrigin(string key, string file, int line)
        {
            for (int i = 0; i < _origins.Count; i++)
            {
                ConfigError o = (ConfigError)_origins[i]!;
                if (o.Key == key)
                {
                    _origins[i] = new ConfigError(file, line, key, "");
                    return;
                }
            }
            _origins.Add(new ConfigError(file, line, key, ""));
        }

        /// <summary>
        /// Drops the table of where each key was set. It exists only to place validation
        /// errors at a line; once a configuration is validated and running, it would hold
        /// about 2 KB of the board's heap (one entry and one key string per key set) for
        /// nothing (ARCHITECTURE.md, Memory). Errors asked for afterwards say "defaults".
        /// </summary>
        public void ForgetOrigins()
        {
            _origins.Clear();
            _origins.Capacity = 0;
        }

        /// <summary>An error placed at the line that last set <paramref name="key"/> ("defaults" when none did).</summary>
        internal ConfigError ErrorAt(string key, string message)
        {
            for (int i = 0; i < _origins.Count; i++)
            {
                ConfigError o = (ConfigError)_origins[i]!;
                if (o.Key == key) return new ConfigError(o.File, o.Line, key, message);
            }
            return new ConfigError("defaults", 0, key, message);
        }
    }
}
