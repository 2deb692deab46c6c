// Test helper: resolvers wired to real loopback sockets and scripted servers.

using System;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Dns
{
    public static class DnsTestKit
    {
        public static DnsOptions Options(params DnsTestServer[] servers)
        {
            string[] s = new string[servers.Length];
            for (int i = 0; i < s.Length; i++) s[i] = servers[i].Endpoint;
            return new DnsOptions { Servers = s, TryTimeoutMs = 400, TcpTimeoutMs = 1000, Attempts = 1, TotalTimeoutMs = 5000, CacheEntries = 0 };
        }

        public static MxResolver Resolver(DnsOptions options, IClock? clock = null, IRandom? random = null)
        {
            return new MxResolver(new HostSocketNetwork(), clock ?? new NanoMailGateway.Emulator.Host.SystemClock(), random ?? new NanoMailGateway.Emulator.Host.HostRandom(), options, new QuietLog(true));
        }

        /// <summary>Answers MX for the domain with the given records and A for known hosts; NXDOMAIN for other names.</summary>
        public static Func<DnsQuery, Action<byte[]>, byte[][]?> Zone(Action<DnsQuery, DnsReply> fill)
        {
            return (q, other) =>
            {
                var r = DnsReply.For(q);
                fill(q, r);
                return new[] { r.Build() };
            };
        }

        public static byte[] Hosts(DnsQuery q, params (string Name, string Ip)[] hosts)
        {
            var r = DnsReply.For(q);
            bool known = false;
            foreach (var h in hosts)
            {
                if (!string.Equals(h.Name, q.Name, StringComparison.OrdinalIgnoreCase)) continue;
                known = true;
                if (q.Type == DnsReply.A) r.ARecord(h.Name, h.Ip);
            }
            if (!known) r.Rcode = 3;
            return r.Build();
        }
    }
}
