// A local account from "user.NAME = SECRET": a POP3 mailbox (RFC 1939) and an SMTP
// AUTH identity (RFC 4954). The secret is kept as given because both POP3 APOP-less
// USER/PASS and AUTH PLAIN compare it directly; the board has no password hashing
// library worth its flash for a handful of device accounts.

namespace NanoMailGateway.Core.Config
{
    /// <summary>An immutable local account.</summary>
    public sealed class Account
    {
        /// <summary>Longest account name: the local-part limit of RFC 5321 §4.5.3.1.1.</summary>
        public const int MaxNameLength = 64;

        /// <summary>Longest secret accepted, so that an AUTH PLAIN line stays under 512 octets (RFC 5321 §4.5.3.1.4).</summary>
        public const int MaxSecretLength = 128;

        /// <summary>Creates an account; the caller has validated both parts.</summary>
        public Account(string name, string secret)
        {
            Name = name;
            Secret = secret;
        }

        /// <summary>The mailbox name (the local part of NAME@local-domain); matched ignoring ASCII case.</summary>
        public string Name { get; }

        /// <summary>The password.</summary>
        public string Secret { get; }

        /// <summary>
        /// A name is 1..64 of letters, digits, '.', '_', '-', not starting with '.': a
        /// dot-atom local part (RFC 5322 §3.2.3) without the characters that need quoting
        /// or that routing tricks use ('%', '!', '@').
        /// </summary>
        public static bool IsValidName(string name)
        {
            if (name.Length == 0 || name.Length > MaxNameLength || name[0] == '.' || name[name.Length - 1] == '.') return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok) return false;
                if (c == '.' && name[i - 1] == '.') return false;
            }
            return true;
        }

        /// <summary>A secret is 1..128 printable ASCII characters (no spaces: AUTH and PASS arguments).</summary>
        public static bool IsValidSecret(string secret)
        {
            if (secret.Length == 0 || secret.Length > MaxSecretLength) return false;
            for (int i = 0; i < secret.Length; i++)
            {
                if (secret[i] <= ' ' || secret[i] > '~') return false;
            }
            return true;
        }
    }
}
