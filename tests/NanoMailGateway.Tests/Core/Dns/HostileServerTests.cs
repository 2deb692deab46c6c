// A hostile or broken server on loopback: wrong ids, wrong questions, answers from
// another port, garbage, truncated answers that need the TCP retry, SERVFAIL/REFUSED,
// and silence. The resolver must give the right answer or the right temporary error,
// within its time bound.

using System;
using System.Diagnostics;
using System.Linq;
using NanoMailGateway.Core.Dns;
using Xunit;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class HostileServerTests
    {
        private static byte[] GoodMx(DnsQuery q) => DnsReply.For(q)
            .MxRecord(q.Name, 10, "mx." + q.Name).ARecord("mx." + q.Name, "192.0.2.25", additional: true).Build();

        private static byte[] WrongId(DnsQuery q) => new DnsReply(q.Id ^ 0x5555, q.Name, q.Type).MxRecord(q.Name, 10, "evil.example").ARecord("evil.example", "203.0.113.66", additional: true).Build();

        private static byte[] Evil(DnsQuery q) => DnsReply.For(q).MxRecord(q.Name, 1, "evil.example").ARecord("evil.example", "203.0.113.66", additional: true).Build();

        private static byte[] WrongQuestion(DnsQuery q) => new DnsReply(q.Id, "evil.example", q.Type).MxRecord("evil.example", 10, "evil.example").Build();

        private static void AssertGood(MxResult r)
        {
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal("mx.example.com", r.Hosts[0].Name);
            Assert.Equal(new[] { "192.0.2.25" }, r.Hosts[0].Addresses);
        }

        [Fact]
        public void Forged_datagrams_before_the_real_answer_are_dropped()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, other) =>
            {
                other(Evil(q)); // right id and question, from another port
                return new[]
                {
                    WrongId(q),
                    WrongQuestion(q),
                    new byte[] { 1, 2, 3 },
                    new byte[0],
                    Enumerable.Repeat((byte)0xC0, 300).ToArray(),
                    GoodMx(q).Take(20).ToArray(),                 // right id, cut inside the question
                    GoodMx(q),
                };
            };
            var options = DnsTestKit.Options(s);
            options.TryTimeoutMs = 4000; // an answer well before this proves nothing waited for a timeout
            var sw = Stopwatch.StartNew();
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            AssertGood(r);
            Assert.True(sw.ElapsedMilliseconds < 2500, "took " + sw.ElapsedMilliseconds + " ms");
        }

        [Fact]
        public void Answer_from_another_port_only_is_a_timeout()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, other) => { other(Evil(q)); return null; };
            var sw = Stopwatch.StartNew();
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Equal("4.4.3", r.EnhancedCode);
            Assert.InRange(sw.ElapsedMilliseconds, 350, 3000);
        }

        [Fact]
        public void Answer_from_another_address_with_the_right_port_is_dropped()
        {
            using var s = new DnsTestServer();
            using var forger = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            forger.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), s.Port));
            s.OnUdp = (q, other) =>
            {
                forger.SendTo(Evil(q), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, q.SourcePort));
                System.Threading.Thread.Sleep(50); // the forgery arrives first
                return new[] { GoodMx(q) };
            };
            AssertGood(DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com"));
        }

        [Fact]
        public void Only_forgeries_and_garbage_end_in_a_temporary_failure_within_the_bound()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, other) => new[] { WrongId(q), WrongQuestion(q), new byte[] { 0xFF }, WrongId(q) };
            var options = DnsTestKit.Options(s);
            options.Attempts = 2; // 2 rounds x 400 ms
            var sw = Stopwatch.StartNew();
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Contains("timeout", r.Text);
            Assert.InRange(sw.ElapsedMilliseconds, 750, 3000);
            Assert.Equal(2, s.Queries.Length);
        }

        [Fact]
        public void Silence_from_every_server_stops_at_the_total_deadline()
        {
            using var s1 = new DnsTestServer();
            using var s2 = new DnsTestServer();
            var options = DnsTestKit.Options(s1, s2);
            options.Attempts = 10;
            options.TotalTimeoutMs = 1000;
            var sw = Stopwatch.StartNew();
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.InRange(sw.ElapsedMilliseconds, 950, 3000);
            Assert.True(s1.Queries.Length >= 2 && s2.Queries.Length >= 1);
        }

        [Theory]
        [InlineData(2)] // SERVFAIL
        [InlineData(5)] // REFUSED
        [InlineData(1)] // FORMERR
        public void Failing_server_moves_on_to_the_next_one(int rcode)
        {
            using var bad = new DnsTestServer();
            using var good = new DnsTestServer();
            bad.OnUdp = (q, o) => new[] { DnsReply.For(q, rcode).Build() };
            good.OnUdp = (q, o) => new[] { GoodMx(q) };
            var options = DnsTestKit.Options(bad, good);
            options.TryTimeoutMs = 4000; // the move to the next server must not wait for a timeout
            var sw = Stopwatch.StartNew();
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            AssertGood(r);
            Assert.True(sw.ElapsedMilliseconds < 2500, "took " + sw.ElapsedMilliseconds + " ms");
            Assert.Single(bad.Queries);
        }

        [Fact]
        public void Every_server_failing_names_the_last_error()
        {
            using var bad = new DnsTestServer();
            bad.OnUdp = (q, o) => new[] { DnsReply.For(q, 2).Build() };
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(bad)).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Contains("SERVFAIL from " + bad.Endpoint, r.Text);
        }

        [Fact]
        public void Truncated_answer_is_fetched_again_over_tcp()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                var tc = DnsReply.For(q);
                tc.Truncated = true;
                return new[] { tc.Build() };
            };
            s.OnTcp = q => DnsTestServer.Frame(GoodMx(q));
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com");
            AssertGood(r);
            Assert.Equal(new[] { false, true }, s.Queries.Select(q => q.Tcp));
        }

        [Fact]
        public void Truncated_and_cut_off_even_with_a_broken_record_inside_still_goes_to_tcp()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                var tc = DnsReply.For(q).MxRecord(q.Name, 10, "mx." + q.Name);
                tc.Truncated = true;
                byte[] b = tc.Build();
                return new[] { b.Take(b.Length - 5).ToArray() };
            };
            s.OnTcp = q => DnsTestServer.Frame(GoodMx(q));
            AssertGood(DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com"));
        }

        [Theory]
        [InlineData("close")]
        [InlineData("wrong id")]
        [InlineData("too long")]
        [InlineData("short")]
        public void Bad_tcp_answer_is_a_temporary_failure(string how)
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                var tc = DnsReply.For(q);
                tc.Truncated = true;
                return new[] { tc.Build() };
            };
            s.OnTcp = q => how switch
            {
                "close" => null,
                "wrong id" => DnsTestServer.Frame(WrongId(q)),
                "too long" => new byte[] { 0xFF, 0xFF }.Concat(new byte[2000]).ToArray(),
                _ => DnsTestServer.Frame(GoodMx(q)).Take(30).ToArray(),
            };
            var sw = Stopwatch.StartNew();
            MxResult r = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.True(sw.ElapsedMilliseconds < 3500, "took " + sw.ElapsedMilliseconds);
        }

        /// <summary>An MX answer whose additional section makes it <paramref name="size"/> octets or more: many
        /// addresses for other names, as a big zone's server may add.</summary>
        private static byte[] LongMx(DnsQuery q, int size)
        {
            var r = DnsReply.For(q).MxRecord(q.Name, 20, "mx2." + q.Name).MxRecord(q.Name, 10, "mx." + q.Name)
                .ARecord("mx." + q.Name, "192.0.2.25", additional: true);
            for (int i = 0; r.Build().Length < size; i++) r.ARecord("host" + i + ".filler." + q.Name, "198.51.100." + (i % 250), additional: true);
            return r.Build();
        }

        [Theory]
        [InlineData(1024, 3000)]
        [InlineData(1024, 65000)]
        [InlineData(512, 3000)]      // the esp32-c3's packet buffer
        public void A_tcp_answer_longer_than_the_packet_buffer_keeps_the_whole_records_that_fit(int bufferSize, int answerSize)
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                var tc = DnsReply.For(q);
                tc.Truncated = true;
                return new[] { tc.Build() };
            };
            s.OnTcp = q => q.Type == DnsReply.Mx ? DnsTestServer.Frame(LongMx(q, answerSize))
                : DnsTestServer.Frame(DnsReply.For(q).ARecord(q.Name, "192.0.2.26").Build());
            var options = DnsTestKit.Options(s);
            options.PacketBufferSize = bufferSize;
            MxResult r = DnsTestKit.Resolver(options).Resolve("example.com");
            Assert.Equal(DnsStatus.Ok, r.Status);
            Assert.Equal(new[] { "mx.example.com", "mx2.example.com" }, r.Hosts.Select(h => h.Name));
            Assert.Equal(new[] { "192.0.2.25" }, r.Hosts[0].Addresses);
            Assert.Equal(new[] { "192.0.2.26" }, r.Hosts[1].Addresses);   // cut from the answer: asked for
        }

        [Fact]
        public void Keeping_whole_records_sets_the_counts_and_the_length()
        {
            var q = new DnsQuery { Id = 7, Name = "example.com", Type = DnsReply.Mx };
            byte[] full = DnsReply.For(q).MxRecord("example.com", 10, "mx.example.com")
                .ARecord("a.example.com", "192.0.2.1", additional: true).ARecord("b.example.com", "192.0.2.2", additional: true).Build();
            const int ARecord = 15 + 10 + 4;                  // name, fixed part, address
            int firstA = full.Length - 2 * ARecord;
            byte[] p = full.Take(firstA + ARecord + 20).ToArray();   // the second A record cut off, the first whole
            Assert.Equal(firstA + ARecord, DnsPacket.KeepWholeRecords(p, p.Length));
            Assert.Equal(1, DnsWire.AnCount(p));
            Assert.Equal(0, DnsWire.NsCount(p));
            Assert.Equal(1, DnsWire.ArCount(p));
            Assert.Equal(-1, DnsPacket.KeepWholeRecords(full.Take(14).ToArray(), 14));
        }

        [Fact]
        public void Huge_answer_count_with_few_records_is_dropped()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                var r = DnsReply.For(q).MxRecord(q.Name, 10, "mx." + q.Name);
                r.AnCountOverride = 65535;
                return new[] { r.Build() };
            };
            MxResult res = DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com");
            Assert.Equal(DnsStatus.TempFail, res.Status);
        }

        [Fact]
        public void Pointer_loop_inside_an_answer_is_dropped()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) =>
            {
                byte[] b = DnsReply.For(q).Build();
                // An MX record whose owner is a pointer to itself.
                int at = b.Length;
                byte[] rec = DnsReply.Record(new byte[] { (byte)(0xC0 | (at >> 8)), (byte)at }, DnsReply.Mx, 300, DnsReply.MxData(10, "mx.example.com"));
                byte[] m = b.Concat(rec).ToArray();
                m[7] = 1;
                return new[] { m };
            };
            Assert.Equal(DnsStatus.TempFail, DnsTestKit.Resolver(DnsTestKit.Options(s)).Resolve("example.com").Status);
        }
    }
}
