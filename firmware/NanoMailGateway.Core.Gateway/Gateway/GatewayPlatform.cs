// What a platform hands the gateway: the seams Core runs on (ARCHITECTURE.md, Seams: Core knows
// nothing of real sockets, files or clocks). The board app fills it from its
// nanoFramework adapters, the emulator from its host adapters, tests from simulators.
// Two TLS slots because the two sides differ in cost and configuration: the server
// side (STARTTLS, STLS) exists only with a certificate and a board that can afford it
// (tls_server), the client side (delivery to an MX or relayhost) is wanted on every board.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Gateway
{
    /// <summary>The platform seams for one <see cref="MailGateway"/>. Immutable.</summary>
    public sealed class GatewayPlatform
    {
        /// <summary>Bundles the seams; <paramref name="serverTls"/> and <paramref name="clientTls"/> may be null (no STARTTLS/STLS offered; delivery without TLS).</summary>
        public GatewayPlatform(INetwork network, IFileStore files, ITlsProvider? serverTls, ITlsProvider? clientTls,
            IClock clock, IRandom random, ILog log)
        {
            Network = network;
            Files = files;
            ServerTls = serverTls;
            ClientTls = clientTls;
            Clock = clock;
            Random = random;
            Log = log;
        }

        /// <summary>Sockets: listeners, delivery connections, DNS over UDP/TCP.</summary>
        public INetwork Network { get; }

        /// <summary>Where the queue's segment files live (the queue owns every file it names).</summary>
        public IFileStore Files { get; }

        /// <summary>TLS as a server (STARTTLS, STLS), or null: not offered.</summary>
        public ITlsProvider? ServerTls { get; }

        /// <summary>TLS as a client (delivery), or null: delivery never starts TLS.</summary>
        public ITlsProvider? ClientTls { get; }

        /// <summary>Monotonic time for deadlines, UTC for headers and retry times.</summary>
        public IClock Clock { get; }

        /// <summary>DNS ids and ports, retry jitter.</summary>
        public IRandom Random { get; }

        /// <summary>The event log.</summary>
        public ILog Log { get; }
    }
}
