// One recursive server from `dns_servers`: "ip" or "ip:port" (port 53 by default,
// RFC 1035 §4.2.1). The address is kept in canonical dotted form so that the source
// check on answers (RFC 5452 §9.1) is an exact string compare with what the network
// adapter reports. IPv4 only: the board's UDP socket is IPv4.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>A DNS server endpoint. Immutable.</summary>
    public sealed class DnsServer
    {
        private DnsServer(string address, int port)
        {
            Address = address;
            Port = port;
        }

        /// <summary>Dotted IPv4 address ("192.0.2.53").</summary>
        public string Address { get; }

        /// <summary>UDP and TCP port, 1..65535.</summary>
        public int Port { get; }

        /// <summary>"address:port", for logs.</summary>
        public override string ToString() { return Address + ":" + Port.ToString(); }

        /// <summary>Parses "a.b.c.d" or "a.b.c.d:port"; returns null when the text is neither.</summary>
        public static DnsServer? Parse(string text)
        {
            string host = text;
            int port = 53;
            int colon = text.IndexOf(':');
            if (colon >= 0)
            {
                host = text.Substring(0, colon);
                port = ParseNumber(text, colon + 1, text.Length, 65535);
                if (port < 1) return null;
            }
            byte[] a = new byte[4];
            if (!AddressLiteral.TryParseIPv4(host, a)) return null;
            return new DnsServer(DnsPacket.FormatIPv4(a, 0), port);
        }

        /// <summary>Decimal digits of text[start..end) as a number up to max, or -1.</summary>
        internal static int ParseNumber(string text, int start, int end, int max)
        {
            if (start >= end || end - start > 5) return -1;
            int v = 0;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return -1;
                v = v * 10 + (c - '0');
            }
            return v > max ? -1 : v;
        }
    }
}
