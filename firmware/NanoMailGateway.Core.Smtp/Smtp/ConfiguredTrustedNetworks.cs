// ITrustedNetworks over the configuration's trusted_networks CIDR list.

using NanoMailGateway.Core.Config;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>trusted_networks as the SMTP listener sees it. Thread-safe (the list is immutable).</summary>
    public sealed class ConfiguredTrustedNetworks : ITrustedNetworks
    {
        private readonly NetworkList _networks;

        /// <summary>Wraps <paramref name="networks"/>.</summary>
        public ConfiguredTrustedNetworks(NetworkList networks)
        {
            _networks = networks;
        }

        /// <inheritdoc/>
        public bool Contains(string ipAddress)
        {
            return _networks.Contains(ipAddress);
        }
    }
}
