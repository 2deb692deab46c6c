// xtext (RFC 3461 §4): the encoding of ENVID and ORCPT values in SMTP parameters.
//   xtext = *( xchar / hexchar ); xchar = "!".."~" except "+" and "=";
//   hexchar = "+" 2(%x30-39 / %x41-46)
// Characters above U+00FF cannot be represented by our byte strings and become '?'.

namespace NanoMailGateway.Core.Text
{
    /// <summary>xtext encoder (allocates one string).</summary>
    public static class XText
    {
        private const string Hex = "0123456789ABCDEF";

        /// <summary>Encodes <paramref name="value"/> as xtext.</summary>
        public static string Encode(string value)
        {
            int n = 0;
            for (int i = 0; i < value.Length; i++) n += NeedsHex(value[i]) ? 3 : 1;
            if (n == value.Length) return value;
            char[] c = new char[n];
            int o = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char ch = value[i];
                if (!NeedsHex(ch))
                {
                    c[o++] = ch;
                    continue;
                }
                int b = ch < (char)256 ? ch : '?';
                c[o++] = '+';
                c[o++] = Hex[b >> 4];
                c[o++] = Hex[b & 15];
            }
            return new string(c);
        }

        private static bool NeedsHex(char ch)
        {
            return ch < '!' || ch > '~' || ch == '+' || ch == '=';
        }
    }
}
