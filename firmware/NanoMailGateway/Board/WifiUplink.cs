// The board's uplink: joins Wi-Fi with DHCP and waits for SNTP to set the clock
// (requiresDateTime: true), because TLS certificate checks and the Date:/Received: headers
// need real time; reports the address and the DHCP-given DNS servers; tells whether the
// link is still up. WifiNetworkHelper reconnects by itself after a drop
// (WifiReconnectionKind.Automatic); Program only watches how long it has been down.
// Board-only: System.Device.Wifi exists on nanoFramework alone.

using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Board.Device
{
    /// <summary>Wi-Fi station with DHCP. Static (the board has one radio).</summary>
    public static class WifiUplink
    {
        /// <summary>
        /// Joins <paramref name="ssid"/>, or the network stored on the device when
        /// <paramref name="ssid"/> is empty (configured once with Visual Studio's Device
        /// Explorer, Edit Network Configuration). Waits at most <paramref name="timeoutMs"/>
        /// for an address and SNTP time. Returns false with <paramref name="error"/> set on failure.
        /// </summary>
        public static bool Connect(string ssid, string password, int timeoutMs, out string error)
        {
            error = "";
            CancellationTokenSource cts = new CancellationTokenSource(timeoutMs);
            try
            {
                bool ok = ssid.Length > 0
                    ? WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, true, 0, cts.Token)
                    : WifiNetworkHelper.Reconnect(true, 0, cts.Token);
                if (ok) return true;
                // Status is an enum: its number goes in the log (enum.ToString() prints a number on the board anyway).
                error = "wifi status " + ((int)WifiNetworkHelper.Status).ToString();
                Exception? e = WifiNetworkHelper.HelperException;
                if (e != null) error += ": " + e.Message;
                return false;
            }
            finally
            {
                cts.Dispose();
            }
        }

        /// <summary>The station's IPv4 address, or "" when it has none (link down).</summary>
        public static string Address()
        {
            NetworkInterface? ni = Station();
            if (ni == null) return "";
            string a = ni.IPv4Address;
            return a == null || a == "0.0.0.0" ? "" : a;
        }

        /// <summary>The DNS servers DHCP gave the station (at most two), or an empty array.</summary>
        public static string[] DnsServers()
        {
            NetworkInterface? ni = Station();
            if (ni == null) return StringArray.New(0);
            string[] dns = ni.IPv4DnsAddresses;
            return dns ?? StringArray.New(0);
        }

        private static NetworkInterface? Station()
        {
            NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211) return all[i];
            }
            return null;
        }
    }
}
