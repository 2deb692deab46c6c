// The host's default DNS servers: the `nameserver` lines of /etc/resolv.conf
// (resolv.conf(5)). Only IPv4 addresses are kept, because the resolver's UDP socket is
// IPv4 (as on the board); `#` and `;` start comments. Other keywords (search, domain,
// options) are ignored: the gateway looks up fully qualified mail domains only.

using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>Reads nameserver addresses from resolv.conf text.</summary>
    public static class ResolvConf
    {
        /// <summary>Default path on Linux and macOS.</summary>
        public const string DefaultPath = "/etc/resolv.conf";

        /// <summary>The IPv4 nameservers of the file, in order; empty when it is missing or unreadable.</summary>
        public static string[] ReadNameservers(string path = DefaultPath)
        {
            try
            {
                return ParseNameservers(File.ReadAllText(path));
            }
            catch (IOException)
            {
                return Array.Empty<string>();
            }
            catch (UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }

        /// <summary>The IPv4 nameservers named in resolv.conf text, in order, without duplicates.</summary>
        public static string[] ParseNameservers(string text)
        {
            var result = new List<string>();
            foreach (string raw in text.Split('\n'))
            {
                string line = raw;
                int comment = line.IndexOfAny(new[] { '#', ';' });
                if (comment >= 0) line = line.Substring(0, comment);
                string[] words = line.Split(new[] { ' ', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length < 2 || words[0] != "nameserver") continue;
                if (!IPAddress.TryParse(words[1], out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetwork) continue;
                string a = ip.ToString();
                if (!result.Contains(a)) result.Add(a);
            }
            return result.ToArray();
        }
    }
}
