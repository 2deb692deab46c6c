// What the board app hands to the gateway's composition: the platform adapters, the
// DHCP-given DNS servers and the raw configuration files read from I:.
// Board-only (assembled by Program).

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Device
{
    /// <summary>The board's adapters and boot-time facts. Immutable.</summary>
    public sealed class BoardServices
    {
        public BoardServices(INetwork network, IFileStore store, IClock clock, IRandom random, ILog log, string[] dhcpDnsServers, byte[] gatewayConfig, byte[] profile)
        {
            Network = network;
            Store = store;
            Clock = clock;
            Random = random;
            Log = log;
            DhcpDnsServers = dhcpDnsServers;
            GatewayConfig = gatewayConfig;
            Profile = profile;
        }

        public INetwork Network { get; }

        public IFileStore Store { get; }

        public IClock Clock { get; }

        public IRandom Random { get; }

        public ILog Log { get; }

        /// <summary>DNS servers from DHCP (IPv4 literals, at most two); used when dns_servers is empty.</summary>
        public string[] DhcpDnsServers { get; }

        /// <summary>The bytes of I:\nmg.conf.</summary>
        public byte[] GatewayConfig { get; }

        /// <summary>The bytes of I:\profile.conf (the chosen boards/*.conf).</summary>
        public byte[] Profile { get; }
    }
}
