// `nmg mx DOMAIN [--dns IP[:PORT]]... [--timeout S] [--ipv6]`: shows what delivery would
// use for DOMAIN, through the same MxResolver that runs on the board. One line per
// exchanger, like `dig +short MX` plus addresses and TTL:
//   10 mx1.example.org. 192.0.2.10,192.0.2.11 ttl=300
// An implicit MX (RFC 5321 §5.1) is marked "implicit". Errors go to stderr with their
// RFC 3463 code; exit codes per sysexits.h: 68 EX_NOHOST for permanent failures, 75
// EX_TEMPFAIL for temporary ones, 65 EX_DATAERR for an unusable domain, 64 EX_USAGE.
// Default servers: the nameserver lines of /etc/resolv.conf.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The `mx` verb.</summary>
    public static class MxCommand
    {
        private const string Usage = "usage: nmg mx DOMAIN [--dns IP[:PORT]]... [--timeout SECONDS] [--ipv6]";

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            string? domain = null;
            var servers = new List<string>();
            int timeoutS = 0;
            bool ipv6 = false;
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                if (a == "--help" || a == "-h")
                {
                    stdout.WriteLine(Usage);
                    stdout.WriteLine("Prints the mail exchangers of DOMAIN as delivery would use them: preference, exchanger,");
                    stdout.WriteLine("addresses and TTL, one per line; or the error with its enhanced status code.");
                    stdout.WriteLine("  --dns IP[:PORT]   DNS server (repeatable; default: nameservers of /etc/resolv.conf)");
                    stdout.WriteLine("  --timeout S       total time for the lookup in seconds (default 10)");
                    stdout.WriteLine("  --ipv6            also use AAAA records (off by default: the board has no IPv6)");
                    stdout.WriteLine("Exit: 0 found, 68 permanent failure, 75 temporary failure, 65 bad domain, 64 usage.");
                    return 0;
                }
                if (a == "--dns" || a == "--timeout")
                {
                    if (i + 1 >= args.Length) return UsageError(stderr, a + " needs a value");
                    string v = args[++i];
                    if (a == "--dns")
                    {
                        if (DnsServer.Parse(v) == null) return UsageError(stderr, "bad --dns value '" + v + "' (want IPv4[:PORT])");
                        servers.Add(v);
                    }
                    else if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out timeoutS) || timeoutS < 1 || timeoutS > 300)
                    {
                        return UsageError(stderr, "bad --timeout value '" + v + "' (want 1..300 seconds)");
                    }
                    continue;
                }
                if (a == "--ipv6") { ipv6 = true; continue; }
                if (a.StartsWith('-')) return UsageError(stderr, "unknown option " + a);
                if (domain != null) return UsageError(stderr, "only one DOMAIN");
                domain = a;
            }
            if (domain == null) return UsageError(stderr, "missing DOMAIN");
            if (servers.Count == 0) servers.AddRange(ResolvConf.ReadNameservers());
            if (servers.Count == 0 && !domain.StartsWith('['))
            {
                stderr.WriteLine("nmg mx: no DNS server: give --dns or add a nameserver to " + ResolvConf.DefaultPath);
                return 75;
            }

            var options = new DnsOptions { Servers = servers.ToArray(), UseIPv6 = ipv6, CacheEntries = 0 };
            if (timeoutS > 0)
            {
                options.TotalTimeoutMs = timeoutS * 1000;
                if (options.TryTimeoutMs > options.TotalTimeoutMs) options.TryTimeoutMs = options.TotalTimeoutMs;
            }
            var resolver = new MxResolver(new HostSocketNetwork(), new SystemClock(), new HostRandom(), options, null);
            MxResult r = resolver.Resolve(domain);
            if (r.Status == DnsStatus.Ok)
            {
                foreach (MxHost h in r.Hosts)
                {
                    string name = h.Name.StartsWith('[') ? h.Name : h.Name + ".";
                    stdout.WriteLine(h.Preference.ToString(CultureInfo.InvariantCulture) + " " + name + " "
                        + string.Join(",", h.Addresses) + " ttl=" + h.TtlSeconds.ToString(CultureInfo.InvariantCulture)
                        + (h.IsImplicit ? " implicit" : ""));
                }
                return 0;
            }
            stderr.WriteLine("nmg mx: " + domain + ": " + r.EnhancedCode + " " + r.Text);
            if (r.IsTemporary) return 75;                    // EX_TEMPFAIL
            if (r.Status == DnsStatus.Invalid && r.EnhancedCode == "5.1.3") return 65; // EX_DATAERR
            return 68;                                       // EX_NOHOST
        }

        private static int UsageError(TextWriter stderr, string message)
        {
            stderr.WriteLine("nmg mx: " + message + " (" + Usage + ")");
            return 64;
        }
    }
}
