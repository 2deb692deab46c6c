// Reading domain names in place on a received message (RFC 1035 §3.1, §4.1.4), the
// part of a resolver that hostile input attacks first. Every rule is enforced here:
// - a compression pointer must point strictly before the segment being read (the
//   name's own start, then each earlier jump target), so every jump goes backwards
//   and no pointer can loop, self-point or point forward (RFC 1035 §4.1.4: pointers
//   refer to a "prior occurance"); at most MaxJumps jumps;
// - pointers may not point into the header;
// - label types 01 and 10 (RFC 6891 §5, obsolete binary labels) are rejected;
// - labels are at most 63 octets by construction and the whole name at most 255
//   octets counting length octets and the root (RFC 1035 §2.3.4);
// - every octet read is inside the message.
// Nothing allocates except ReadName, which makes the string that is kept.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>
    /// A cursor over the labels of one name. Use <see cref="At"/>, then call
    /// <see cref="Next"/> until it returns 0 (root reached) or -1 (malformed).
    /// </summary>
    public struct DnsName
    {
        /// <summary>Most compression jumps followed in one name; 127 labels is the real ceiling.</summary>
        public const int MaxJumps = 32;

        private byte[] _p;
        private int _len;
        private int _pos;
        private int _segmentStart;
        private int _wire;
        private int _jumps;
        private int _end;

        /// <summary>Offset of the current label's first octet (after its length octet).</summary>
        public int LabelOffset;

        /// <summary>Starts reading the name at <paramref name="pos"/> of a message of <paramref name="len"/> octets.</summary>
        public static DnsName At(byte[] p, int len, int pos)
        {
            DnsName n = new DnsName();
            n._p = p;
            n._len = len;
            n._pos = pos;
            n._segmentStart = pos;
            n._end = -1;
            return n;
        }

        /// <summary>Offset just after the name where it was written (valid after Next returned 0).</summary>
        public int End => _end;

        /// <summary>Returns the next label's length (1..63), 0 at the root, -1 when the name is malformed.</summary>
        public int Next()
        {
            while (true)
            {
                if (_pos >= _len) return -1;
                int b = _p[_pos];
                int kind = b & 0xC0;
                if (kind == 0xC0)
                {
                    if (_pos + 1 >= _len) return -1;
                    int target = ((b & 0x3F) << 8) | _p[_pos + 1];
                    // RFC 1035 §4.1.4: only backwards, before the current segment: no loop possible.
                    if (target >= _segmentStart || target < DnsWire.HeaderLength) return -1;
                    _jumps++;
                    if (_jumps > MaxJumps) return -1;
                    if (_end < 0) _end = _pos + 2;
                    _pos = target;
                    _segmentStart = target;
                    continue;
                }
                if (kind != 0) return -1; // 0x40 / 0x80 label types are not host names
                if (b == 0)
                {
                    _wire += 1;
                    if (_wire > DnsWire.MaxNameLength) return -1;
                    if (_end < 0) _end = _pos + 1;
                    return 0;
                }
                _wire += 1 + b;
                if (_wire + 1 > DnsWire.MaxNameLength) return -1; // RFC 1035 §2.3.4: 255 octets with the root
                if (_pos + 1 + b > _len) return -1;
                LabelOffset = _pos + 1;
                _pos += 1 + b;
                return b;
            }
        }

        /// <summary>Offset after the name at <paramref name="pos"/>, or -1 when it is malformed.</summary>
        public static int Skip(byte[] p, int len, int pos)
        {
            DnsName n = At(p, len, pos);
            while (true)
            {
                int l = n.Next();
                if (l < 0) return -1;
                if (l == 0) return n.End;
            }
        }

        /// <summary>
        /// True when the name at <paramref name="pos"/> equals <paramref name="name"/> (dotted,
        /// no trailing dot, "" for the root), ignoring ASCII case (RFC 1035 §2.3.3).
        /// </summary>
        public static bool EqualsString(byte[] p, int len, int pos, string name)
        {
            DnsName n = At(p, len, pos);
            int i = 0;
            int nl = name.Length;
            while (true)
            {
                int l = n.Next();
                if (l < 0) return false;
                if (l == 0) return i >= nl;
                if (i > 0)
                {
                    if (i >= nl || name[i] != '.') return false;
                    i++;
                }
                if (i + l > nl) return false;
                int o = n.LabelOffset;
                for (int k = 0; k < l; k++)
                {
                    int a = Text.Ascii.ToLower(p[o + k]);
                    char c = name[i + k];
                    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
                    if (a != c) return false;
                }
                i += l;
            }
        }

        /// <summary>
        /// Reads the name at <paramref name="pos"/> as a lower-case dotted string without the
        /// trailing dot ("" for the root). Returns null when it is malformed, ends anywhere but
        /// <paramref name="requiredEnd"/> (when that is &gt;= 0), or holds a character that is not
        /// a host-name character. Allocates the returned string only.
        /// </summary>
        public static string? Read(byte[] p, int len, int pos, int requiredEnd)
        {
            DnsName n = At(p, len, pos);
            int chars = 0;
            while (true)
            {
                int l = n.Next();
                if (l < 0) return null;
                if (l == 0) break;
                for (int k = 0; k < l; k++)
                {
                    if (!DnsWire.IsNameChar((char)p[n.LabelOffset + k])) return null;
                }
                chars += chars == 0 ? l : l + 1;
            }
            if (requiredEnd >= 0 && n.End != requiredEnd) return null;
            if (chars == 0) return "";
            char[] c = new char[chars];
            n = At(p, len, pos);
            int i = 0;
            while (true)
            {
                int l = n.Next();
                if (l <= 0) break;
                if (i > 0) c[i++] = '.';
                for (int k = 0; k < l; k++) c[i++] = (char)Text.Ascii.ToLower(p[n.LabelOffset + k]);
            }
            return new string(c);
        }
    }
}
