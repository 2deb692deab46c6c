// Crafted names: compression pointers (backwards chains, self, forward, loops, into the
// header, too many jumps), label and name length limits, truncation.

using System;
using System.Collections.Generic;
using NanoMailGateway.Core.Dns;
using Xunit;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class DnsNameTests
    {
        /// <summary>A 12-octet zero header followed by the given octets.</summary>
        private static byte[] Msg(params int[] body)
        {
            byte[] m = new byte[12 + body.Length];
            for (int i = 0; i < body.Length; i++) m[12 + i] = (byte)body[i];
            return m;
        }

        private static int[] L(string label)
        {
            var r = new List<int> { label.Length };
            foreach (char c in label) r.Add(c);
            return r.ToArray();
        }

        private static int[] Cat(params int[][] parts)
        {
            var r = new List<int>();
            foreach (var p in parts) r.AddRange(p);
            return r.ToArray();
        }

        public static IEnumerable<object[]> SkipCases()
        {
            // name, message, start, expected end (-1 = rejected)
            yield return new object[] { "plain", Msg(Cat(L("www"), L("example"), L("com"), new[] { 0 })), 12, 12 + 17 };
            yield return new object[] { "root only", Msg(0), 12, 13 };
            yield return new object[] { "self pointer", Msg(0xC0, 12), 12, -1 };
            yield return new object[] { "forward pointer", Msg(0xC0, 14, 0), 12, -1 };
            yield return new object[] { "pointer into header", Msg(0xC0, 2), 12, -1 };
            yield return new object[] { "pointer back into own name (loop)", Msg(Cat(L("a"), new[] { 0xC0, 12 })), 12, -1 };
            // 12: a.  15: b -> 12 (valid)   19: c -> 15 (valid chain)   23: pointer -> 19 whose chain is fine
            yield return new object[] { "backward chain", Msg(Cat(L("a"), new[] { 0 }, L("b"), new[] { 0xC0, 12 }, L("c"), new[] { 0xC0, 15 })), 19, 23 };
            // Two pointers that point at each other: 12 -> 14 is forward, so rejected.
            yield return new object[] { "mutual pointers", Msg(0xC0, 14, 0xC0, 12), 14, -1 };
            yield return new object[] { "label length 64 (0x40 type)", Msg(Cat(new[] { 64 }, new int[64], new[] { 0 })), 12, -1 };
            yield return new object[] { "label type 0x80", Msg(0x80, 0), 12, -1 };
            yield return new object[] { "truncated label", Msg(3, 'a', 'b'), 12, -1 };
            yield return new object[] { "missing root", Msg(Cat(L("abc"))), 12, -1 };
            yield return new object[] { "half a pointer", Msg(0xC0), 12, -1 };
            yield return new object[] { "empty", Msg(), 12, -1 };
        }

        [Theory]
        [MemberData(nameof(SkipCases))]
        public void Skip_enforces_rfc1035_rules(string why, byte[] msg, int start, int expected)
        {
            Assert.True(expected == DnsName.Skip(msg, msg.Length, start), why);
        }

        private static int[] Labels(int count, int size)
        {
            var r = new List<int>();
            for (int i = 0; i < count; i++) r.AddRange(L(new string('x', size)));
            return r.ToArray();
        }

        [Fact]
        public void Name_of_255_octets_is_accepted_and_256_rejected()
        {
            // 3 x (1+63) + (1+62) + root = 256; with a 61-octet last label = 255.
            byte[] ok = Msg(Cat(Labels(3, 63), L(new string('y', 61)), new[] { 0 }));
            byte[] bad = Msg(Cat(Labels(3, 63), L(new string('y', 62)), new[] { 0 }));
            Assert.Equal(ok.Length, DnsName.Skip(ok, ok.Length, 12));
            Assert.Equal(-1, DnsName.Skip(bad, bad.Length, 12));
        }

        [Fact]
        public void Name_over_255_through_pointers_is_rejected()
        {
            // 12: four 63-octet labels then root is itself too long; build 2 x 63 + root,
            // then a name of 2 x 63 labels pointing to it: 128 + 129 > 255.
            var body = new List<int>(Cat(Labels(2, 63), new[] { 0 }));
            int second = 12 + body.Count;
            body.AddRange(Labels(2, 63));
            body.AddRange(new[] { 0xC0, 12 });
            byte[] m = Msg(body.ToArray());
            Assert.Equal(12 + 129, DnsName.Skip(m, m.Length, 12));
            Assert.Equal(-1, DnsName.Skip(m, m.Length, second));
        }

        [Fact]
        public void Pointer_chain_longer_than_the_jump_limit_is_rejected()
        {
            // name0 = "a." at 12; name k = "a" + pointer to name k-1 (4 octets each).
            var body = new List<int>(Cat(L("a"), new[] { 0 }));
            var starts = new List<int> { 12 };
            for (int k = 1; k <= DnsName.MaxJumps + 1; k++)
            {
                starts.Add(12 + body.Count);
                body.AddRange(L("a"));
                body.AddRange(new[] { 0xC0, starts[k - 1] });
            }
            byte[] m = Msg(body.ToArray());
            Assert.Equal(starts[DnsName.MaxJumps] + 4, DnsName.Skip(m, m.Length, starts[DnsName.MaxJumps]));
            Assert.Equal(-1, DnsName.Skip(m, m.Length, starts[DnsName.MaxJumps + 1]));
        }

        [Fact]
        public void Compressed_name_compares_and_reads_case_insensitively()
        {
            // 12: "Example.COM."   25: "MX1" -> 12
            byte[] m = Msg(Cat(L("Example"), L("COM"), new[] { 0 }, L("MX1"), new[] { 0xC0, 12 }));
            Assert.True(DnsName.EqualsString(m, m.Length, 25, "mx1.example.com"));
            Assert.True(DnsName.EqualsString(m, m.Length, 25, "MX1.EXAMPLE.com"));
            Assert.False(DnsName.EqualsString(m, m.Length, 25, "mx1.example.co"));
            Assert.False(DnsName.EqualsString(m, m.Length, 25, "mx1.example.comx"));
            Assert.False(DnsName.EqualsString(m, m.Length, 25, "example.com"));
            Assert.Equal("mx1.example.com", DnsName.Read(m, m.Length, 25, 31));
            Assert.Null(DnsName.Read(m, m.Length, 25, 32)); // must end exactly where required
        }

        [Fact]
        public void Read_rejects_non_hostname_octets()
        {
            byte[] m = Msg(Cat(L("a b"), new[] { 0 }));
            Assert.Null(DnsName.Read(m, m.Length, 12, -1));
            byte[] dot = Msg(Cat(L("a.b"), new[] { 0 }));
            Assert.Null(DnsName.Read(dot, dot.Length, 12, -1));
        }

        [Fact]
        public void Every_truncation_of_a_compressed_name_is_rejected_not_crashed()
        {
            byte[] full = Msg(Cat(L("example"), L("com"), new[] { 0 }, L("mx"), new[] { 0xC0, 12 }));
            for (int len = 12; len < full.Length; len++)
            {
                int r = DnsName.Skip(full, len, 25);
                Assert.True(r == -1 || r <= len);
                if (len < full.Length) Assert.Equal(-1, DnsName.Skip(full, len, 25));
            }
        }

        [Fact]
        public void Random_garbage_never_crashes_or_reads_out_of_bounds()
        {
            var rnd = new Random(5);
            byte[] m = new byte[300];
            for (int round = 0; round < 20000; round++)
            {
                rnd.NextBytes(m);
                int len = rnd.Next(12, m.Length + 1);
                int r = DnsName.Skip(m, len, 12);
                Assert.True(r == -1 || (r > 12 && r <= len));
                DnsName.Read(m, len, 12, -1);
                DnsName.EqualsString(m, len, 12, "example.com");
            }
        }
    }
}
