// Server side of the SASL mechanisms we offer: PLAIN (RFC 4616) and LOGIN
// (draft-murchison-sasl-login, as used with RFC 4954). It decodes the client's base64
// responses (RFC 4954 §4: "=" is an empty initial response, "*" cancels) and produces
// the credentials; the protocol (SMTP, POP3) maps each step to its own reply and asks
// the AccountDirectory. The decoded secret lives in a string for as short as possible.
// Left out on purpose: authorization identities other than the authenticated one
// (PLAIN's authzid must be empty or equal to authcid), CRAM-MD5/SCRAM (need secrets at
// rest in clear anyway, and TLS is the answer to sniffing).

using System;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Auth
{
    /// <summary>What the SASL exchange needs next.</summary>
    public enum SaslStep
    {
        /// <summary>Send an empty challenge and wait for the PLAIN response.</summary>
        NeedPlainResponse,
        /// <summary>Send the LOGIN "Username:" challenge.</summary>
        NeedUsername,
        /// <summary>Send the LOGIN "Password:" challenge.</summary>
        NeedPassword,
        /// <summary>Credentials are ready in UserName / Password: verify them.</summary>
        Verify,
        /// <summary>The client sent "*" (RFC 4954 §4).</summary>
        Cancelled,
        /// <summary>Not base64, or not a valid PLAIN message.</summary>
        BadEncoding,
        /// <summary>A mechanism we do not offer.</summary>
        UnknownMechanism,
    }

    /// <summary>One SASL exchange at a time, reused per session. Not thread-safe.</summary>
    public sealed class SaslServer
    {
        // Mechanism names as string constants: a literal stays in the assembly's string
        // table (flash), a static byte[] would be heap from boot on nanoCLR (ARCHITECTURE.md, Memory).
        private const string MechPlain = "PLAIN";
        private const string MechLogin = "LOGIN";

        private SaslStep _step;

        /// <summary>The authentication identity once the step is Verify.</summary>
        public string UserName { get; private set; } = "";

        /// <summary>The secret once the step is Verify; cleared by <see cref="Clear"/>.</summary>
        public string Password { get; private set; } = "";

        /// <summary>Forgets the credentials.</summary>
        public void Clear()
        {
            UserName = "";
            Password = "";
        }

        /// <summary>
        /// Starts an exchange: <paramref name="mechanism"/> is the mechanism name range;
        /// <paramref name="initialLength"/> &lt; 0 means no initial response was given.
        /// </summary>
        public SaslStep Start(byte[] b, int mechanism, int mechanismLength, int initial, int initialLength)
        {
            Clear();
            if (Ascii.EqualsIgnoreCase(b, mechanism, mechanismLength, MechPlain))
            {
                _step = SaslStep.NeedPlainResponse;
                return initialLength < 0 ? _step : Respond(b, initial, initialLength);
            }
            if (Ascii.EqualsIgnoreCase(b, mechanism, mechanismLength, MechLogin))
            {
                _step = SaslStep.NeedUsername;
                return initialLength < 0 ? _step : Respond(b, initial, initialLength);
            }
            return SaslStep.UnknownMechanism;
        }

        /// <summary>Takes the client's response line (base64, without CRLF).</summary>
        public SaslStep Respond(byte[] b, int offset, int count)
        {
            if (count == 1 && b[offset] == (byte)'*') return SaslStep.Cancelled; // RFC 4954 §4
            byte[]? raw = Decode(b, offset, count);
            if (raw == null) return SaslStep.BadEncoding;
            switch (_step)
            {
                case SaslStep.NeedPlainResponse:
                    return Plain(raw);
                case SaslStep.NeedUsername:
                    UserName = Ascii.GetString(raw, 0, raw.Length);
                    _step = SaslStep.NeedPassword;
                    return _step;
                case SaslStep.NeedPassword:
                    Password = Ascii.GetString(raw, 0, raw.Length);
                    Array.Clear(raw, 0, raw.Length);
                    _step = SaslStep.Verify;
                    return _step;
                default:
                    return SaslStep.BadEncoding;
            }
        }

        /// <summary>
        /// Decodes a whole base64 PLAIN response (RFC 4616 §2) in b[offset .. offset+count),
        /// for protocols that run the PLAIN exchange themselves (POP3 AUTH, RFC 5034). False
        /// for bad base64, a wrong shape, an empty or over-long authcid, or an authzid that
        /// differs from it. Allocates the two strings (login only, not per line).
        /// </summary>
        public static bool TryDecodePlain(byte[] b, int offset, int count, out string user, out string password)
        {
            user = "";
            password = "";
            byte[]? raw = Decode(b, offset, count);
            if (raw == null) return false;
            bool ok = ParsePlain(raw, out user, out password);
            Array.Clear(raw, 0, raw.Length);
            return ok;
        }

        private SaslStep Plain(byte[] raw)
        {
            bool ok = ParsePlain(raw, out string user, out string password);
            Array.Clear(raw, 0, raw.Length);
            if (!ok) return SaslStep.BadEncoding;
            UserName = user;
            Password = password;
            _step = SaslStep.Verify;
            return _step;
        }

        // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd; authcid is 1..255
        // octets and no part holds a NUL (an empty passwd is left to the account check). An
        // authzid must be empty or name the authcid's own account (names compare
        // case-insensitively, as AccountDirectory does).
        private static bool ParsePlain(byte[] raw, out string user, out string password)
        {
            user = "";
            password = "";
            int first = Ascii.IndexOf(raw, 0, raw.Length, 0);
            if (first < 0) return false;
            int second = Ascii.IndexOf(raw, first + 1, raw.Length - first - 1, 0);
            if (second < 0) return false;
            if (Ascii.IndexOf(raw, second + 1, raw.Length - second - 1, 0) >= 0) return false;
            int authcidLength = second - first - 1;
            if (authcidLength < 1 || authcidLength > 255) return false;
            if (first > 0 && !(first == authcidLength && Ascii.EqualsIgnoreCase(raw, 0, raw, first + 1, first))) return false;
            user = Ascii.GetString(raw, first + 1, authcidLength);
            password = Ascii.GetString(raw, second + 1, raw.Length - second - 1);
            return true;
        }

        // Base64 of a response; "=" is the empty response (RFC 4954 §4). The alphabet and the
        // padding (only in the last two places, RFC 4648 §4) are checked before Convert sees
        // the text, so bad input is a refusal rather than an exception on either runtime.
        private static byte[]? Decode(byte[] b, int offset, int count)
        {
            if (count == 1 && b[offset] == (byte)'=') return new byte[0];
            if (count == 0 || count % 4 != 0) return null;
            for (int i = 0; i < count; i++)
            {
                byte c = b[offset + i];
                bool pad = c == (byte)'=' && i >= count - 2;
                if (pad && i == count - 2 && b[offset + count - 1] != (byte)'=') return null;
                if (!pad && !(Ascii.IsLetter(c) || Ascii.IsDigit(c) || c == (byte)'+' || c == (byte)'/')) return null;
            }
            try
            {
                return Convert.FromBase64String(Ascii.GetString(b, offset, count));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
