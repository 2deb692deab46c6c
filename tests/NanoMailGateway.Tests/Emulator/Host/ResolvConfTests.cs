// The resolv.conf reader behind `nmg mx`'s default servers.

using System.IO;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public class ResolvConfTests
    {
        [Theory]
        [InlineData("nameserver 192.0.2.53\n", new[] { "192.0.2.53" })]
        [InlineData("# comment\nsearch example.com\nnameserver 10.0.0.1\r\nnameserver\t10.0.0.2 # trailing\n", new[] { "10.0.0.1", "10.0.0.2" })]
        [InlineData("nameserver ::1\nnameserver 2001:db8::53\nnameserver 127.0.0.53\n", new[] { "127.0.0.53" })]
        [InlineData("; nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.2\n", new[] { "192.0.2.2" })]
        [InlineData("nameserver not-an-ip\noptions edns0\n", new string[0])]
        [InlineData("", new string[0])]
        public void Parses_ipv4_nameservers_in_order(string text, string[] expected)
        {
            Assert.Equal(expected, ResolvConf.ParseNameservers(text));
        }

        [Fact]
        public void Missing_file_gives_no_servers()
        {
            Assert.Empty(ResolvConf.ReadNameservers(Path.Combine(Path.GetTempPath(), "nmg-no-such-resolv.conf")));
        }
    }
}
