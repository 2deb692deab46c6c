// Which client addresses may relay without AUTH (the `trusted_networks` CIDR list of
// the configuration implements it). Kept as a seam so that the listener does not
// depend on the config engine.

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>The set of trusted client networks. Thread-safe.</summary>
    public interface ITrustedNetworks
    {
        /// <summary>True when <paramref name="ipAddress"/> ("192.0.2.7", "::1") lies in a trusted network.</summary>
        bool Contains(string ipAddress);
    }
}
