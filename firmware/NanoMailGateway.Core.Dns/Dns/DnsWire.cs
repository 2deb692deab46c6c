// DNS message layout (RFC 1035 §4.1): header fields, record type and class numbers,
// and the query writer. A query is one question with RD set (§4.1.1) and no EDNS, so
// answers over UDP stay within 512 octets (§2.3.4) and longer ones come back with TC
// set and are fetched over TCP (§4.2.2).
// Left out on purpose: EDNS(0) (RFC 6891), DNSSEC validation, 0x20 case randomisation.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Constants and allocation-free accessors for DNS messages.</summary>
    public static class DnsWire
    {
        /// <summary>Header length, RFC 1035 §4.1.1.</summary>
        public const int HeaderLength = 12;

        /// <summary>Largest UDP message without EDNS, RFC 1035 §2.3.4.</summary>
        public const int MaxUdpMessage = 512;

        /// <summary>Largest encoded name including length octets and the root, RFC 1035 §2.3.4.</summary>
        public const int MaxNameLength = 255;

        /// <summary>Largest label, RFC 1035 §2.3.4.</summary>
        public const int MaxLabelLength = 63;

        public const int TypeA = 1;
        public const int TypeCname = 5;
        public const int TypeSoa = 6;
        public const int TypeMx = 15;
        public const int TypeAaaa = 28;
        public const int ClassIn = 1;

        public const int RcodeNoError = 0;
        public const int RcodeFormErr = 1;
        public const int RcodeServFail = 2;
        public const int RcodeNxDomain = 3;
        public const int RcodeNotImp = 4;
        public const int RcodeRefused = 5;

        public static int ReadUInt16(byte[] p, int offset)
        {
            return (p[offset] << 8) | p[offset + 1];
        }

        public static void WriteUInt16(byte[] p, int offset, int value)
        {
            p[offset] = (byte)(value >> 8);
            p[offset + 1] = (byte)value;
        }

        /// <summary>TTL as an unsigned 32-bit value; RFC 2181 §8: a value with the top bit set is treated as 0.</summary>
        public static long ReadTtl(byte[] p, int offset)
        {
            if ((p[offset] & 0x80) != 0) return 0;
            return ((long)p[offset] << 24) | ((long)p[offset + 1] << 16) | ((long)p[offset + 2] << 8) | p[offset + 3];
        }

        public static int Id(byte[] p) { return ReadUInt16(p, 0); }

        /// <summary>QR bit: this is a response.</summary>
        public static bool IsResponse(byte[] p) { return (p[2] & 0x80) != 0; }

        /// <summary>OPCODE field (0 = standard query).</summary>
        public static int Opcode(byte[] p) { return (p[2] >> 3) & 0x0F; }

        /// <summary>TC bit: the message was truncated (RFC 1035 §4.1.1, §4.2.1).</summary>
        public static bool IsTruncated(byte[] p) { return (p[2] & 0x02) != 0; }

        public static int Rcode(byte[] p) { return p[3] & 0x0F; }

        public static int QdCount(byte[] p) { return ReadUInt16(p, 4); }

        public static int AnCount(byte[] p) { return ReadUInt16(p, 6); }

        public static int NsCount(byte[] p) { return ReadUInt16(p, 8); }

        public static int ArCount(byte[] p) { return ReadUInt16(p, 10); }

        /// <summary>
        /// Writes a standard query with RD set for <paramref name="name"/> (lower case, no
        /// trailing dot) at <paramref name="offset"/>. Returns its length, or -1 when the name
        /// is not a valid host name or does not fit.
        /// </summary>
        public static int WriteQuery(byte[] p, int offset, int id, string name, int qtype)
        {
            if (p.Length - offset < HeaderLength + MaxNameLength + 4) return -1;
            WriteUInt16(p, offset, id);
            p[offset + 2] = 0x01; // RD: ask the server to recurse (RFC 1035 §4.1.1)
            p[offset + 3] = 0;
            WriteUInt16(p, offset + 4, 1);
            WriteUInt16(p, offset + 6, 0);
            WriteUInt16(p, offset + 8, 0);
            WriteUInt16(p, offset + 10, 0);
            int pos = WriteName(name, p, offset + HeaderLength);
            if (pos < 0) return -1;
            WriteUInt16(p, pos, qtype);
            WriteUInt16(p, pos + 2, ClassIn);
            return pos + 4 - offset;
        }

        /// <summary>
        /// Encodes a dotted host name as labels. Returns the offset after the root octet, or -1
        /// when the name is invalid: empty label, label over 63, name over 255 octets
        /// (RFC 1035 §2.3.4), or a character outside letters, digits, '-' and '_'.
        /// The root ("") is not a valid query name here.
        /// </summary>
        public static int WriteName(string name, byte[] p, int offset)
        {
            int n = name.Length;
            if (n == 0 || n + 2 > MaxNameLength) return -1; // wire length is text length + 2
            if (p.Length - offset < n + 2) return -1;
            int lenPos = offset;
            int pos = offset + 1;
            int labelLen = 0;
            for (int i = 0; i <= n; i++)
            {
                char c = i < n ? name[i] : '.';
                if (c == '.')
                {
                    if (labelLen == 0 || labelLen > MaxLabelLength) return -1;
                    p[lenPos] = (byte)labelLen;
                    lenPos = pos;
                    pos++;
                    labelLen = 0;
                    continue;
                }
                if (!IsNameChar(c)) return -1;
                p[pos] = (byte)c;
                pos++;
                labelLen++;
            }
            p[lenPos] = 0;
            return pos;
        }

        /// <summary>Letters, digits, '-' and '_' (host names, RFC 1123 §2.1; '_' appears in the wild).</summary>
        public static bool IsNameChar(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }

        /// <summary>
        /// Normalises a domain for lookup: lower case, one trailing dot removed. Returns null
        /// when it is not a valid host name (see <see cref="WriteName"/>).
        /// </summary>
        public static string? NormalizeDomain(string domain)
        {
            string d = domain;
            if (d.Length > 1 && d[d.Length - 1] == '.') d = d.Substring(0, d.Length - 1);
            int n = d.Length;
            if (n == 0 || n + 2 > MaxNameLength) return null;
            int labelLen = 0;
            for (int i = 0; i <= n; i++)
            {
                char c = i < n ? d[i] : '.';
                if (c == '.')
                {
                    if (labelLen == 0 || labelLen > MaxLabelLength) return null;
                    labelLen = 0;
                    continue;
                }
                if (!IsNameChar(c)) return null;
                labelLen++;
            }
            return Text.Ascii.ToLowerString(d);
        }
    }
}
