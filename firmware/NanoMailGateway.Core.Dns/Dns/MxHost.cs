// One mail exchanger as delivery uses it: preference, exchanger name and the addresses
// to try, in order (RFC 5321 §5.1). Immutable once MxResolver hands it out, so a cached
// result can be shared between threads.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>An exchanger with its addresses. Immutable.</summary>
    public sealed class MxHost
    {
        public MxHost(int preference, string name, string[] addresses, long ttlSeconds, bool implicitMx)
        {
            Preference = preference;
            Name = name;
            Addresses = addresses;
            TtlSeconds = ttlSeconds;
            IsImplicit = implicitMx;
        }

        /// <summary>MX preference, 0..65535; lower is tried first.</summary>
        public int Preference { get; }

        /// <summary>Exchanger name in lower case without the trailing dot; for an address literal the literal itself ("[192.0.2.1]").</summary>
        public string Name { get; }

        /// <summary>Addresses as text ("192.0.2.1"), in the order to try; never empty.</summary>
        public string[] Addresses { get; }

        /// <summary>Smallest TTL of the MX record and its address records, in seconds, as the server sent it.</summary>
        public long TtlSeconds { get; }

        /// <summary>True when the domain had no MX records and this is its implicit MX (RFC 5321 §5.1).</summary>
        public bool IsImplicit { get; }
    }
}
