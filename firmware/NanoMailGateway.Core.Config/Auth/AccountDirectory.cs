// The accounts that may authenticate (SMTP AUTH now, POP3 USER/PASS later): name ->
// secret, from the `user.NAME = secret` configuration entries. The secret check runs in
// time that depends only on the lengths involved, never on where the first differing
// byte is, and runs even for an unknown name, so timing tells an attacker little.
// Names compare ignoring ASCII case, as the configuration does (GatewayConfig.FindAccount).
// The directory is also POP3's IMailboxAuthenticator, so both protocols share one check.
// Left out on purpose: hashed secrets (the board has no KDF to spare; the config file
// lives in the board's flash next to the Wi-Fi credentials) and non-ASCII secrets
// (characters are compared as given; SASL bytes map 1:1 to U+0000-U+00FF).

using System.Collections;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Auth
{
    /// <summary>Account names and secrets. Fill before use; then thread-safe for reading.</summary>
    public sealed class AccountDirectory : IMailboxAuthenticator
    {
        /// <summary>Prefix of account entries in the configuration ("user.alice").</summary>
        public const string ConfigPrefix = "user.";

        private readonly ArrayList _names = new ArrayList();
        private readonly ArrayList _secrets = new ArrayList();

        /// <summary>Number of accounts.</summary>
        public int Count => _names.Count;

        /// <summary>Adds or replaces an account. Names compare ignoring ASCII case.</summary>
        public void Add(string name, string secret)
        {
            int i = IndexOf(name);
            if (i >= 0)
            {
                _secrets[i] = secret;
                return;
            }
            _names.Add(name);
            _secrets.Add(secret);
        }

        /// <summary>
        /// Takes a configuration entry when its key is "user.NAME" (returns true), ignores
        /// any other key (returns false).
        /// </summary>
        public bool AddFromConfig(string key, string value)
        {
            if (key.Length <= ConfigPrefix.Length || key.Substring(0, ConfigPrefix.Length) != ConfigPrefix) return false;
            Add(key.Substring(ConfigPrefix.Length), value);
            return true;
        }

        /// <summary>True when <paramref name="name"/> exists.</summary>
        public bool Contains(string name)
        {
            return IndexOf(name) >= 0;
        }

        /// <summary>True when the account exists and <paramref name="secret"/> matches (constant-time compare).</summary>
        public bool Verify(string name, string secret)
        {
            return Authenticate(name, secret) != null;
        }

        /// <summary>
        /// The account's name as configured when <paramref name="name"/> exists and
        /// <paramref name="secret"/> matches (constant-time compare), otherwise null.
        /// </summary>
        public string? Authenticate(string name, string secret)
        {
            int i = IndexOf(name);
            // An unknown name is compared against the secret itself so that the work done
            // is the same whether or not the name exists.
            string expected = i >= 0 ? (string)_secrets[i]! : secret;
            bool same = FixedTimeEquals(expected, secret);
            return i >= 0 && same ? (string)_names[i]! : null;
        }

        /// <summary>Compares two strings touching every character of the longer one.</summary>
        public static bool FixedTimeEquals(string a, string b)
        {
            int n = a.Length > b.Length ? a.Length : b.Length;
            int diff = a.Length ^ b.Length;
            for (int k = 0; k < n; k++)
            {
                int x = k < a.Length ? a[k] : 0;
                int y = k < b.Length ? b[k] : 0;
                diff |= x ^ y;
            }
            return diff == 0;
        }

        private int IndexOf(string name)
        {
            for (int i = 0; i < _names.Count; i++)
            {
                if (Ascii.EqualsIgnoreCase((string)_names[i]!, name)) return i;
            }
            return -1;
        }
    }
}
