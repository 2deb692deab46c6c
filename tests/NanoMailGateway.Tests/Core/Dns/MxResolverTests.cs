// MX semantics against a scripted server on loopback: ordering, shuffling, caps,
// additional-section addresses, implicit MX, null MX, NXDOMAIN, CNAME chains and loops,
// malformed MX data, many answers, address literals, the packet pool and RFC 5452 ids
// and ports.

using System;
using System.Collections.Generic;
using System.Linq;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class MxResolverTests
    {
        private static (string, string)[] Mxs = { ("mx1.example.com", "192.0.2.1"), ("mx2.example.com", "192.0.2.2"), ("mx3.example.com", "192.0.2.3") };

        [Fact]
        public void Sorted_by_preference_with_addresses_from_the_additional_section()
        {
            using var s = new DnsTestServer();
            s.OnUdp = DnsTestKit.Zone((q, r) =>
            {
                r.MxRecord("example.com", 20, "mx2.example.com", 600).MxRecord("example.com", 10, "mx1.example.com", 300).MxRecord("example.com", 30, "mx3.example.com");
                r.ARecord("mx1.example.com", "192.0.2.1", 120, additional: true).ARecord("mx1.example.com", "192.0.2.11", additional: true)
                 .ARecord("mx2.example.com", "192.0.2.2", additional: true).ARecord("mx3.example.com", "192.0.2.3", additional: true)
                 .ARecord("other.example.net", "198.51.100.1", additional: true);
            });
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("EXAMPLE.com.");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal(new[] { 10, 20, 30 }, r.Hosts.Select(h => h.Preference));
            Assert.Equal(new[] { "mx1.example.com", "mx2.example.com", "mx3.example.com" }, r.Hosts.Select(h => h.Name));
            Assert.Equal(new[] { "192.0.2.1", "192.0.2.11" }, r.Hosts[0].Addresses);
            Assert.Equal(120, r.Hosts[0].TtlSeconds);
            Assert.Equal(120, r.TtlSeconds);
            Assert.Single(s.Queries); // no A query needed
        }

        [Fact]
        public void Equal_preferences_are_shuffled_and_lower_ones_stay_first()
        {
            using var s = new DnsTestServer();
            s.OnUdp = DnsTestKit.Zone((q, r) =>
            {
                r.MxRecord("example.com", 5, "first.example.com");
                for (int i = 0; i < 4; i++) r.MxRecord("example.com", 10, "mx" + i + ".example.com");
                r.ARecord("first.example.com", "192.0.2.9", additional: true);
                for (int i = 0; i < 4; i++) r.ARecord("mx" + i + ".example.com", "192.0.2." + (10 + i), additional: true);
            });
            var resolver = DnsTestKit.Resolver(DnsTestKit.Options(s), random: new CountingRandom(7));
            var seconds = new HashSet<string>();
            for (int i = 0; i < 12; i++)
            {
                MxResult r = resolver.Resolve("example.com");
                Assert.Equal("first.example.com", r.Hosts[0].Name);
                Assert.All(r.Hosts.Skip(1), h => Assert.Equal(10, h.Preference));
                Assert.Equal(5, r.Hosts.Length);
                seconds.Add(r.Hosts[1].Name);
            }
            Assert.True(seconds.Count >= 2, "equal preferences were never reordered");
        }

        [Fact]
        public void Exchangers_without_additional_data_get_an_A_query_and_addresses_are_capped()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                if (q.Type == DnsReply.Mx)
                {
                    var r = DnsReply.For(q);
                    for (int i = 1; i <= 3; i++) r.MxRecord("example.com", i * 10, "mx" + i + ".example.com");
                    return new[] { r.Build() };
                }
                var a = DnsReply.For(q);
                for (int k = 1; k <= 3; k++) a.ARecord(q.Name, "192.0.2." + (q.Name[2] - '0') + k);
                return new[] { a.Build() };
            };
            var options = DnsTestKit.Options(s);
            options.MaxAddresses = 5;
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal(5, r.AddressCount);
            Assert.Equal(new[] { "192.0.2.11", "192.0.2.12", "192.0.2.13" }, r.Hosts[0].Addresses);
            Assert.Equal(new[] { "192.0.2.21", "192.0.2.22" }, r.Hosts[1].Addresses);
            Assert.Equal(2, r.Hosts.Length);
            Assert.DoesNotContain(s.Queries, q => q.Name == "mx3.example.com"); // the cap saves the query
        }

        [Fact]
        public void No_MX_records_means_the_implicit_MX_of_the_domain()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { q.Type == DnsReply.Mx ? DnsReply.For(q).Build() : DnsReply.For(q).ARecord(q.Name, "192.0.2.7", 90).Build() };
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("plain.example");
            Assert.Equal(DnsStatus.Ok, r.Status);
            var h = Assert.Single(r.Hosts);
            Assert.True(h.IsImplicit);
            Assert.Equal(0, h.Preference);
            Assert.Equal("plain.example", h.Name);
            Assert.Equal(new[] { "192.0.2.7" }, h.Addresses);
            Assert.Equal(90, h.TtlSeconds);
        }

        [Fact]
        public void No_MX_and_no_A_is_a_permanent_no_data()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { DnsReply.For(q).Build() };
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("empty.example");
            Assert.Equal(DnsStatus.NoData, r.Status);
            Assert.Equal("5.4.4", r.EnhancedCode);
            Assert.True(r.IsPermanent);
        }

        [Fact]
        public void MX_hosts_without_addresses_never_fall_back_to_the_domains_A()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                if (q.Type == DnsReply.Mx) return new[] { DnsReply.For(q).MxRecord("example.com", 10, "gone.example.com").Build() };
                if (q.Name == "example.com") return new[] { DnsReply.For(q).ARecord("example.com", "192.0.2.99").Build() };
                return new[] { DnsReply.For(q, 3).Build() };
            };
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com");
            Assert.Equal(DnsStatus.NoData, r.Status);
            Assert.Equal("5.4.4", r.EnhancedCode);
            Assert.DoesNotContain(s.Queries, q => q.Name == "example.com" && q.Type == DnsReply.A);
        }

        [Fact]
        public void Null_MX_is_a_permanent_5_1_10_without_any_A_query()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { DnsReply.For(q).MxRecord(q.Name, 0, ".", 3600).Build() };
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("nomail.example");
            Assert.Equal(DnsStatus.NullMx, r.Status);
            Assert.Equal("5.1.10", r.EnhancedCode);
            Assert.True(r.IsPermanent);
            Assert.Single(s.Queries);
        }

        [Fact]
        public void A_root_exchanger_next_to_real_ones_is_ignored()
        {
            using var s = new DnsTestServer();
            s.OnUdp = DnsTestKit.Zone((q, r) => r.MxRecord(q.Name, 0, ".").MxRecord(q.Name, 10, "mx.example.com").ARecord("mx.example.com", "192.0.2.1", additional: true));
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("mixed.example");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal("mx.example.com", Assert.Single(r.Hosts).Name);
        }

        [Fact]
        public void NXDOMAIN_is_a_permanent_5_1_2()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { DnsReply.For(q, 3).Build() };
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("nowhere.example");
            Assert.Equal(DnsStatus.NotFound, r.Status);
            Assert.Equal("5.1.2", r.EnhancedCode);
        }

        [Fact]
        public void CNAME_chain_in_the_answer_is_followed()
        {
            using var s = new DnsTestServer();
            s.OnUdp = DnsTestKit.Zone((q, r) => r.CnameRecord("alias.example", "mid.example").CnameRecord("mid.example", "real.example")
                .MxRecord("real.example", 10, "mx.real.example").ARecord("mx.real.example", "192.0.2.5", additional: true));
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("alias.example");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal("mx.real.example", r.Hosts[0].Name);
        }

        [Fact]
        public void CNAME_loop_is_a_temporary_failure_not_a_hang()
        {
            using var s = new DnsTestServer();
            s.OnUdp = DnsTestKit.Zone((q, r) => r.CnameRecord("a.example", "b.example").CnameRecord("b.example", "a.example"));
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("a.example");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Equal("4.4.3", r.EnhancedCode);
            Assert.Contains("CNAME", r.Text);
        }

        [Fact]
        public void MX_exchange_that_does_not_end_at_rdata_end_is_not_used_and_A_is_not_tried()
        {
            using var s = new DnsTestServer();
            byte[] rdata = DnsReply.MxData(10, "mx.example.com").Concat(new byte[] { 0xFF, 0xFF }).ToArray();
            s.OnUdp = DnsTestKit.Zone((q, r) => r.Answer(DnsReply.Record(DnsReply.Name(q.Name), DnsReply.Mx, 300, rdata)).ARecord("mx.example.com", "192.0.2.1", additional: true));
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Single(s.Queries);
        }

        [Fact]
        public void Many_answers_keep_the_lowest_preferences_within_the_bounds()
        {
            using var s = new DnsTestServer();
            s.OnUdp = DnsTestKit.Zone((q, r) =>
            {
                if (q.Type == DnsReply.Mx)
                {
                    for (int i = 0; i < 40; i++) r.MxRecord("example.com", 400 - i * 10, "m" + i + ".example.com");
                }
                else
                {
                    r.ARecord(q.Name, "192.0.2.1");
                }
            });
            var options = DnsTestKit.Options(s);
            options.PacketBufferSize = 4096;
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal(5, r.Hosts.Length);
            Assert.Equal(new[] { 10, 20, 30, 40, 50 }, r.Hosts.Select(h => h.Preference));
        }

        [Theory]
        [InlineData("[192.0.2.1]", DnsStatus.Ok, "2.0.0")]
        [InlineData("[192.0.2.256]", DnsStatus.Invalid, "5.1.3")]
        [InlineData("[192.0.2]", DnsStatus.Invalid, "5.1.3")]
        [InlineData("[01.2.3.4]", DnsStatus.Invalid, "5.1.3")]
        [InlineData("[192.0.2.1", DnsStatus.Invalid, "5.1.3")]
        [InlineData("[IPv6:2001:db8::1]", DnsStatus.Invalid, "5.4.4")]
        [InlineData("[IPv6:zz::1]", DnsStatus.Invalid, "5.1.3")]
        [InlineData("[x400:foo]", DnsStatus.Invalid, "5.1.3")]
        [InlineData("bad domain", DnsStatus.Invalid, "5.1.3")]
        public void Address_literals_need_no_lookup(string domain, DnsStatus status, string code)
        {
            var options = new DnsOptions { Servers = new[] { "127.0.0.1:9" } };
            MxResult r = DnsTestKit.Resolver(options).Resolve(domain);
            Assert.Equal(status, r.Status);
            Assert.Equal(code, r.EnhancedCode);
            if (status == DnsStatus.Ok) Assert.Equal("192.0.2.1", r.Hosts[0].Addresses[0]);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void AAAA_is_asked_only_when_IPv6_is_on(bool ipv6)
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                var r = DnsReply.For(q);
                if (q.Type == DnsReply.Mx) r.MxRecord(q.Name, 10, "mx.example.com");
                if (q.Type == DnsReply.A) r.ARecord(q.Name, "192.0.2.1");
                if (q.Type == DnsReply.Aaaa) r.Answer(DnsReply.Record(DnsReply.Name(q.Name), DnsReply.Aaaa, 300, System.Net.IPAddress.Parse("2001:db8::1").GetAddressBytes()));
                return new[] { r.Build() };
            };
            var options = DnsTestKit.Options(s);
            options.UseIPv6 = ipv6;
            MxResult res = DnsTestKit.Resolver(options).Resolve("example.com");
            Assert.Equal(DnsStatus.Ok, res.Status);
            string[] expected = ipv6 ? new[] { "192.0.2.1", "2001:0db8:0000:0000:0000:0000:0000:0001" } : new[] { "192.0.2.1" };
            Assert.Equal(expected, res.Hosts[0].Addresses);
            Assert.Equal(ipv6, s.Queries.Any(q => q.Type == DnsReply.Aaaa));
        }

        [Fact]
        public void IPv6_literal_is_accepted_when_IPv6_is_on()
        {
            var options = new DnsOptions { Servers = new[] { "127.0.0.1:9" }, UseIPv6 = true };
            MxResult r = DnsTestKit.Resolver(options).Resolve("[IPv6:2001:DB8::1]");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal("2001:db8::1", r.Hosts[0].Addresses[0]);
        }

        [Fact]
        public void Each_query_uses_a_fresh_random_id_and_source_port_and_buffers_go_back_to_the_pool()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { DnsReply.For(q, 3).Build() };
            var resolver = DnsTestKit.Resolver(DnsTestKit.Options(s));
            for (int i = 0; i < 8; i++) resolver.Resolve("n" + i + ".example");
            DnsQuery[] qs = s.Queries;
            Assert.Equal(8, qs.Length);
            Assert.All(qs, q => Assert.InRange(q.SourcePort, 1024, 65535));
            Assert.True(qs.Select(q => q.SourcePort).Distinct().Count() >= 7);
            Assert.True(qs.Select(q => q.Id).Distinct().Count() >= 7);
            Assert.Equal(0, resolver.Pool.InUse);
            Assert.Equal(1, resolver.Pool.HighWaterMark);
        }

        [Fact]
        public void Empty_pool_is_a_temporary_failure_not_an_allocation()
        {
            using var s = new DnsTestServer();
            var options = DnsTestKit.Options(s);
            options.PacketBuffers = 1;
            var resolver = DnsTestKit.Resolver(options);
            byte[] held = resolver.Pool.TryRent()!;
            MxResult r = resolver.Resolve("example.com");
            resolver.Pool.Return(held);
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Contains("busy", r.Text);
            Assert.Empty(s.Queries);
        }

        [Fact]
        public void Concurrent_lookups_share_the_fixed_pool_and_return_every_buffer()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => { System.Threading.Thread.Sleep(5); return new[] { DnsReply.For(q).MxRecord(q.Name, 10, "mx." + q.Name).ARecord("mx." + q.Name, "192.0.2.1", additional: true).Build() }; };
            var options = DnsTestKit.Options(s);
            options.PacketBuffers = 2;
            options.CacheEntries = 8;
            var resolver = DnsTestKit.Resolver(options);
            var statuses = new System.Collections.Concurrent.ConcurrentBag<DnsStatus>();
            var threads = Enumerable.Range(0, 4).Select(t => new System.Threading.Thread(() =>
            {
                for (int i = 0; i < 15; i++) statuses.Add(resolver.Resolve("d" + ((t * 15 + i) % 20) + ".example").Status);
            })).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) Assert.True(t.Join(20000));
            Assert.Equal(60, statuses.Count);
            Assert.All(statuses, st => Assert.True(st == DnsStatus.Ok || st == DnsStatus.TempFail));
            Assert.Contains(DnsStatus.Ok, statuses);
            Assert.Equal(0, resolver.Pool.InUse);
            Assert.InRange(resolver.Pool.HighWaterMark, 1, 2);
        }

        [Fact]
        public void Bad_server_address_in_options_is_refused_at_construction()
        {
            Assert.Throws<ArgumentException>(() => DnsTestKit.Resolver(new DnsOptions { Servers = new[] { "dns.example" } }));
        }

        [Theory]
        [InlineData("192.0.2.53", "192.0.2.53", 53)]
        [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
        [InlineData("1.2.3.4:0", null, 0)]
        [InlineData("1.2.3.4:65536", null, 0)]
        [InlineData("::1", null, 0)]
        [InlineData("300.1.1.1", null, 0)]
        public void Server_addresses_parse(string text, string? address, int port)
        {
            DnsServer? s = DnsServer.Parse(text);
            Assert.Equal(address, s?.Address);
            if (s != null) Assert.Equal(port, s.Port);
        }
    }
}
