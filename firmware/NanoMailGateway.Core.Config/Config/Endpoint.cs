// An address and port from the configuration: a listen socket ("127.0.0.1:2525",
// "[::1]:25"), a DNS server ("192.168.1.1", default port 53) or a relay host
// ("[smtp.example.net]:587"). IPv6 literals go in brackets because of the colons
// (the same convention as RFC 3986 §3.2.2 and Postfix).

namespace NanoMailGateway.Core.Config
{
    /// <summary>An immutable host-and-port pair.</summary>
    public sealed class Endpoint
    {
        /// <summary>Creates an endpoint; <paramref name="host"/> is an IP literal or a host name, without brackets.</summary>
        public Endpoint(string host, int port)
        {
            Host = host;
            Port = port;
        }

        /// <summary>The IP literal or host name, without brackets.</summary>
        public string Host { get; }

        /// <summary>TCP or UDP port, 0..65535 (0 = any free port, for tests).</summary>
        public int Port { get; }

        /// <summary>
        /// Parses "host:port", "[v6]:port", or (when <paramref name="defaultPort"/> &gt;= 0)
        /// "host" / "[v6]" / a bare IPv6 literal. With <paramref name="requireIp"/> the host
        /// must be an IP literal. Returns null on bad syntax.
        /// </summary>
        public static Endpoint? Parse(string text, int defaultPort, bool requireIp)
        {
            if (text.Length == 0) return null;
            string host;
            string portText = "";
            if (text[0] == '[')
            {
                int close = text.IndexOf(']');
                if (close < 2) return null;
                host = text.Substring(1, close - 1);
                if (close + 1 < text.Length)
                {
                    if (text[close + 1] != ':') return null;
                    portText = text.Substring(close + 2);
                    if (portText.Length == 0) return null;
                }
            }
            else
            {
                int colon = text.IndexOf(':');
                if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
                {
                    // More than one colon: a bare IPv6 literal, no port.
                    host = text;
                }
                else if (colon >= 0)
                {
                    host = text.Substring(0, colon);
                    portText = text.Substring(colon + 1);
                    if (portText.Length == 0) return null;
                }
                else
                {
                    host = text;
                }
            }
            int port = defaultPort;
            if (portText.Length > 0)
            {
                port = ParsePort(portText);
                if (port < 0) return null;
            }
            if (port < 0 || host.Length == 0) return null;
            if (IpLiteral.IsValid(host)) return new Endpoint(host, port);
            if (requireIp || !IsHostName(host)) return null;
            return new Endpoint(host, port);
        }

        /// <summary>Parses 0..65535; -1 when not a port number.</summary>
        public static int ParsePort(string text)
        {
            if (text.Length == 0 || text.Length > 5) return -1;
            int v = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return -1;
                v = v * 10 + (c - '0');
            }
            return v <= 65535 ? v : -1;
        }

        /// <summary>
        /// A DNS host name: labels of letters, digits and hyphens, 1..63 each, at most 255
        /// octets in all (RFC 1035 §2.3.4, RFC 5321 §4.5.3.1.2).
        /// </summary>
        public static bool IsHostName(string s)
        {
            if (s.Length == 0 || s.Length > 255) return false;
            int label = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c == '.')
                {
                    if (label == 0 || s[i - 1] == '-') return false;
                    label = 0;
                    continue;
                }
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c == '-' && label > 0);
                if (!ok) return false;
                label++;
                if (label > 63) return false;
            }
            return s[s.Length - 1] != '-';
        }

        /// <summary>"host:port", with brackets around an IPv6 literal.</summary>
        public override string ToString()
        {
            string p = Port.ToString();
            return Host.IndexOf(':') >= 0 ? "[" + Host + "]:" + p : Host + ":" + p;
        }
    }
}
