// ITlsProvider for in-memory connections: no cryptography, it only marks the
// connection secure so that protocol code's STARTTLS/STLS paths run in unit tests.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Simulation
{
    /// <summary>Pretend TLS over <see cref="MemoryConnection"/>.</summary>
    public sealed class MemoryTlsProvider : ITlsProvider
    {
        private readonly bool _canServe;
        private readonly bool _failHandshake;

        /// <summary>Creates the provider; <paramref name="failHandshake"/> makes every upgrade fail.</summary>
        public MemoryTlsProvider(bool canServe, bool failHandshake)
        {
            _canServe = canServe;
            _failHandshake = failHandshake;
        }

        /// <inheritdoc/>
        public bool CanServe => _canServe;

        /// <inheritdoc/>
        public IConnection AuthenticateAsServer(IConnection plain, int timeoutMs)
        {
            return Upgrade(plain);
        }

        /// <inheritdoc/>
        public IConnection AuthenticateAsClient(IConnection plain, string targetHost, bool verify, int timeoutMs)
        {
            return Upgrade(plain);
        }

        private IConnection Upgrade(IConnection plain)
        {
            MemoryConnection? m = plain as MemoryConnection;
            if (m == null) throw new ConnectionException("MemoryTlsProvider needs a MemoryConnection", 0);
            if (_failHandshake) throw new ConnectionException("handshake failed (simulated)", 0);
            return m.Secured();
        }
    }
}
