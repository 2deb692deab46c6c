// Checks a received DNS message before anything in it is believed: the header is ours
// (id, QR, opcode), the question is exactly the one we asked (RFC 5452 §9.1: name
// compared case-insensitively, type and class), and every resource record the
// resolver will look at lies inside the message with its RDATA length checked
// (RFC 1035 §4.1.3). Records past MaxRecords are never looked at, so a header that
// claims 65535 answers costs no more than one that claims MaxRecords.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Allocation-free checks and record walking on a received message.</summary>
    public static class DnsPacket
    {
        /// <summary>Fixed part of a resource record after its name: TYPE, CLASS, TTL, RDLENGTH (RFC 1035 §4.1.3).</summary>
        public const int RecordFixedLength = 10;

        /// <summary>True when the message is a response to query <paramref name="id"/> (standard query, QR set).</summary>
        public static bool HeaderMatches(byte[] p, int len, int id)
        {
            if (len < DnsWire.HeaderLength) return false;
            if (DnsWire.Id(p) != id) return false;
            if (!DnsWire.IsResponse(p)) return false;
            return DnsWire.Opcode(p) == 0;
        }

        /// <summary>
        /// Returns the offset after the question when the message holds exactly one question
        /// equal to ours, otherwise -1 (RFC 5452 §9.1).
        /// </summary>
        public static int MatchQuestion(byte[] p, int len, string name, int qtype)
        {
            if (len < DnsWire.HeaderLength || DnsWire.QdCount(p) != 1) return -1;
            int pos = DnsWire.HeaderLength;
            if (!DnsName.EqualsString(p, len, pos, name)) return -1;
            pos = DnsName.Skip(p, len, pos);
            if (pos < 0 || pos + 4 > len) return -1;
            if (DnsWire.ReadUInt16(p, pos) != qtype) return -1;
            if (DnsWire.ReadUInt16(p, pos + 2) != DnsWire.ClassIn) return -1;
            return pos + 4;
        }

        /// <summary>
        /// Offset after the record whose name starts at <paramref name="pos"/>, or -1 when the
        /// name is malformed or the fixed part or the RDATA run past the message.
        /// </summary>
        public static int SkipRecord(byte[] p, int len, int pos)
        {
            int f = DnsName.Skip(p, len, pos);
            if (f < 0 || f + RecordFixedLength > len) return -1;
            int rdlength = DnsWire.ReadUInt16(p, f + 8);
            int end = f + RecordFixedLength + rdlength;
            if (end > len) return -1; // RFC 1035 §4.1.3: RDLENGTH must stay inside the message
            return end;
        }

        /// <summary>
        /// Walks the answer, authority and additional sections from <paramref name="pos"/>
        /// (after the question), at most <paramref name="maxRecords"/> records in all; true
        /// when every record walked is well formed.
        /// </summary>
        public static bool ValidateRecords(byte[] p, int len, int pos, int maxRecords)
        {
            int total = DnsWire.AnCount(p) + DnsWire.NsCount(p) + DnsWire.ArCount(p);
            if (total > maxRecords) total = maxRecords;
            for (int i = 0; i < total; i++)
            {
                pos = SkipRecord(p, len, pos);
                if (pos < 0) return false;
            }
            return true;
        }

        /// <summary>
        /// Makes the first <paramref name="len"/> octets of a longer message (a TCP answer over the
        /// packet buffer) a message of their own: each section count becomes the number of its
        /// records that lie wholly inside, the sections after a cut one become empty, and the
        /// length becomes the end of the last whole record. Compression pointers only point
        /// backwards, so every kept name still resolves. Returns the new length, or -1 when not
        /// even the question fits.
        /// </summary>
        public static int KeepWholeRecords(byte[] p, int len)
        {
            if (len < DnsWire.HeaderLength || DnsWire.QdCount(p) != 1) return -1;
            int end = FirstRecord(p, len);
            if (end < 0 || end > len) return -1;
            bool cut = false;
            for (int offset = 6; offset <= 10; offset += 2)   // ANCOUNT, NSCOUNT, ARCOUNT (RFC 1035 §4.1.1)
            {
                int count = DnsWire.ReadUInt16(p, offset);
                int kept = 0;
                while (!cut && kept < count)
                {
                    int next = SkipRecord(p, len, end);
                    if (next < 0) cut = true;
                    else
                    {
                        end = next;
                        kept++;
                    }
                }
                DnsWire.WriteUInt16(p, offset, kept);
            }
            return end;
        }

        /// <summary>Offset of the fixed part (TYPE) of the record at <paramref name="pos"/>; the message must be validated.</summary>
        public static int FixedPart(byte[] p, int len, int pos)
        {
            return DnsName.Skip(p, len, pos);
        }

        public static int Type(byte[] p, int fixedPart) { return DnsWire.ReadUInt16(p, fixedPart); }

        public static int Class(byte[] p, int fixedPart) { return DnsWire.ReadUInt16(p, fixedPart + 2); }

        public static long Ttl(byte[] p, int fixedPart) { return DnsWire.ReadTtl(p, fixedPart + 4); }

        public static int RdLength(byte[] p, int fixedPart) { return DnsWire.ReadUInt16(p, fixedPart + 8); }

        public static int RdData(int fixedPart) { return fixedPart + RecordFixedLength; }

        /// <summary>Offset of the first record after the question (the message must have matched a question).</summary>
        public static int FirstRecord(byte[] p, int len)
        {
            int pos = DnsName.Skip(p, len, DnsWire.HeaderLength);
            return pos < 0 ? -1 : pos + 4;
        }

        /// <summary>Formats the 4 octets at <paramref name="offset"/> as dotted decimal. Allocates the string only.</summary>
        public static string FormatIPv4(byte[] p, int offset)
        {
            char[] c = new char[15];
            int k = 0;
            for (int i = 0; i < 4; i++)
            {
                if (i > 0) c[k++] = '.';
                int v = p[offset + i];
                if (v >= 100) c[k++] = (char)('0' + v / 100);
                if (v >= 10) c[k++] = (char)('0' + v / 10 % 10);
                c[k++] = (char)('0' + v % 10);
            }
            return new string(c, 0, k);
        }

        /// <summary>Formats the 16 octets at <paramref name="offset"/> as eight hex groups (RFC 4291 §2.2 form 1). Allocates.</summary>
        public static string FormatIPv6(byte[] p, int offset)
        {
            char[] c = new char[39];
            int k = 0;
            for (int g = 0; g < 8; g++)
            {
                if (g > 0) c[k++] = ':';
                int v = (p[offset + 2 * g] << 8) | p[offset + 2 * g + 1];
                c[k++] = Hex(v >> 12);
                c[k++] = Hex(v >> 8);
                c[k++] = Hex(v >> 4);
                c[k++] = Hex(v);
            }
            return new string(c, 0, k);
        }

        private static char Hex(int v)
        {
            v &= 0xF;
            return (char)(v < 10 ? '0' + v : 'a' + v - 10);
        }
    }
}
