// Interop with a real DNS server: dnsmasq on loopback (see DnsmasqFixture for the zone).
// Several preferences, equal preferences, implicit MX, NXDOMAIN, null MX, a CNAME, and an
// answer too long for UDP that dnsmasq truncates, so the TCP retry runs for real.

using System.Linq;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class DnsmasqInteropTests : IClassFixture<DnsmasqFixture>
    {
        private readonly DnsmasqFixture _dnsmasq;

        public DnsmasqInteropTests(DnsmasqFixture dnsmasq) { _dnsmasq = dnsmasq; }

        private string StartedEndpoint()
        {
            _dnsmasq.EnsureStarted(Peers.Require("dnsmasq"));
            return _dnsmasq.Endpoint;
        }

        private MxResolver Resolver()
        {
            _dnsmasq.EnsureStarted(Peers.Require("dnsmasq"));
            return DnsTestKit.Resolver(new DnsOptions { Servers = new[] { _dnsmasq.Endpoint }, TryTimeoutMs = 1000, TotalTimeoutMs = 5000, CacheEntries = 0 });
        }

        [SkippableFact]
        public void Several_and_equal_preferences_in_order_with_addresses()
        {
            MxResolver r = Resolver();
            var seenSecond = new System.Collections.Generic.HashSet<string>();
            for (int i = 0; i < 20; i++)
            {
                MxResult m = r.Resolve("example.test");
                Assert.Equal(DnsStatus.Ok, m.Status);
                Assert.Equal(new[] { 10, 20, 20 }, m.Hosts.Select(h => h.Preference));
                Assert.Equal("mx1.example.test", m.Hosts[0].Name);
                Assert.Equal(new[] { "127.0.0.11" }, m.Hosts[0].Addresses);
                Assert.Equal(new[] { "mx2.example.test", "mx3.example.test" }, m.Hosts.Skip(1).Select(h => h.Name).OrderBy(n => n));
                Assert.Equal(300, m.Hosts[0].TtlSeconds);
                seenSecond.Add(m.Hosts[1].Name);
            }
            Assert.Equal(2, seenSecond.Count); // equal preferences come in both orders (p = 1 - 2^-19)
        }

        [SkippableFact]
        public void Domain_without_MX_gets_its_implicit_MX()
        {
            MxResult m = Resolver().Resolve("plain.test");
            Assert.Equal(DnsStatus.Ok, m.Status);
            MxHost h = Assert.Single(m.Hosts);
            Assert.True(h.IsImplicit);
            Assert.Equal(new[] { "127.0.0.9" }, h.Addresses);
        }

        [SkippableFact]
        public void Bracketed_relayhost_takes_the_hosts_own_address_even_when_it_has_MX_records()
        {
            // nullmx.test has a null MX and an A record: "[nullmx.test]" as a relayhost must
            // use the A record, while the domain itself refuses mail. A cache shared by both
            // lookups must not mix them up.
            MxResolver r = DnsTestKit.Resolver(new DnsOptions { Servers = new[] { StartedEndpoint() }, TryTimeoutMs = 1000, TotalTimeoutMs = 5000, CacheEntries = 8 });
            MxResult host = r.ResolveHost("nullmx.test");
            Assert.Equal(DnsStatus.Ok, host.Status);
            MxHost h = Assert.Single(host.Hosts);
            Assert.Equal(new[] { "127.0.0.8" }, h.Addresses);
            Assert.Equal(DnsStatus.NullMx, r.Resolve("nullmx.test").Status);
            Assert.Equal(DnsStatus.Ok, r.ResolveHost("nullmx.test").Status);
            Assert.Equal(DnsStatus.NotFound, r.ResolveHost("nosuch.test").Status);
        }

        [SkippableFact]
        public void Unknown_domain_is_NXDOMAIN_5_1_2()
        {
            MxResult m = Resolver().Resolve("nope.test");
            Assert.Equal(DnsStatus.NotFound, m.Status);
            Assert.Equal("5.1.2", m.EnhancedCode);
        }

        [SkippableFact]
        public void Null_MX_served_by_dnsmasq_is_5_1_10_even_though_an_A_record_exists()
        {
            MxResult m = Resolver().Resolve("nullmx.test");
            Assert.Equal(DnsStatus.NullMx, m.Status);
            Assert.Equal("5.1.10", m.EnhancedCode);
        }

        [SkippableFact]
        public void CNAME_to_a_domain_with_MX_is_followed()
        {
            MxResult m = Resolver().Resolve("alias.test");
            Assert.Equal(DnsStatus.Ok, m.Status);
            Assert.Equal("mx1.example.test", m.Hosts[0].Name);
        }

        [SkippableFact]
        public void Answer_over_512_octets_is_truncated_and_fetched_over_tcp()
        {
            MxResolver r = Resolver();
            var options = new DnsOptions { Servers = new[] { _dnsmasq.Endpoint }, PacketBufferSize = 4096, CacheEntries = 0 };
            MxResult m = DnsTestKit.Resolver(options).Resolve("big.test");
            Assert.Equal(DnsStatus.Ok, m.Status);
            MxHost h = Assert.Single(m.Hosts); // only exchanger 0 has an address
            Assert.Equal("exchanger-with-a-long-name-0.big.test", h.Name);
            Assert.Equal(100, h.Preference);
            // With the default 1024-octet buffer only the first MX records fit, and none of those
            // exchangers has an address: the one that has was cut off, so this is temporary, never
            // "no such host" (which would bounce).
            MxResult small = r.Resolve("big.test");
            Assert.Equal(DnsStatus.TempFail, small.Status);
            Assert.Contains("only the first 1024 kept", small.Text);
        }
    }
}
