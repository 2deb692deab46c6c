// ASCII on bytes. nanoFramework's mscorlib has no Encoding and no StringBuilder, and
// protocol lines are parsed in place on byte[] (ARCHITECTURE.md, Memory), so these few
// helpers are the whole text toolkit of Core. Everything here treats bytes >= 0x80 as
// opaque: only US-ASCII letters fold case (RFC 5321 §2.4: verbs and domain names are
// case-insensitive, local parts are not ours to fold).

namespace NanoMailGateway.Core.Text
{
    /// <summary>Allocation-free ASCII helpers on byte ranges; only the *String methods allocate.</summary>
    public static class Ascii
    {
        /// <summary>Carriage return, 13.</summary>
        public const byte CR = 13;

        /// <summary>Line feed, 10.</summary>
        public const byte LF = 10;

        /// <summary>Space, 32.</summary>
        public const byte SP = 32;

        /// <summary>Horizontal tab, 9.</summary>
        public const byte HT = 9;

        /// <summary>Upper-cases an ASCII letter; other bytes pass unchanged.</summary>
        public static byte ToUpper(byte b)
        {
            return (b >= (byte)'a' && b <= (byte)'z') ? (byte)(b - 32) : b;
        }

        /// <summary>Lower-cases an ASCII letter; other bytes pass unchanged.</summary>
        public static byte ToLower(byte b)
        {
            return (b >= (byte)'A' && b <= (byte)'Z') ? (byte)(b + 32) : b;
        }

        /// <summary>True for '0'..'9'.</summary>
        public static bool IsDigit(byte b)
        {
            return b >= (byte)'0' && b <= (byte)'9';
        }

        /// <summary>True for ASCII letters.</summary>
        public static bool IsLetter(byte b)
        {
            return (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z');
        }

        /// <summary>
        /// True when <paramref name="buffer"/>[<paramref name="offset"/>..] starts with the
        /// literal <paramref name="upperLiteral"/>, comparing case-insensitively.
        /// The literal must be given in upper case ASCII ("MAIL FROM:").
        /// </summary>
        public static bool StartsWithIgnoreCase(byte[] buffer, int offset, int count, byte[] upperLiteral)
        {
            if (count < upperLiteral.Length) return false;
            for (int i = 0; i < upperLiteral.Length; i++)
            {
                if (ToUpper(buffer[offset + i]) != upperLiteral[i]) return false;
            }
            return true;
        }

        /// <summary>True when the range equals the upper-case literal, ignoring ASCII case.</summary>
        public static bool EqualsIgnoreCase(byte[] buffer, int offset, int count, byte[] upperLiteral)
        {
            return count == upperLiteral.Length && StartsWithIgnoreCase(buffer, offset, count, upperLiteral);
        }

        /// <summary>
        /// <see cref="StartsWithIgnoreCase(byte[], int, int, byte[])"/> against a string
        /// literal in upper case ASCII. Keywords are kept as string constants rather than
        /// static byte arrays: a literal stays in the assembly's string table (flash on the
        /// board), while every static array is built by a static constructor at boot and
        /// holds managed heap for the whole run (ARCHITECTURE.md, Memory).
        /// </summary>
        public static bool StartsWithIgnoreCase(byte[] buffer, int offset, int count, string upperLiteral)
        {
            int n = upperLiteral.Length;
            if (count < n) return false;
            for (int i = 0; i < n; i++)
            {
                // ToUpper in place: a call per octet is one more heap frame on nanoCLR at the
                // bottom of the deepest paths (header parsing in DATA, command dispatch).
                int c = buffer[offset + i];
                if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
                if (c != upperLiteral[i]) return false;
            }
            return true;
        }

        /// <summary>True when the range equals the upper-case string literal, ignoring ASCII case.</summary>
        public static bool EqualsIgnoreCase(byte[] buffer, int offset, int count, string upperLiteral)
        {
            return count == upperLiteral.Length && StartsWithIgnoreCase(buffer, offset, count, upperLiteral);
        }

        /// <summary>True when two byte ranges are equal ignoring ASCII case (DNS names, RFC 1035 §2.3.3).</summary>
        public static bool EqualsIgnoreCase(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (ToLower(a[aOffset + i]) != ToLower(b[bOffset + i])) return false;
            }
            return true;
        }

        /// <summary>True when two strings are equal ignoring ASCII case only.</summary>
        public static bool EqualsIgnoreCase(string a, string b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                char x = a[i];
                char y = b[i];
                if (x == y) continue;
                if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
                if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
                if (x != y) return false;
            }
            return true;
        }

        /// <summary>Lower-cases the ASCII letters of a string (domains are kept in lower case).</summary>
        public static string ToLowerString(string s)
        {
            bool any = false;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] >= 'A' && s[i] <= 'Z') { any = true; break; }
            }
            if (!any) return s;
            char[] c = s.ToCharArray();
            for (int i = 0; i < c.Length; i++)
            {
                if (c[i] >= 'A' && c[i] <= 'Z') c[i] = (char)(c[i] + 32);
            }
            return new string(c);
        }

        /// <summary>Index of <paramref name="value"/> in the range, or -1.</summary>
        public static int IndexOf(byte[] buffer, int offset, int count, byte value)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                if (buffer[i] == value) return i;
            }
            return -1;
        }

        /// <summary>
        /// Parses an unsigned decimal number from the whole range. Returns -1 when the range
        /// is empty, holds a non-digit, or the value would exceed <paramref name="max"/>.
        /// </summary>
        public static long ParseDecimal(byte[] buffer, int offset, int count, long max)
        {
            if (count <= 0) return -1;
            long v = 0;
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                if (!IsDigit(b)) return -1;
                v = v * 10 + (b - (byte)'0');
                if (v > max) return -1;
            }
            return v;
        }

        /// <summary>
        /// Makes a string from ASCII bytes (bytes &gt;= 0x80 become U+0080..U+00FF, so nothing
        /// is lost and nothing throws). Allocates: use only for what is kept or logged.
        /// </summary>
        public static string GetString(byte[] buffer, int offset, int count)
        {
            char[] c = new char[count];
            for (int i = 0; i < count; i++) c[i] = (char)buffer[offset + i];
            return new string(c);
        }

        /// <summary>
        /// The bytes of a string whose characters are all below U+0100 (the inverse of
        /// <see cref="GetString"/>); other characters become '?'. Allocates.
        /// </summary>
        public static byte[] GetBytes(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                b[i] = c < (char)256 ? (byte)c : (byte)'?';
            }
            return b;
        }

        /// <summary>
        /// Copies the characters of <paramref name="s"/> as bytes into the buffer (see
        /// <see cref="GetBytes"/>) and returns how many were written; stops at the buffer's end.
        /// </summary>
        public static int CopyTo(string s, byte[] buffer, int offset)
        {
            int n = s.Length;
            if (n > buffer.Length - offset) n = buffer.Length - offset;
            for (int i = 0; i < n; i++)
            {
                char c = s[i];
                buffer[offset + i] = c < (char)256 ? (byte)c : (byte)'?';
            }
            return n;
        }

        /// <summary>
        /// Writes the decimal digits of a non-negative number into the buffer and returns how
        /// many bytes it wrote. No allocation (unlike int.ToString on the device).
        /// </summary>
        public static int WriteDecimal(long value, byte[] buffer, int offset)
        {
            if (value < 0) value = 0;
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) digits++;
            for (int i = digits - 1; i >= 0; i--)
            {
                buffer[offset + i] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }
            return digits;
        }
    }
}
