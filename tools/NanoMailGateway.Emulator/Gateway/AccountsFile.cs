// The accounts nmg keeps in its data directory (DATA/accounts), in the config format:
//   user.postmaster = 7hq2kx9vmd4wr8ta
// At first start, unless the config file defines the postmaster account, nmg creates it
// with a random password, prints the password once and stores it here (mode 0600).
// Accounts from the config file override those in this file.

using System;
using System.IO;
using System.Text;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Gateway
{
    public static class AccountsFile
    {
        public const string FileName = "accounts";

        /// <summary>Password length: 16 characters from a 31-symbol alphabet, about 79 bits.</summary>
        public const int PasswordLength = 16;

        // No 0/o, 1/l/i: the password is read off a terminal and typed into a phone.
        private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

        /// <summary>
        /// Makes sure the postmaster account exists and merges the file's accounts into
        /// <paramref name="config"/> (the config's own accounts win). Returns the new
        /// password when one was created now, else null.
        /// </summary>
        /// <exception cref="IOException">the file cannot be read or written.</exception>
        /// <exception cref="InvalidDataException">the file does not parse (message has file:line).</exception>
        public static string? Apply(GatewayConfig config, string dataDir, IRandom random)
        {
            string path = Path.Combine(dataDir, FileName);
            string? created = null;
            if (!File.Exists(path) && config.FindAccount(config.Postmaster) == null)
            {
                created = NewPassword(random);
                string text = "# Accounts created by nmg (config format). user.NAME = SECRET\n"
                    + "user." + config.Postmaster + " = " + created + "\n";
                WritePrivate(path, text);
            }
            if (!File.Exists(path)) return created;
            byte[] data = File.ReadAllBytes(path);
            var fromFile = new GatewayConfig();
            ConfigError? err = ConfigParser.Parse(data, 0, data.Length, path, fromFile, false);
            if (err != null) throw new InvalidDataException(err.ToString());
            for (int i = 0; i < fromFile.AccountCount; i++)
            {
                Account a = fromFile.GetAccount(i);
                if (config.FindAccount(a.Name) == null && !config.SetAccount(a.Name, a.Secret))
                {
                    throw new InvalidDataException(path + ": more than " + GatewayConfig.MaxAccounts + " accounts");
                }
            }
            return created;
        }

        /// <summary>A random password from <see cref="Alphabet"/>.</summary>
        public static string NewPassword(IRandom random)
        {
            var sb = new StringBuilder(PasswordLength);
            for (int i = 0; i < PasswordLength; i++) sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            return sb.ToString();
        }

        private static void WritePrivate(string path, string text)
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var fs = new FileStream(path, options))
            {
                byte[] b = Encoding.ASCII.GetBytes(text);
                fs.Write(b, 0, b.Length);
                fs.Flush(true);
            }
        }
    }
}
