// The cache through the resolver, driven by a StepClock: TTL floor and ceiling,
// negative caching, no caching of temporary failures, eviction of the oldest entry.

using System;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class DnsCacheTests
    {
        private static (DnsTestServer, MxResolver, StepClock) Setup(uint ttl, int rcode = 0, int entries = 4)
        {
            var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[]
            {
                rcode != 0 ? DnsReply.For(q, rcode).Build()
                    : DnsReply.For(q).MxRecord(q.Name, 10, "mx." + q.Name, ttl).ARecord("mx." + q.Name, "192.0.2.1", ttl, additional: true).Build(),
            };
            var options = DnsTestKit.Options(s);
            options.CacheEntries = entries;
            var clock = new StepClock();
            return (s, DnsTestKit.Resolver(options, clock), clock);
        }

        [Fact]
        public void Answer_is_cached_for_its_ttl()
        {
            var (s, r, clock) = Setup(300);
            using (s)
            {
                MxResult a = r.Resolve("example.com");
                MxResult b = r.Resolve("Example.COM");
                Assert.Same(a, b);
                Assert.Equal(1, r.CacheHits);
                clock.Advance(TimeSpan.FromSeconds(299));
                r.Resolve("example.com");
                Assert.Single(s.Queries);
                clock.Advance(TimeSpan.FromSeconds(2));
                r.Resolve("example.com");
                Assert.Equal(2, s.Queries.Length);
            }
        }

        [Fact]
        public void Ttl_floor_and_ceiling_apply()
        {
            var (s, r, clock) = Setup(1);
            using (s)
            {
                r.Resolve("example.com");
                clock.Advance(TimeSpan.FromSeconds(29));
                r.Resolve("example.com");
                Assert.Single(s.Queries); // floor 30 s
            }
            var (s2, r2, clock2) = Setup(1_000_000);
            using (s2)
            {
                r2.Resolve("example.com");
                clock2.Advance(TimeSpan.FromSeconds(3601));
                r2.Resolve("example.com");
                Assert.Equal(2, s2.Queries.Length); // ceiling 3600 s
            }
        }

        [Fact]
        public void NXDOMAIN_is_cached_briefly()
        {
            var (s, r, clock) = Setup(300, rcode: 3);
            using (s)
            {
                Assert.Equal(DnsStatus.NotFound, r.Resolve("gone.example").Status);
                clock.Advance(TimeSpan.FromSeconds(59));
                Assert.Equal(DnsStatus.NotFound, r.Resolve("gone.example").Status);
                Assert.Single(s.Queries);
                clock.Advance(TimeSpan.FromSeconds(2));
                r.Resolve("gone.example");
                Assert.Equal(2, s.Queries.Length);
            }
        }

        [Fact]
        public void Temporary_failures_are_not_cached()
        {
            var (s, r, _) = Setup(300, rcode: 2);
            using (s)
            {
                Assert.Equal(DnsStatus.TempFail, r.Resolve("example.com").Status);
                Assert.Equal(DnsStatus.TempFail, r.Resolve("example.com").Status);
                Assert.Equal(2, s.Queries.Length);
            }
        }

        [Fact]
        public void Full_cache_evicts_the_oldest_entry()
        {
            var (s, r, _) = Setup(300, entries: 2);
            using (s)
            {
                r.Resolve("a.example");
                r.Resolve("b.example");
                r.Resolve("c.example");   // evicts a
                r.Resolve("b.example");   // hit
                r.Resolve("c.example");   // hit
                Assert.Equal(3, s.Queries.Length);
                r.Resolve("a.example");   // miss again
                Assert.Equal(4, s.Queries.Length);
                Assert.Equal(2, r.CacheHits);
            }
        }

        [Fact]
        public void DnsCache_never_holds_more_than_its_entries()
        {
            var c = new DnsCache(3);
            var dummy = DnsTestKit.Resolver(new DnsOptions()).Resolve("[192.0.2.1]");
            for (int i = 0; i < 50; i++) c.Put("d" + i, dummy, 0, 1000);
            Assert.Equal(3, c.Count);
            Assert.NotNull(c.Get("d49", 10));
            Assert.Null(c.Get("d0", 10));
            Assert.Null(c.Get("d49", 1000)); // expired
        }
    }
}
