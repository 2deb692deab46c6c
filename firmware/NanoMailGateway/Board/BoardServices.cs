// What the board app hands to the gateway's composition: the validated configuration
// (DNS servers filled in from DHCP when the file named none) and the platform adapters.
// Board-only (assembled by Program).

using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Device
{
    /// <summary>The board's adapters and boot-time facts. Immutable.</summary>
    public sealed class BoardServices
    {
        public BoardServices(GatewayConfig config, INetwork network, ITlsProvider tls, IFileStore store, IClock clock, IRandom random, ILog log)
        {
            Config = config;
            Network = network;
            Tls = tls;
            Store = store;
            Clock = clock;
            Random = random;
            Log = log;
        }

        /// <summary>Board profile + nmg.conf, validated.</summary>
        public GatewayConfig Config { get; }

        public INetwork Network { get; }

        public ITlsProvider Tls { get; }

        public IFileStore Store { get; }

        public IClock Clock { get; }

        public IRandom Random { get; }

        public ILog Log { get; }
    }
}
