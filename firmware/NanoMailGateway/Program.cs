// The board app's entry point: the boot sequence and the watch loop of NanoMailGateway
// on an ESP32 running .NET nanoFramework.
//   1. read I:\board.conf (Wi-Fi, storage place) and the gateway config from I:
//   2. join Wi-Fi with DHCP and wait for SNTP time (TLS and Date: need it)
//   3. take the DNS servers from DHCP unless the config names some
//   4. open the store (I:\nmg, or D:\nmg on an SD card), load the TLS certificates
//   5. start the gateway: recover the queue, start the listeners and delivery
//   6. every minute: log free heap and queue state; reboot when Wi-Fi has been down too
//      long or the storage fails (there is no managed watchdog on the ESP32)
// A bad or missing config is not fixed by rebooting: the app then logs the error once a
// minute and waits for a corrected file (nanoff --filedeployment, then reset).
// Left out on purpose: Ethernet boards, static IP, OTA updates.

using System;
using System.Threading;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Board.Device;
using NanoMailGateway.Board.Settings;
using NanoMailGateway.Core.Platform;

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
            var log = new NanoLog("nmg");
            log.Write(Component, 0, "NanoMailGateway starting; free heap " + BoardHealth.FreeHeap().ToString() + " bytes");

            // 1. Settings and config from I:.
            BoardSettings? settings = LoadBoardSettings(out string error);
            if (settings == null) Halt(log, error);
            byte[]? gatewayConf = BoardFiles.Read(GatewayConfPath, out error);
            if (gatewayConf == null) Halt(log, error);
            byte[]? profile = BoardFiles.Read(ProfilePath, out error);
            if (profile == null) Halt(log, error);

            // 2. Wi-Fi and SNTP.
            JoinWifi(log, settings!);

            // 3. DNS servers: the config's, or DHCP's.
            string[] dhcpDns = WifiUplink.DnsServers();
            log.Write(Component, 0, "dhcp dns servers: " + Join(dhcpDns));

            // 4. Storage.
            IFileStore store = OpenStore(log, settings!.StorageFolder);

            // 5. The gateway.
            var clock = new NanoClock();
            var services = new BoardServices(new NanoSocketNetwork(), store, clock, new NanoRandom(), log, dhcpDns, gatewayConf!, profile!);
            StartGateway(services);

            // 6. Watch.
            Watch(services);
        }

        private static BoardSettings? LoadBoardSettings(out string error)
        {
            byte[]? data = BoardFiles.Read(BoardConfPath, out error);
            if (data == null) return null;
            error = BoardSettings.Parse(data, data.Length, out BoardSettings settings) ?? "";
            return error.Length == 0 ? settings : null;
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

        // ============================ INTEGRATION POINT =============================
        // The integrator's MailGateway composes Core here: parse services.Profile and
        // services.GatewayConfig (ConfigParser, board profile first), use
        // services.DhcpDnsServers when dns_servers is empty, build the TLS provider
        // (NanoTlsProvider with BoardFiles.LoadServerCertificate(smtp_tls_cert,
        // smtp_tls_key) and BoardFiles.LoadCertificate(relay_ca_file)), recover the queue
        // from services.Store, then start the SMTP/POP3 listeners and delivery.
        // Until then the board boots, joins Wi-Fi, opens its store and reports its health.
        private static void StartGateway(BoardServices services)
        {
            services.Log.Write(Component, 0, "gateway: composition pending (MailGateway not in this build)");
        }

        /// <summary>One line of queue state for the minute report.</summary>
        private static string QueueStatus(BoardServices services)
        {
            return "store files " + services.Store.List().Length.ToString();
        }
        // ========================== END INTEGRATION POINT ===========================

        private static void Watch(BoardServices services)
        {
            ILog log = services.Log;
            long downSince = -1;
            while (true)
            {
                Thread.Sleep(ReportIntervalMs);
                long now = services.Clock.MonotonicMilliseconds;
                string queue;
                try
                {
                    queue = QueueStatus(services);
                }
                catch (StorageException e)
                {
                    BoardHealth.Reboot(log, "storage failed: " + e.Message);
                    return;
                }
                log.Write(Component, 0, "heap free " + BoardHealth.FreeHeap().ToString() + " bytes; " + queue);

                if (WifiUplink.Address().Length > 0)
                {
                    if (downSince >= 0) log.Write(Component, 0, "wifi back after " + ((now - downSince) / 1000).ToString() + " s");
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
