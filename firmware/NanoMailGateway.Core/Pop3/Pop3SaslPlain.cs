// Decoding of a SASL PLAIN response (RFC 4616 §2) for POP3 AUTH (RFC 5034):
//   message = [authzid] UTF8NUL authcid UTF8NUL passwd, base64-encoded (RFC 4648 §4).
// The base64 is checked before Convert sees it, so bad input is a refusal, not an
// exception. An authzid other than empty or the authcid is refused: we do not let one
// account act as another (RFC 4616 §2 leaves that to the server's policy).
// Core/Auth has the listener's decoder; the integrator may point this at it.

using System;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>SASL PLAIN response decoder. Stateless; thread-safe.</summary>
    public static class Pop3SaslPlain
    {
        /// <summary>
        /// Decodes the base64 response in buffer[offset .. offset+count). False for bad
        /// base64, a wrong shape, an empty authcid, or an authzid that differs from it.
        /// Allocates the two strings (login only, not per line).
        /// </summary>
        public static bool TryDecode(byte[] buffer, int offset, int count, out string user, out string password)
        {
            user = "";
            password = "";
            if (count == 0 || count % 4 != 0) return false;
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                bool pad = b == (byte)'=' && i >= count - 2;
                if (pad && i == count - 2 && buffer[offset + count - 1] != (byte)'=') return false;
                if (!pad && !(Ascii.IsLetter(b) || Ascii.IsDigit(b) || b == (byte)'+' || b == (byte)'/')) return false;
            }
            byte[] raw = Convert.FromBase64String(Ascii.GetString(buffer, offset, count));
            int first = Ascii.IndexOf(raw, 0, raw.Length, 0);
            if (first < 0) return false;
            int second = Ascii.IndexOf(raw, first + 1, raw.Length - first - 1, 0);
            if (second < 0) return false;
            int authcidLength = second - first - 1;
            if (authcidLength < 1 || authcidLength > 255) return false;
            if (first > 0 && !(first == authcidLength && Ascii.EqualsIgnoreCase(raw, 0, raw, first + 1, first))) return false;
            user = Ascii.GetString(raw, first + 1, authcidLength);
            password = Ascii.GetString(raw, second + 1, raw.Length - second - 1);
            return true;
        }
    }
}
