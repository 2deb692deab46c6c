// COMPILE-ONLY STAND-IN for nanoFramework.System.Device.Wifi 1.5.147 (assembly
// System.Device.Wifi). Declares the members the board app uses, with the real package's
// signatures (from the package's public sources: WifiNetworkHelper and
// WifiReconnectionKind; ARCHITECTURE.md, Platform facts); every body throws. Never deployed.

using System;
using System.Threading;
using nanoFramework.Networking;

namespace System.Device.Wifi
{
    /// <summary>Stand-in: System.Device.Wifi.WifiReconnectionKind.</summary>
    public enum WifiReconnectionKind
    {
        Automatic = 0,
        Manual = 1,
    }
}

namespace nanoFramework.Networking
{
    /// <summary>Stand-in: nanoFramework.Networking.WifiNetworkHelper (members used by the board app).</summary>
    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status => throw new NotImplementedException();

        public static Exception HelperException => throw new NotImplementedException();

        public static bool ConnectDhcp(
            string ssid,
            string password,
            System.Device.Wifi.WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic,
            bool requiresDateTime = false,
            int wifiAdapterId = 0,
            CancellationToken token = default) => throw new NotImplementedException();

        public static bool Reconnect(
            bool requiresDateTime = false,
            int wifiAdapterId = 0,
            CancellationToken token = default) => throw new NotImplementedException();
    }
}
