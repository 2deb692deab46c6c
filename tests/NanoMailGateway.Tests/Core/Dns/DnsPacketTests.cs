// Crafted messages: header and question checks (wrong id, not a response, wrong name,
// type, class, two questions), record bounds (RDLENGTH past the end, counts larger than
// the message, more records than the processing bound), zero-length and short packets.

using System;
using NanoMailGateway.Core.Dns;
using Xunit;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class DnsPacketTests
    {
        private static byte[] Good() => new DnsReply(0x1234, "example.com", DnsReply.Mx)
            .MxRecord("example.com", 10, "mx.example.com").ARecord("mx.example.com", "192.0.2.1", additional: true).Build();

        [Fact]
        public void Good_answer_passes_every_check()
        {
            byte[] m = Good();
            Assert.True(DnsPacket.HeaderMatches(m, m.Length, 0x1234));
            int pos = DnsPacket.MatchQuestion(m, m.Length, "example.com", DnsWire.TypeMx);
            Assert.Equal(12 + 13 + 4, pos);
            Assert.True(DnsPacket.ValidateRecords(m, m.Length, pos, 64));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(11)]
        public void Short_packets_are_rejected(int len)
        {
            byte[] m = Good();
            Assert.False(DnsPacket.HeaderMatches(m, len, 0x1234));
            Assert.Equal(-1, DnsPacket.MatchQuestion(m, len, "example.com", DnsWire.TypeMx));
        }

        [Fact]
        public void Wrong_id_or_query_bit_is_rejected()
        {
            byte[] m = Good();
            Assert.False(DnsPacket.HeaderMatches(m, m.Length, 0x1235));
            m[2] &= 0x7F; // QR clear: a query, not a response
            Assert.False(DnsPacket.HeaderMatches(m, m.Length, 0x1234));
        }

        [Theory]
        [InlineData("example.org", DnsWire.TypeMx, 1, 1)]
        [InlineData("example.co", DnsWire.TypeMx, 1, 1)]
        [InlineData("www.example.com", DnsWire.TypeMx, 1, 1)]
        [InlineData("example.com", DnsWire.TypeA, 1, 1)]
        [InlineData("example.com", DnsWire.TypeMx, 3, 1)]
        [InlineData("example.com", DnsWire.TypeMx, 1, 2)]
        public void Wrong_question_is_rejected(string name, int type, int cls, int qdcount)
        {
            byte[] m = new DnsReply(1, name, type).Build();
            m[4 + 1] = (byte)qdcount;
            m[m.Length - 1] = (byte)cls;
            Assert.Equal(-1, DnsPacket.MatchQuestion(m, m.Length, "example.com", DnsWire.TypeMx));
        }

        [Fact]
        public void Question_name_matches_case_insensitively()
        {
            byte[] m = new DnsReply(1, "ExAmPlE.CoM", DnsReply.Mx).Build();
            Assert.True(DnsPacket.MatchQuestion(m, m.Length, "example.com", DnsWire.TypeMx) > 0);
        }

        [Fact]
        public void Rdlength_past_the_end_is_rejected()
        {
            byte[] m = new DnsReply(1, "example.com", DnsReply.Mx)
                .Answer(DnsReply.Record(DnsReply.Name("example.com"), DnsReply.Mx, 300, DnsReply.MxData(10, "mx.example.com"), rdlength: 200)).Build();
            int pos = DnsPacket.MatchQuestion(m, m.Length, "example.com", DnsWire.TypeMx);
            Assert.False(DnsPacket.ValidateRecords(m, m.Length, pos, 64));
        }

        [Fact]
        public void Counts_larger_than_the_message_are_rejected()
        {
            var r = new DnsReply(1, "example.com", DnsReply.Mx).MxRecord("example.com", 10, "mx.example.com");
            r.AnCountOverride = 65535;
            byte[] m = r.Build();
            int pos = DnsPacket.MatchQuestion(m, m.Length, "example.com", DnsWire.TypeMx);
            Assert.False(DnsPacket.ValidateRecords(m, m.Length, pos, 100000));
            // Only MaxRecords are walked: the bound is what is checked.
            Assert.True(DnsPacket.ValidateRecords(m, m.Length, pos, 1));
        }

        [Fact]
        public void Every_truncation_of_a_good_answer_fails_validation()
        {
            byte[] m = Good();
            for (int len = 0; len < m.Length; len++)
            {
                bool ok = DnsPacket.HeaderMatches(m, len, 0x1234);
                int pos = ok ? DnsPacket.MatchQuestion(m, len, "example.com", DnsWire.TypeMx) : -1;
                Assert.False(pos > 0 && DnsPacket.ValidateRecords(m, len, pos, 64), "length " + len);
            }
        }

        [Fact]
        public void Query_writer_encodes_rd_and_one_question()
        {
            byte[] b = new byte[512];
            int n = DnsWire.WriteQuery(b, 0, 0xBEEF, "mx.example.com", DnsWire.TypeMx);
            Assert.Equal(12 + 16 + 4, n);
            Assert.Equal(0xBE, b[0]);
            Assert.Equal(0x01, b[2]);
            Assert.Equal(1, b[5]);
            var q = DnsTestServer.Parse(b.AsSpan(0, n).ToArray(), false, 0);
            Assert.Equal("mx.example.com", q.Name);
            Assert.Equal(15, q.Type);
        }

        [Theory]
        [InlineData("example.com", "example.com")]
        [InlineData("Example.COM.", "example.com")]
        [InlineData("a_b-c.example", "a_b-c.example")]
        [InlineData("", null)]
        [InlineData(".", null)]
        [InlineData("a..b", null)]
        [InlineData(".a", null)]
        [InlineData("a b.com", null)]
        [InlineData("bücher.de", null)]
        public void Domains_are_normalised_or_refused(string input, string? expected)
        {
            Assert.Equal(expected, DnsWire.NormalizeDomain(input));
        }

        [Fact]
        public void Overlong_label_and_name_are_refused_before_any_query()
        {
            Assert.Null(DnsWire.NormalizeDomain(new string('a', 64) + ".com"));
            Assert.NotNull(DnsWire.NormalizeDomain(new string('a', 63) + ".com"));
            string name253 = new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 61);
            Assert.Equal(253, name253.Length);
            Assert.NotNull(DnsWire.NormalizeDomain(name253));
            Assert.Null(DnsWire.NormalizeDomain(name253 + "d"));
        }
    }
}
