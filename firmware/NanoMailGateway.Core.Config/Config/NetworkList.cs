// A list of CIDR networks (the trusted_networks setting). The SMTP listener asks
// Contains(connection.RemoteAddress) once per session to decide whether the client
// may relay without AUTH (RFC 5321 §3.6.1 leaves relay policy to the server; ours is
// "trusted network or authenticated", README "SMTP listener").

namespace NanoMailGateway.Core.Config
{
    /// <summary>An immutable, ordered list of networks. Thread-safe.</summary>
    public sealed class NetworkList
    {
        /// <summary>At most this many networks: each check walks the whole list.</summary>
        public const int MaxNetworks = 32;

        private readonly Cidr[] _networks;

        /// <summary>Wraps already parsed networks (the array is kept, not copied).</summary>
        public NetworkList(Cidr[] networks)
        {
            _networks = networks;
        }

        /// <summary>Number of networks.</summary>
        public int Count => _networks.Length;

        /// <summary>The network at <paramref name="index"/>.</summary>
        public Cidr this[int index] => _networks[index];

        /// <summary>
        /// Parses a list of CIDR entries (items already split). Returns null and sets
        /// <paramref name="bad"/> to the first entry that does not parse or exceeds MaxNetworks.
        /// </summary>
        public static NetworkList? Parse(string[] items, out string bad)
        {
            bad = "";
            if (items.Length > MaxNetworks)
            {
                bad = items[MaxNetworks];
                return null;
            }
            Cidr[] nets = new Cidr[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                Cidr? c = Cidr.Parse(items[i]);
                if (c == null)
                {
                    bad = items[i];
                    return null;
                }
                nets[i] = c;
            }
            return new NetworkList(nets);
        }

        /// <summary>True when the client address (an IP literal such as IConnection.RemoteAddress) is in any network.</summary>
        public bool Contains(string address)
        {
            byte[]? a = IpLiteral.Parse(address);
            if (a == null) return false;
            for (int i = 0; i < _networks.Length; i++)
            {
                if (_networks[i].Contains(a)) return true;
            }
            return false;
        }

        /// <summary>The list as configuration text ("127.0.0.0/8, ::1/128").</summary>
        public override string ToString()
        {
            string s = "";
            for (int i = 0; i < _networks.Length; i++)
            {
                if (i > 0) s += ", ";
                s += _networks[i].ToString();
            }
            return s;
        }
    }
}
