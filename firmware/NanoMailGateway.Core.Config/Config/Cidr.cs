// One network in CIDR notation (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6):
// "192.168.1.0/24", "10.0.0.7" (a single host), "fd00::/8". Used by trusted_networks:
// a client inside a trusted network may relay without AUTH (README "SMTP listener": no open relay).
// A network with host bits set ("192.168.1.5/24") is rejected rather than silently
// widened, because a typo there changes who may relay.

namespace NanoMailGateway.Core.Config
{
    /// <summary>An immutable IPv4 or IPv6 network. Thread-safe.</summary>
    public sealed class Cidr
    {
        private readonly byte[] _network;
        private readonly int _prefix;

        private Cidr(byte[] network, int prefix)
        {
            _network = network;
            _prefix = prefix;
        }

        /// <summary>Prefix length in bits (32 or 128 for a single host).</summary>
        public int PrefixLength => _prefix;

        /// <summary>True for an IPv6 network.</summary>
        public bool IsIPv6 => _network.Length == 16;

        /// <summary>
        /// Parses "address/prefix" or a bare address. Returns null on bad syntax, a prefix
        /// out of range, or host bits set below the prefix.
        /// </summary>
        public static Cidr? Parse(string text)
        {
            int slash = text.IndexOf('/');
            string addressText = slash < 0 ? text : text.Substring(0, slash);
            byte[]? address = ParseNetworkAddress(addressText);
            if (address == null) return null;
            int max = address.Length * 8;
            int prefix = max;
            if (slash >= 0)
            {
                prefix = 0;
                int digits = 0;
                for (int i = slash + 1; i < text.Length; i++)
                {
                    char c = text[i];
                    if (c < '0' || c > '9' || digits == 3) return null;
                    prefix = prefix * 10 + (c - '0');
                    digits++;
                }
                if (digits == 0 || prefix > max) return null;
            }
            for (int bit = prefix; bit < max; bit++)
            {
                if ((address[bit >> 3] & (0x80 >> (bit & 7))) != 0) return null;
            }
            return new Cidr(address, prefix);
        }

        /// <summary>
        /// A network address keeps its family as written: "::ffff:10.0.0.0/104" is an IPv6
        /// network, unlike a client address, which IpLiteral maps to IPv4.
        /// </summary>
        private static byte[]? ParseNetworkAddress(string text)
        {
            byte[]? a = IpLiteral.Parse(text);
            if (a == null) return null;
            if (a.Length == 4 && text.IndexOf(':') >= 0)
            {
                byte[] v6 = new byte[16];
                v6[10] = 0xff;
                v6[11] = 0xff;
                for (int i = 0; i < 4; i++) v6[12 + i] = a[i];
                return v6;
            }
            return a;
        }

        /// <summary>True when the address bytes (4 or 16, as IpLiteral.Parse returns) fall inside this network.</summary>
        public bool Contains(byte[] address)
        {
            if (address.Length != _network.Length) return false;
            int full = _prefix >> 3;
            for (int i = 0; i < full; i++)
            {
                if (address[i] != _network[i]) return false;
            }
            int rest = _prefix & 7;
            if (rest == 0) return true;
            int mask = (0xff00 >> rest) & 0xff;
            return (address[full] & mask) == _network[full];
        }

        /// <summary>True when the address literal falls inside this network; false for a non-literal.</summary>
        public bool Contains(string address)
        {
            byte[]? a = IpLiteral.Parse(address);
            return a != null && Contains(a);
        }

        /// <summary>The network in canonical text: IPv4 dotted, IPv6 as full hex groups.</summary>
        public override string ToString()
        {
            string s = "";
            if (_network.Length == 4)
            {
                for (int i = 0; i < 4; i++)
                {
                    if (i > 0) s += ".";
                    s += _network[i].ToString();
                }
            }
            else
            {
                for (int i = 0; i < 16; i += 2)
                {
                    if (i > 0) s += ":";
                    s += ((_network[i] << 8) | _network[i + 1]).ToString("x");
                }
            }
            return s + "/" + _prefix.ToString();
        }
    }
}
