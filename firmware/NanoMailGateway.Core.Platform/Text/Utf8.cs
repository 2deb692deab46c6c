// UTF-8 encoding of a string (RFC 3629), for what must leave as UTF-8: SASL
// credentials (RFC 4616 §2: authcid and passwd are UTF-8). nanoFramework's mscorlib
// has no Encoding class. Unpaired surrogates become '?'.

namespace NanoMailGateway.Core.Text
{
    /// <summary>UTF-8 encoder (allocates the result).</summary>
    public static class Utf8
    {
        /// <summary>The UTF-8 bytes of <paramref name="s"/>.</summary>
        public static byte[] GetBytes(string s)
        {
            int n = 0;
            for (int i = 0; i < s.Length; i++) n += Encode(s, ref i, null, 0);
            byte[] b = new byte[n];
            int o = 0;
            for (int i = 0; i < s.Length; i++) o += Encode(s, ref i, b, o);
            return b;
        }

        /// <summary>Encodes the code point at <paramref name="i"/> (advancing past a surrogate pair);
        /// writes into <paramref name="output"/> when it is not null. Returns the byte count.</summary>
        private static int Encode(string s, ref int i, byte[]? output, int o)
        {
            int c = s[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.Length && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
            {
                c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                i++;
            }
            else if (c >= 0xD800 && c <= 0xDFFF)
            {
                c = '?';
            }
            if (c < 0x80)
            {
                if (output != null) output[o] = (byte)c;
                return 1;
            }
            if (c < 0x800)
            {
                if (output != null) { output[o] = (byte)(0xC0 | (c >> 6)); output[o + 1] = (byte)(0x80 | (c & 0x3F)); }
                return 2;
            }
            if (c < 0x10000)
            {
                if (output != null) { output[o] = (byte)(0xE0 | (c >> 12)); output[o + 1] = (byte)(0x80 | ((c >> 6) & 0x3F)); output[o + 2] = (byte)(0x80 | (c & 0x3F)); }
                return 3;
            }
            if (output != null)
            {
                output[o] = (byte)(0xF0 | (c >> 18));
                output[o + 1] = (byte)(0x80 | ((c >> 12) & 0x3F));
                output[o + 2] = (byte)(0x80 | ((c >> 6) & 0x3F));
                output[o + 3] = (byte)(0x80 | (c & 0x3F));
            }
            return 4;
        }
    }
}
