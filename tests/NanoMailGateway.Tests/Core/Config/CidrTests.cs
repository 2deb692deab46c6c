using NanoMailGateway.Core.Config;
using Xunit;

namespace NanoMailGateway.Tests.Core.Config
{
    public class CidrTests
    {
        [Theory]
        [InlineData("127.0.0.1", "7f000001")]
        [InlineData("0.0.0.0", "00000000")]
        [InlineData("255.255.255.255", "ffffffff")]
        [InlineData("::", "00000000000000000000000000000000")]
        [InlineData("::1", "00000000000000000000000000000001")]
        [InlineData("fe80::1:2", "fe800000000000000000000000010002")]
        [InlineData("2001:db8:0:0:0:0:0:1", "20010db8000000000000000000000001")]
        [InlineData("2001:DB8::", "20010db8000000000000000000000000")]
        [InlineData("::ffff:10.1.2.3", "0a010203")]
        [InlineData("64:ff9b::192.0.2.33", "0064ff9b0000000000000000c0000221")]
        public void ParsesLiterals(string text, string hex)
        {
            Assert.Equal(hex, System.Convert.ToHexString(IpLiteral.Parse(text)!).ToLowerInvariant());
        }

        [Theory]
        [InlineData("")]
        [InlineData("1.2.3")]
        [InlineData("1.2.3.4.5")]
        [InlineData("256.1.1.1")]
        [InlineData("01.2.3.4")]
        [InlineData("1.2.3.4 ")]
        [InlineData("a.b.c.d")]
        [InlineData("localhost")]
        [InlineData(":::")]
        [InlineData("1::2::3")]
        [InlineData("1:2:3:4:5:6:7:8:9")]
        [InlineData("1:2:3:4:5:6:7")]
        [InlineData("12345::")]
        [InlineData("1:2:3:4:5:6:7::8")]
        [InlineData(":1::")]
        [InlineData("1:")]
        [InlineData("fe80::1%eth0")]
        public void RejectsNonLiterals(string text)
        {
            Assert.Null(IpLiteral.Parse(text));
        }

        [Theory]
        [InlineData("192.168.1.0/24", "192.168.1.0", true)]
        [InlineData("192.168.1.0/24", "192.168.1.255", true)]
        [InlineData("192.168.1.0/24", "192.168.2.1", false)]
        [InlineData("10.0.0.0/8", "10.255.0.1", true)]
        [InlineData("10.0.0.0/8", "11.0.0.1", false)]
        [InlineData("172.16.0.0/12", "172.31.255.255", true)]
        [InlineData("172.16.0.0/12", "172.32.0.0", false)]
        [InlineData("10.0.0.7", "10.0.0.7", true)]
        [InlineData("10.0.0.7", "10.0.0.8", false)]
        [InlineData("0.0.0.0/0", "8.8.8.8", true)]
        [InlineData("127.0.0.0/8", "::ffff:127.0.0.1", true)]
        [InlineData("127.0.0.0/8", "::1", false)]
        [InlineData("::1/128", "::1", true)]
        [InlineData("::1", "127.0.0.1", false)]
        [InlineData("fd00::/8", "fd12:3456::1", true)]
        [InlineData("fd00::/8", "fe80::1", false)]
        [InlineData("2001:db8::/33", "2001:db8:7fff::1", true)]
        [InlineData("2001:db8::/33", "2001:db8:8000::1", false)]
        [InlineData("192.168.1.0/24", "not-an-ip", false)]
        public void Contains(string network, string address, bool inside)
        {
            Cidr c = Cidr.Parse(network)!;
            Assert.NotNull(c);
            Assert.Equal(inside, c.Contains(address));
        }

        [Theory]
        [InlineData("192.168.1.5/24")] // host bits set: a typo that would widen who may relay
        [InlineData("10.0.0.0/33")]
        [InlineData("10.0.0.0/")]
        [InlineData("10.0.0.0/-1")]
        [InlineData("10.0.0.0/8/8")]
        [InlineData("::/129")]
        [InlineData("fd00::1/8")]
        [InlineData("example.com/24")]
        [InlineData("/24")]
        public void RejectsBadNetworks(string text)
        {
            Assert.Null(Cidr.Parse(text));
        }

        [Fact]
        public void ListMatchesAnyNetworkAndPrintsCanonically()
        {
            NetworkList list = NetworkList.Parse(new[] { "127.0.0.0/8", "192.168.1.0/24", "fd00::/8" }, out string bad)!;
            Assert.Equal("", bad);
            Assert.True(list.Contains("127.0.0.1"));
            Assert.True(list.Contains("192.168.1.77"));
            Assert.True(list.Contains("fd00::5"));
            Assert.False(list.Contains("192.168.0.1"));
            Assert.False(list.Contains(""));
            Assert.Equal("127.0.0.0/8, 192.168.1.0/24, fd00:0:0:0:0:0:0:0/8", list.ToString());
        }

        [Fact]
        public void ListNamesTheBadEntry()
        {
            Assert.Null(NetworkList.Parse(new[] { "127.0.0.0/8", "10.0.0.1/8" }, out string bad));
            Assert.Equal("10.0.0.1/8", bad);
        }
    }
}
