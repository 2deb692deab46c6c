// Address literals as the domain of a mailbox (RFC 5321 §4.1.3): "[192.0.2.1]" and
// "[IPv6:2001:db8::1]". They need no lookup: the literal is the one exchanger.
// IPv6 literals are accepted only when the resolver is set up for IPv6 (the board has
// none); then their syntax is checked loosely (hex digits, ':' and '.') and the adapter
// that connects parses them for real. General address literals ("[tag:...]") are refused.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Parses address literals.</summary>
    public static class AddressLiteral
    {
        /// <summary>
        /// Resolves a literal domain ("[...]") to a one-host result, or to Invalid with the
        /// reason. The caller checked that <paramref name="domain"/> starts with '['.
        /// </summary>
        public static MxResult Resolve(string domain, bool allowIPv6)
        {
            int n = domain.Length;
            if (n < 3 || domain[n - 1] != ']') return MxResult.Invalid("5.1.3", "bad address literal " + domain);
            string inner = domain.Substring(1, n - 2);
            byte[] a = new byte[4];
            if (TryParseIPv4(inner, a))
            {
                string text = DnsPacket.FormatIPv4(a, 0);
                return One("[" + text + "]", text);
            }
            if (inner.Length > 5 && Text.Ascii.EqualsIgnoreCase(inner.Substring(0, 5), "ipv6:"))
            {
                string v6 = inner.Substring(5);
                if (!LooksLikeIPv6(v6)) return MxResult.Invalid("5.1.3", "bad IPv6 address literal " + domain);
                if (!allowIPv6) return MxResult.Invalid("5.4.4", "IPv6 address literal " + domain + " is not reachable: IPv6 is off on this gateway");
                return One("[IPv6:" + Text.Ascii.ToLowerString(v6) + "]", Text.Ascii.ToLowerString(v6));
            }
            return MxResult.Invalid("5.1.3", "unsupported address literal " + domain);
        }

        private static MxResult One(string name, string address)
        {
            string[] addresses = { address };
            MxHost[] hosts = new MxHost[] { new MxHost(0, name, addresses, 0, false) };
            return MxResult.Ok(hosts, 0);
        }

        /// <summary>Parses exactly four decimal octets 0..255 separated by dots into <paramref name="into"/>[0..3].</summary>
        public static bool TryParseIPv4(string s, byte[] into)
        {
            int part = 0;
            int start = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                if (i < s.Length && s[i] != '.') continue;
                if (part > 3) return false;
                if (i - start > 1 && s[start] == '0') return false; // no leading zeros (octal ambiguity)
                int v = DnsServer.ParseNumber(s, start, i, 255);
                if (v < 0 || i - start > 3) return false;
                into[part++] = (byte)v;
                start = i + 1;
            }
            return part == 4;
        }

        private static bool LooksLikeIPv6(string s)
        {
            if (s.Length < 2 || s.Length > 45) return false;
            int colons = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c == ':') { colons++; continue; }
                bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!hex && c != '.') return false;
            }
            return colons >= 2 && colons <= 7;
        }
    }
}
