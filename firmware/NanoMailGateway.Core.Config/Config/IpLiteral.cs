// IP address literals as text -> bytes, for access checks (trusted_networks) and for
// validating listen and DNS server addresses in the configuration. nanoFramework has
// IPAddress.Parse but no TryParse and no IPv6 parsing we can count on, so Core parses
// the literals itself: IPv4 dotted quad (RFC 791 notation) and IPv6 text (RFC 4291
// §2.2, including "::" and a trailing dotted quad).
// Left out on purpose: zone ids ("fe80::1%eth0"), octal/hex IPv4 forms ("010.1",
// "0x7f.1"), shortened IPv4 ("127.1"): they are ambiguous and nobody writes them in a
// mail configuration.

namespace NanoMailGateway.Core.Config
{
    /// <summary>Parses IP literals into network-order bytes (4 for IPv4, 16 for IPv6).</summary>
    public static class IpLiteral
    {
        /// <summary>
        /// Parses an IPv4 or IPv6 literal. Returns 4 or 16 bytes, or null when the text is
        /// not a literal. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) comes back as its 4
        /// IPv4 bytes, so that a client seen through a dual-stack socket matches IPv4 rules.
        /// </summary>
        public static byte[]? Parse(string text)
        {
            if (text == null || text.Length == 0) return null;
            if (text.IndexOf(':') < 0) return ParseV4(text, 0, text.Length);
            byte[]? v6 = ParseV6(text);
            if (v6 == null) return null;
            if (IsV4Mapped(v6))
            {
                return new byte[] { v6[12], v6[13], v6[14], v6[15] };
            }
            return v6;
        }

        /// <summary>True when the text is an IPv4 or IPv6 literal.</summary>
        public static bool IsValid(string text)
        {
            return Parse(text) != null;
        }

        private static bool IsV4Mapped(byte[] a)
        {
            for (int i = 0; i < 10; i++)
            {
                if (a[i] != 0) return false;
            }
            return a[10] == 0xff && a[11] == 0xff;
        }

        /// <summary>Parses exactly four decimal octets 0..255 from text[start..end).</summary>
        private static byte[]? ParseV4(string text, int start, int end)
        {
            byte[] result = new byte[4];
            int part = 0;
            int i = start;
            while (part < 4)
            {
                int value = 0;
                int digits = 0;
                int first = i;
                while (i < end && text[i] >= '0' && text[i] <= '9')
                {
                    value = value * 10 + (text[i] - '0');
                    digits++;
                    i++;
                    if (digits > 3) return null;
                }
                if (digits == 0 || value > 255) return null;
                if (digits > 1 && text[first] == '0') return null; // "010" would be octal to inet_aton
                result[part] = (byte)value;
                part++;
                if (part < 4)
                {
                    if (i >= end || text[i] != '.') return null;
                    i++;
                }
            }
            return i == end ? result : null;
        }

        /// <summary>RFC 4291 §2.2 text forms 1, 2 and 3.</summary>
        private static byte[]? ParseV6(string text)
        {
            byte[] result = new byte[16];
            int n = text.Length;
            int pos = 0;          // next output byte
            int gap = -1;         // output position of "::"
            int i = 0;
            if (n >= 2 && text[0] == ':' && text[1] == ':')
            {
                gap = 0;
                i = 2;
                if (i == n) return result; // "::"
            }
            else if (text[0] == ':')
            {
                return null;
            }
            while (i < n)
            {
                if (pos >= 16) return null;
                // A trailing dotted quad takes the last 32 bits (form 3).
                int dot = -1;
                int j = i;
                while (j < n && text[j] != ':')
                {
                    if (text[j] == '.') dot = j;
                    j++;
                }
                if (dot >= 0)
                {
                    if (j != n || pos > 12) return null;
                    byte[]? v4 = ParseV4(text, i, n);
                    if (v4 == null) return null;
                    for (int k = 0; k < 4; k++) result[pos++] = v4[k];
                    i = n;
                    break;
                }
                int value = 0;
                int digits = 0;
                while (i < n && text[i] != ':')
                {
                    int h = HexValue(text[i]);
                    if (h < 0 || digits == 4) return null;
                    value = (value << 4) | h;
                    digits++;
                    i++;
                }
                if (digits == 0) return null;
                result[pos++] = (byte)(value >> 8);
                result[pos++] = (byte)value;
                if (i == n) break;
                i++; // the ':'
                if (i < n && text[i] == ':')
                {
                    if (gap >= 0) return null; // only one "::"
                    gap = pos;
                    i++;
                    if (i == n) break;
                }
                else if (i == n)
                {
                    return null; // trailing single ':'
                }
            }
            if (gap < 0)
            {
                return pos == 16 ? result : null;
            }
            if (pos == 16) return null; // "::" must stand for at least one group
            // Move the groups after the gap to the end.
            int tail = pos - gap;
            for (int k = 0; k < tail; k++)
            {
                result[15 - k] = result[pos - 1 - k];
            }
            for (int k = gap; k < 16 - tail; k++)
            {
                result[k] = 0;
            }
            return result;
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
