// `nmg mx DOMAIN [--dns IP[:PORT]]... [--config FILE] [--timeout S] [--ipv6]`: shows what delivery would
// use for DOMAIN, through the same MxResolver that runs on the board. One line per
// exchanger, like `dig +short MX` plus addresses and TTL:
//   10 mx1.example.org. 192.0.2.10,192.0.2.11 ttl=300
// An implicit MX (RFC 5321 §5.1) is marked "implicit". Errors go to stderr with their
// RFC 3463 code; exit codes per sysexits.h: 68 EX_NOHOST for permanent failures, 75
// EX_TEMPFAIL for temporary ones, 65 EX_DATAERR for an unusable domain, 64 EX_USAGE
// (CommandLine's conventions).
// Servers: --dns, else the dns_servers of --config (the gateway's own, as `nmg run` with
// that file would use them), else the nameserver lines of /etc/resolv.conf.

using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Gateway;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The `mx` verb.</summary>
    public static class MxCommand
    {
        /// <summary>Runs the verb with the arguments after its name; returns the exit code (sysexits.h).</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            return CommandLine.RunVerb(Create(stdout, stderr), args, stdout, stderr);
        }

        public static Command Create(TextWriter stdout, TextWriter stderr)
        {
            var domain = new Argument<string>("DOMAIN") { Description = "the domain to look up (or an address literal like [192.0.2.1])" };
            domain.Validators.Add(r =>
            {
                // Not a domain but an option nmg mx does not have (the parser takes it for DOMAIN).
                string? value = r.GetValueOrDefault<string>();
                if (value != null && value.StartsWith('-')) r.AddError("unknown option '" + value + "'");
            });
            var dns = new Option<string[]>("--dns")
            {
                HelpName = "IP[:PORT]",
                Description = "DNS server (repeatable; default: nameservers of " + ResolvConf.DefaultPath + ")",
                CustomParser = ParseServers,
            };
            Option<int> timeout = CommandLine.Seconds("--timeout", 300, "total time for the lookup in seconds, 1..300 (default 10)");
            var configFile = new Option<string>("--config")
            {
                HelpName = "FILE",
                Description = "main.cf whose dns_servers to use when --dns is not given",
            };
            var ipv6 = new Option<bool>("--ipv6") { Description = "also use AAAA records (off by default: the board has no IPv6)" };
            var verb = new CliVerb("mx", "show the mail exchangers and addresses delivery would use for a domain",
                "Prints the mail exchangers of DOMAIN as delivery would use them: preference, exchanger,\n" +
                "addresses and TTL, one per line; or the error with its enhanced status code.\n" +
                "Exit codes: 0 found, 64 bad usage, 65 bad domain, 68 permanent failure, 75 temporary failure.")
            {
                domain, dns, configFile, timeout, ipv6,
            };
            verb.SetAction(r =>
            {
                string[] servers = r.GetValue(dns) ?? new string[0];
                string? path = r.GetValue(configFile);
                if (servers.Length == 0 && path != null)
                {
                    LoadResult loaded = ConfigLoader.Load(null, path);
                    if (loaded.Config == null)
                    {
                        stderr.WriteLine("nmg mx: " + loaded.Error);
                        return loaded.ExitCode;
                    }
                    servers = new string[loaded.Config.DnsServers.Length];
                    for (int i = 0; i < servers.Length; i++) servers[i] = loaded.Config.DnsServers[i].ToString();
                }
                return Lookup(r.GetValue(domain)!, servers, r.GetValue(timeout), r.GetValue(ipv6), stdout, stderr);
            });
            return verb;
        }

        private static string[] ParseServers(ArgumentResult r)
        {
            var servers = new string[r.Tokens.Count];
            for (int i = 0; i < servers.Length; i++)
            {
                servers[i] = r.Tokens[i].Value;
                if (DnsServer.Parse(servers[i]) == null) r.AddError("bad --dns value '" + servers[i] + "' (want IPv4[:PORT])");
            }
            return servers;
        }

        private static int Lookup(string domain, string[] dns, int timeoutS, bool ipv6, TextWriter stdout, TextWriter stderr)
        {
            var servers = new List<string>(dns);
            if (servers.Count == 0) servers.AddRange(ResolvConf.ReadNameservers());
            if (servers.Count == 0 && !domain.StartsWith('['))
            {
                stderr.WriteLine("nmg mx: no DNS server: give --dns or add a nameserver to " + ResolvConf.DefaultPath);
                return ExitCodes.TempFail;
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
                return ExitCodes.Ok;
            }
            stderr.WriteLine("nmg mx: " + domain + ": " + r.EnhancedCode + " " + r.Text);
            if (r.IsTemporary) return ExitCodes.TempFail;
            if (r.Status == DnsStatus.Invalid && r.EnhancedCode == "5.1.3") return ExitCodes.DataErr;
            return ExitCodes.NoHost;
        }
    }
}
