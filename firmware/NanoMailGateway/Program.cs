// The board app's entry point: the boot sequence and the watch loop of NanoMailGateway
// on an ESP32 running .NET nanoFramework.
//   1. read I:\board.conf (Wi-Fi, storage place) and the gateway config from I:
//   2. join Wi-Fi with DHCP and wait for SNTP time (TLS and Date: need it)
//   3. take the DNS servers from DHCP unless the config names some
//   4. open the store (I:\nmg), load the TLS certificates
//   5. start the gateway: recover the queue, start the listeners and delivery
//   6. every minute: log free heap and queue state; reboot when Wi-Fi has been down too
//      long or the storage fails (there is no managed watchdog on the ESP32); Wi-Fi back
//      after an outage and a start after an unexpected stop (RunMarker) raise the health
//      notices to notify_to (README, Notices)
// A bad or missing config is not fixed by rebooting: the app then logs the error once a
// minute and waits for a corrected file (nanoff --filedeployment, then reset).
// Left out on purpose: Ethernet boards, static IP, OTA updates.

using System;
using System.Threading;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Board.Device;
using NanoMailGateway.Board.Examples;
using NanoMailGateway.Board.Settings;
using NanoMailGateway.Core.Admin;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Health;
using NanoMailGateway.Core.Platform;
using System.Security.Cryptography.X509Certificates;

namespace NanoMailGateway.Board
{
    /// <summary>Boot sequence and watch loop. Runs on the main thread forever.</summary>
    public static class Program
    {
        /// <summary>Where nanoff --filedeployment puts the board-only settings.</summary>
        public const string BoardConfPath = "I:\\board.conf";

        /// <summary>The gateway configuration (Core's syntax and keys).</summary>
        public const string GatewayConfPath = "I:\\nmg.conf";

        /// <summary>The board profile: a copy of boards/&lt;board&gt;.conf.</summary>
        public const string ProfilePath = "I:\\profile.conf";

        /// <summary>How long one Wi-Fi attempt may take, including DHCP and SNTP.</summary>
        public const int WifiAttemptMs = 60 * 1000;

        /// <summary>Wi-Fi attempts at boot before rebooting.</summary>
        public const int WifiAttempts = 3;

        /// <summary>Reboot when the link has been down this long (WifiNetworkHelper reconnects by itself before that).</summary>
        public const int WifiDownRebootMs = 10 * 60 * 1000;

        /// <summary>Interval of the heap/queue report and the health checks.</summary>
        public const int ReportIntervalMs = 60 * 1000;

        private const string Component = "board";

        public static void Main()
        {
            ILog log = new NanoLog("nmg");
            log.Write(Component, 0, "NanoMailGateway starting; free heap " + BoardHealth.FreeHeap().ToString() + " bytes");

            // 1. Settings and config from I:.
            BoardSettings? settings = LoadBoardSettings(out string error);
            if (settings == null) Halt(log, error);
            GatewayConfig? config = LoadGatewayConfig(settings!, out error);
            if (config == null) Halt(log, error);
            log = new NanoLog(config!.Hostname);
            log.Write(Component, 0, "config: board " + config.Board.Name + ", heap " + config.Board.HeapBytes.ToString()
                + " bytes, pool " + config.Board.PoolBytes.ToString() + " bytes, sessions " + config.Board.TotalSessions.ToString());

            // 2. Wi-Fi and SNTP.
            JoinWifi(log, settings!);

            // 3. DNS servers: the config's, or DHCP's (RFC 1035 servers on port 53).
            if (config.DnsServers.Length == 0) config.DnsServers = DhcpDnsServers(log);

            // 4. Storage and TLS certificates.
            IFileStore store = OpenStore(log, settings!.StorageFolder);
            ITlsProvider tls = LoadTls(log, config);

            // 5. The gateway. With syslog_server every line also goes to the LAN's log
            // server (README, Remote syslog), from here on.
            var network = new NanoSocketNetwork();
            var clock = new NanoClock();
            if (config.SyslogServer != null)
            {
                log = new Core.Syslog.SyslogLog(log, network.OpenUdp(0), config.SyslogServer.Host, config.SyslogServer.Port, clock, config.Hostname);
            }
            var services = new BoardServices(config, network, tls, store, clock, new NanoRandom(), log);
            MailGateway? gateway = StartGateway(services);

            // 6. Watch.
            Watch(services, gateway);
        }

        private static BoardSettings? LoadBoardSettings(out string error)
        {
            byte[]? data = BoardFiles.Read(BoardConfPath, out error);
            if (data == null) return null;
            error = BoardSettings.Parse(data, data.Length, out BoardSettings settings) ?? "";
            return error.Length == 0 ? settings : null;
        }

        /// <summary>Core's defaults, then the board profile, then nmg.conf, then the whole-config checks
        /// (the same layering as the emulator's ConfigLoader).</summary>
        private static GatewayConfig? LoadGatewayConfig(BoardSettings settings, out string error)
        {
            var config = new GatewayConfig();
            byte[]? profile = BoardFiles.Read(ProfilePath, out error);
            if (profile == null) return null;
            ConfigError? bad = ConfigParser.Parse(profile, 0, profile.Length, ProfilePath, config, true);
            if (settings.Board.Length > 0) config.Board.Name = settings.Board;
            if (bad == null)
            {
                byte[]? conf = BoardFiles.Read(GatewayConfPath, out error);
                if (conf == null) return null;
                bad = ConfigParser.Parse(conf, 0, conf.Length, GatewayConfPath, config, false);
            }
            if (bad == null) bad = ConfigValidator.Validate(config);
            if (bad != null)
            {
                error = bad.ToString();
                return null;
            }
            string? boardOnly = BoardConfigCheck.Check(config);
            if (boardOnly == null) return config;
            error = GatewayConfPath + ": " + boardOnly;
            return null;
        }

        private static Endpoint[] DhcpDnsServers(ILog log)
        {
            string[] dhcp = WifiUplink.DnsServers();
            var servers = new Endpoint[dhcp.Length];
            for (int i = 0; i < dhcp.Length; i++) servers[i] = new Endpoint(dhcp[i], 53);
            log.Write(Component, 0, "dns servers from dhcp: " + Join(dhcp));
            if (servers.Length == 0) log.Write(Component, 0, "no dns server: set dns_servers in nmg.conf; delivery by MX cannot work");
            return servers;
        }

        /// <summary>STARTTLS/STLS certificate and the relay's CA from the files nmg.conf names.
        /// A file named but unusable stops the boot: the config promised TLS.</summary>
        private static ITlsProvider LoadTls(ILog log, GatewayConfig config)
        {
            string error;
            X509Certificate? server = null;
            X509Certificate? ca = null;
            if (config.SmtpTlsCert.Length > 0)
            {
                server = BoardFiles.LoadServerCertificate(config.SmtpTlsCert, config.SmtpTlsKey, out error);
                if (server == null) Halt(log, error);
            }
            if (config.RelayCaFile.Length > 0)
            {
                ca = BoardFiles.LoadCertificate(config.RelayCaFile, out error);
                if (ca == null) Halt(log, error);
            }
            return new NanoTlsProvider(server, ca);
        }

        private static void JoinWifi(ILog log, BoardSettings settings)
        {
            string which = settings.WifiSsid.Length > 0 ? "'" + settings.WifiSsid + "'" : "the stored network";
            for (int attempt = 1; attempt <= WifiAttempts; attempt++)
            {
                log.Write(Component, 0, "joining wifi " + which + " (attempt " + attempt.ToString() + ")");
                if (WifiUplink.Connect(settings.WifiSsid, settings.WifiPassword, WifiAttemptMs, out string error))
                {
                    // SNTP has set the clock by now (requiresDateTime); log lines carry real time from here on.
                    log.Write(Component, 0, "wifi up: address " + WifiUplink.Address());
                    return;
                }
                log.Write(Component, 0, "wifi failed: " + error);
            }
            BoardHealth.Reboot(log, "no wifi after " + WifiAttempts.ToString() + " attempts");
        }

        private static IFileStore OpenStore(ILog log, string folder)
        {
            try
            {
                var store = new NanoFileStore(folder);
                log.Write(Component, 0, "storage " + folder + ": " + store.List().Length.ToString() + " files");
                return store;
            }
            catch (StorageException e)
            {
                // A card not yet seated or a flash hiccup: a reset is the board's only remedy.
                // Wait first so that a dead card does not make a tight reboot loop.
                log.Write(Component, 0, "storage failed: " + e.Message);
                Thread.Sleep(30 * 1000);
                BoardHealth.Reboot(log, "storage " + folder + " unusable");
                throw;
            }
        }

        // Core's MailGateway composed from services (validated config with DNS servers
        // filled in, network, TLS, store, clock, random, log): it recovers the queue from
        // services.Store, allocates the session pool from config.Board, starts the
        // SMTP/POP3 listeners and delivery. A StorageException while recovering is a
        // flash or card fault: reboot (after a pause, so a dead card is no tight loop).
        private static MailGateway? StartGateway(BoardServices services)
        {
            GatewayConfig config = services.Config;
            // STARTTLS/STLS only with a certificate (the validator requires tls_server for one).
            ITlsProvider? serverTls = config.SmtpTlsCert.Length > 0 ? services.Tls : null;
            // With admin_listen, an AdminLog between Core and the serial log feeds the admin
            // page's counters and its ring of recent lines (README, Admin endpoint).
            AdminLog? adminLog = config.AdminListen != null ? new AdminLog(services.Log, services.Clock, AdminLogLines) : null;
            var platform = new GatewayPlatform(services.Network, services.Store, serverTls, services.Tls,
                services.Clock, services.Random, adminLog != null ? adminLog : services.Log);
            var gateway = new MailGateway(config, platform);
            // IMAP is the app's to bring (MailGateway.AddMailboxService); off where imap_listen is empty.
            if (config.ImapListen.Length > 0)
            {
                gateway.AddMailboxService(new Core.Imap.ImapServer(Core.Imap.ImapServer.OptionsFrom(config),
                    Core.Smtp.SmtpServerSetup.AccountsFrom(config), gateway.Throttle, serverTls, config.TrustedNetworks, services.Clock, services.Log));
            }
            try
            {
                gateway.Start();
            }
            catch (StorageException e)
            {
                services.Log.Write(Component, 0, "queue recovery failed: " + e.Message);
                Thread.Sleep(30 * 1000);
                BoardHealth.Reboot(services.Log, "storage unusable");
                return null;
            }
            catch (ConnectionException e)
            {
                // A listen socket could not be opened: the IP stack is short of sockets.
                services.Log.Write(Component, 0, "cannot listen: " + e.Message);
                BoardHealth.Reboot(services.Log, "listen failed");
                return null;
            }
            catch (ArgumentException e)
            {
                // storage_capacity cannot hold the queue's reserve: a profile error, not fixed by a reboot.
                Halt(services.Log, "board profile: " + e.Message);
            }
            StartNotices(services, gateway);
            services.Log.Write(Component, 0, "gateway started: smtp " + Join(gateway.SmtpEndpoints) + ", pop3 " + Join(gateway.Pop3Endpoints) + ", imap " + Join(gateway.ImapEndpoints)
                + "; " + gateway.Describe());
            if (adminLog != null) StartAdmin(services, gateway, adminLog);
            // Start-up garbage compacted away before the first mail, as the self-test's
            // full-load check does (README, Supported boards).
            services.Log.Write(Component, 0, "heap compacted, " + BoardHealth.Compact().ToString() + " bytes free");
            return gateway;
        }

        // The run marker on I: (README, Notices): a board has no clean stop, so every start but
        // the first after a deployment reports how the previous run ended: it did not stop.
        private static void StartNotices(BoardServices services, MailGateway gateway)
        {
            try
            {
                if (RunMarker.Begin(services.Store) && gateway.Delivery != null)
                {
                    gateway.Delivery.Notices.Raise(Core.Notices.HealthNotices.UnexpectedStop, 0, null);
                }
            }
            catch (StorageException e)
            {
                services.Log.Write(Component, 0, "run marker not written: " + e.Message);
            }
        }

        /// <summary>Log lines the admin page keeps on the board (each up to 200 characters of heap).</summary>
        private const int AdminLogLines = 10;

        // The admin endpoint beside the running gateway. A socket it cannot open costs the
        // operator the page, not the mail: it is logged and the gateway runs on without it.
        private static void StartAdmin(BoardServices services, MailGateway gateway, AdminLog adminLog)
        {
            AdminOptions o = new AdminOptions();
            o.FreeHeap = new FreeHeapProbe(ReadFreeHeap);
            AdminServer admin = new AdminServer(gateway, adminLog, services.Network, services.Clock, services.Random, o);
            try
            {
                admin.Start(services.Config.AdminListen!);
                services.Log.Write(Component, 0, "admin listening on http://" + admin.Endpoint + "/");
            }
            catch (ConnectionException e)
            {
                services.Log.Write(Component, 0, "admin endpoint not started: " + e.Message);
            }
        }

        private static long ReadFreeHeap()
        {
            return BoardHealth.FreeHeap();
        }

        /// <summary>One line of queue state for the minute report.</summary>
        private static string QueueStatus(MailGateway? g)
        {
            // The agent reopens the store in place after a storage fault; it stops its workers, and
            // waits for this reboot, only when reopening failed again and again (the last resort).
            if (g != null && g.Delivery != null && g.Delivery.StorageFailed) throw new StorageException("delivery stopped: the queue's storage failed");
            return g == null ? "gateway not running" : g.Describe();
        }

        private static void Watch(BoardServices services, MailGateway? gateway)
        {
            ILog log = services.Log;
            long downSince = -1;
            // Board code's own alert through the submission API (README, Notices): uncomment the
            // second line to mail notify_to when free heap runs low.
            LowHeapAlert? heapAlert = null;
            // heapAlert = gateway == null ? null : new LowHeapAlert(gateway, LowHeapAlert.DefaultThresholdBytes);
            while (true)
            {
                Thread.Sleep(ReportIntervalMs);
                long now = services.Clock.MonotonicMilliseconds;
                string queue;
                try
                {
                    queue = QueueStatus(gateway);
                }
                catch (StorageException e)
                {
                    BoardHealth.Reboot(log, "storage failed: " + e.Message);
                    return;
                }
                log.Write(Component, 0, "heap free " + BoardHealth.FreeHeap().ToString() + " bytes; " + queue);
                if (heapAlert != null) heapAlert.Check();

                if (WifiUplink.Address().Length > 0)
                {
                    if (downSince >= 0)
                    {
                        log.Write(Component, 0, "wifi back after " + ((now - downSince) / 1000).ToString() + " s");
                        // One notice per notify_interval; a flapping link is counted into the next one.
                        if (gateway != null && gateway.Delivery != null)
                        {
                            gateway.Delivery.Notices.Raise(Core.Notices.HealthNotices.UplinkBack, now - downSince, null);
                        }
                    }
                    downSince = -1;
                }
                else if (downSince < 0)
                {
                    downSince = now;
                    log.Write(Component, 0, "wifi down; mail stays queued");
                }
                else if (now - downSince > WifiDownRebootMs)
                {
                    BoardHealth.Reboot(log, "wifi down for " + ((now - downSince) / 1000).ToString() + " s");
                }
            }
        }

        /// <summary>Logs a fault that a reboot cannot fix, once a minute, forever.</summary>
        private static void Halt(ILog log, string error)
        {
            while (true)
            {
                log.Write(Component, 0, "cannot start: " + error + " (fix the file with nanoff --filedeployment, then reset)");
                Thread.Sleep(ReportIntervalMs);
            }
        }

        private static string Join(string[] items)
        {
            if (items.Length == 0) return "(none)";
            string s = items[0];
            for (int i = 1; i < items.Length; i++) s += ", " + items[i];
            return s;
        }
    }
}
