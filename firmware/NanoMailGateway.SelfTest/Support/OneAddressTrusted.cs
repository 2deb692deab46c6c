// ITrustedNetworks for the SMTP scenario: exactly one trusted client address, so that
// the same server shows both the relay refusal and the trusted relay.

using NanoMailGateway.Core.Smtp;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Trusts one address.</summary>
    public sealed class OneAddressTrusted : ITrustedNetworks
    {
        private readonly string _address;

        /// <summary>Trusts <paramref name="address"/> only.</summary>
        public OneAddressTrusted(string address)
        {
            _address = address;
        }

        /// <inheritdoc/>
        public bool Contains(string ipAddress)
        {
            return ipAddress == _address;
        }
    }
}
