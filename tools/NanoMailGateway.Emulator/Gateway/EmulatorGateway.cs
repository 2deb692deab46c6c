// The gateway as the emulator composes it: Core's MailGateway on host adapters, with
// the board's limits. The adapters: HostSocketNetwork (real sockets), HostFileStore on the
// data directory (fsync per flush: the queue's segment files sit at its top level, as on
// the board's flat LittleFS drive), HostTlsProvider (server side from smtp_tls_cert /
// smtp_tls_key when set, client side trusting relay_ca_file or the system's CAs),
// SystemClock, HostRandom and the Postfix-style ConsoleLog; with admin_listen set, the
// HTTP admin endpoint (Core.Admin) beside the gateway, its AdminLog between Core and the
// console so that its counters and log ring see every event.
// Like the board taking its DNS servers from DHCP, an empty dns_servers is filled from
// /etc/resolv.conf here, before Core sees the config.
// NMG_MEDIUM_SIZE (a size such as 256K) emulates the board's drive: every file in the data
// directory counts against it and a write past it fails as on a full disk (README,
// Storage faults); unset, the host disk is the limit.
// The run marker (RunMarker, README Notices) is written once started and deleted at a clean
// Stop: found at the next start, the gateway sends the unexpected-stop notice.
// Left out on purpose: everything protocol; this file only plugs adapters in.

using System;
using NanoMailGateway.Core.Admin;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Health;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Emulator.Gateway
{
    /// <summary>Starts and stops the gateway on this host. Start and Stop from one thread.</summary>
    public sealed class EmulatorGateway : IDisposable
    {
        /// <summary>Environment variable with the emulated medium's size (the board's drive), e.g. 256K.</summary>
        public const string MediumSizeVariable = "NMG_MEDIUM_SIZE";

        /// <summary>How long Stop lets running sessions finish before cutting them, ms.</summary>
        public const int StopTimeoutMs = 5000;

        /// <summary>
        /// Builds the adapters. <paramref name="dataDir"/> holds the queue.
        /// </summary>
        /// <exception cref="ArgumentException">a TLS file named in the config is missing or unusable (the message names it).</exception>
        /// <exception cref="StorageException">the data directory cannot be created.</exception>
        public EmulatorGateway(GatewayConfig config, string dataDir, IClock clock, IRandom random, ILog log)
        {
            Config = config;
            DataDirectory = dataDir;
            if (config.DnsServers.Length == 0)
            {
                string[] host = ResolvConf.ReadNameservers();
                var servers = new Endpoint[host.Length];
                for (int i = 0; i < host.Length; i++) servers[i] = new Endpoint(host[i], 53);
                config.DnsServers = servers;
            }
            string? ca = config.RelayCaFile.Length > 0 ? config.RelayCaFile : null;
            ITlsProvider? serverTls = config.SmtpTlsCert.Length > 0 ? new HostTlsProvider(config.SmtpTlsCert, config.SmtpTlsKey, ca) : null;
            ITlsProvider clientTls = serverTls ?? new HostTlsProvider(null, null, ca);
            if (config.AdminListen != null)
            {
                _adminLog = new AdminLog(log, clock, AdminLogLines);
                log = _adminLog;
            }
            _network = new HostSocketNetwork();
            _clock = clock;
            _random = random;
            var files = new HostFileStore(dataDir, false);
            string? medium = Environment.GetEnvironmentVariable(MediumSizeVariable);
            if (!string.IsNullOrEmpty(medium))
            {
                long bytes = ConfigValue.ParseSize(medium);
                if (bytes <= 0) throw new ArgumentException(MediumSizeVariable + ": bad size '" + medium + "'");
                files.MediumBytes = bytes;
                log.Write("nmg", 0, "emulated medium of " + bytes.ToString() + " bytes for " + dataDir);
            }
            _files = files;
            var platform = new GatewayPlatform(_network, files, serverTls, clientTls, clock, random, log);
            Gateway = new MailGateway(config, platform);
            // IMAP comes from the host (MailGateway.AddMailboxService): README, IMAP mailboxes.
            if (config.ImapListen.Length > 0)
            {
                Gateway.AddMailboxService(new Core.Imap.ImapServer(Core.Imap.ImapServer.OptionsFrom(config),
                    Core.Smtp.SmtpServerSetup.AccountsFrom(config), Gateway.Throttle, serverTls, config.TrustedNetworks, clock, log));
            }
        }

        /// <summary>Log lines the admin page shows (the board keeps fewer).</summary>
        public const int AdminLogLines = 30;

        private readonly AdminLog? _adminLog;
        private readonly IFileStore _files;
        private bool _marked;   // the run marker is ours to delete at Stop
        private readonly INetwork _network;
        private readonly IClock _clock;
        private readonly IRandom _random;
        private AdminServer? _admin;

        /// <summary>The admin endpoint's bound address ("127.0.0.1:8025"), or null when admin_listen is empty. Valid after Start.</summary>
        public string? AdminEndpoint => _admin?.Endpoint;

        /// <summary>The composed gateway (counters, store, servers).</summary>
        public MailGateway Gateway { get; }

        public GatewayConfig Config { get; }

        /// <summary>Where the queue's files are.</summary>
        public string DataDirectory { get; }

        /// <summary>The session buffer pool, sized by the board profile.</summary>
        public BufferPool Pool => Gateway.Pool;

        /// <summary>The bound SMTP endpoints ("127.0.0.1:2525"), real ports when 0 was configured. Valid after Start.</summary>
        public string[] SmtpEndpoints => Gateway.SmtpEndpoints;

        /// <summary>The bound POP3 endpoints. Valid after Start.</summary>
        public string[] Pop3Endpoints => Gateway.Pop3Endpoints;

        /// <summary>Recovers the queue, opens every listen socket and starts delivery.</summary>
        /// <exception cref="ConnectionException">a listen address is in use or not local; nothing stays open.</exception>
        /// <exception cref="StorageException">the queue's files cannot be read.</exception>
        public void Start()
        {
            Gateway.Start();
            if (_adminLog != null)
            {
                _admin = new AdminServer(Gateway, _adminLog, _network, _clock, _random, new AdminOptions());
                try
                {
                    _admin.Start(Config.AdminListen!);
                }
                catch (Exception)
                {
                    Gateway.Stop(StopTimeoutMs);
                    throw;
                }
            }
            if (RunMarker.Begin(_files)) Gateway.Delivery!.Notices.Raise(Core.Notices.HealthNotices.UnexpectedStop, 0, null);
            _marked = true;
        }

        /// <summary>Stops listeners, sessions (bounded), delivery and the queue. Safe to call twice.</summary>
        public void Stop()
        {
            _admin?.Stop(StopTimeoutMs);
            Gateway.Stop(StopTimeoutMs);
            if (_marked) RunMarker.End(_files);
            _marked = false;
        }

        public void Dispose()
        {
            Stop();
        }
    }
}
