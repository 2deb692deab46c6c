// `nmg mx` in-process through MxCommand.Run: against the real dnsmasq (output lines and
// exit codes per sysexits.h) and its usage errors.

using System.IO;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Tests.Core.Dns;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Cli
{
    public class MxCommandTests : IClassFixture<DnsmasqFixture>
    {
        private readonly DnsmasqFixture _dnsmasq;

        public MxCommandTests(DnsmasqFixture dnsmasq) { _dnsmasq = dnsmasq; }

        private static (int Code, string Out, string Err) Run(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = MxCommand.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        private string Dns()
        {
            _dnsmasq.EnsureStarted(Peers.Require("dnsmasq"));
            return _dnsmasq.Endpoint;
        }

        [SkippableFact]
        public void Prints_exchangers_like_dig_short_plus_addresses()
        {
            var (code, o, e) = Run("example.test", "--dns", Dns(), "--timeout", "5");
            Assert.Equal(0, code);
            Assert.Equal("", e);
            string[] lines = o.TrimEnd().Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Equal("10 mx1.example.test. 127.0.0.11 ttl=300", lines[0]);
            Assert.Matches(@"^20 mx[23]\.example\.test\. 127\.0\.0\.1[23] ttl=300$", lines[1]);
            Assert.Matches(@"^20 mx[23]\.example\.test\. 127\.0\.0\.1[23] ttl=300$", lines[2]);
        }

        [SkippableFact]
        public void With_a_config_file_its_dns_servers_are_used()
        {
            string dir = Directory.CreateTempSubdirectory("nmg-mx-").FullName;
            try
            {
                string cfg = Path.Combine(dir, "main.cf");
                File.WriteAllText(cfg, "hostname = gw.example\ndns_servers = " + Dns() + "\n");
                var (code, o, e) = Run("example.test", "--config", cfg, "--timeout", "5");
                Assert.Equal("", e);
                Assert.Equal(0, code);
                Assert.StartsWith("10 mx1.example.test. 127.0.0.11 ttl=300", o);
                var (missing, _, err) = Run("example.test", "--config", Path.Combine(dir, "none.cf"));
                Assert.Equal(66, missing);
                Assert.StartsWith("nmg mx: cannot read config ", err);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [SkippableFact]
        public void Implicit_MX_is_marked()
        {
            var (code, o, _) = Run("plain.test", "--dns", Dns());
            Assert.Equal(0, code);
            Assert.Equal("0 plain.test. 127.0.0.9 ttl=300 implicit\n", o.Replace("\r", ""));
        }

        [SkippableTheory]
        [InlineData("nope.test", 68, "5.1.2")]
        [InlineData("nullmx.test", 68, "5.1.10")]
        public void Permanent_failures_exit_68_with_the_code(string domain, int exit, string code)
        {
            var (rc, o, e) = Run(domain, "--dns", Dns());
            Assert.Equal(exit, rc);
            Assert.Equal("", o);
            Assert.Contains(code, e);
            Assert.StartsWith("nmg mx: " + domain + ": ", e);
        }

        [Fact]
        public void Silent_server_exits_75_within_the_timeout()
        {
            int port = FreePort.Udp();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var (rc, _, e) = Run("example.test", "--dns", "127.0.0.1:" + port, "--timeout", "1");
            Assert.Equal(75, rc);
            Assert.Contains("4.4.3", e);
            Assert.InRange(sw.ElapsedMilliseconds, 900, 3500);
        }

        [Fact]
        public void Address_literal_needs_no_server()
        {
            var (rc, o, _) = Run("[192.0.2.1]", "--dns", "127.0.0.1:9");
            Assert.Equal(0, rc);
            Assert.Equal("0 [192.0.2.1] 192.0.2.1 ttl=0\n", o.Replace("\r", ""));
        }

        [Theory]
        [InlineData(64, "--bogus")]
        [InlineData(64)]
        [InlineData(64, "a.example", "b.example")]
        [InlineData(64, "a.example", "--dns")]
        [InlineData(64, "a.example", "--dns", "dns.example")]
        [InlineData(64, "a.example", "--timeout", "0")]
        [InlineData(64, "a.example", "--timeout=300s")]
        [InlineData(65, "bad domain!", "--dns", "127.0.0.1:9")]
        public void Usage_errors_are_one_line(int exit, params string[] args)
        {
            var (rc, o, e) = Run(args);
            Assert.Equal(exit, rc);
            Assert.Equal("", o);
            Assert.Single(e.TrimEnd().Split('\n'));
        }

        [Fact]
        public void Help_exits_0()
        {
            var (rc, o, _) = Run("--help");
            Assert.Equal(0, rc);
            Assert.Contains("  nmg mx <DOMAIN> [options]", o);
        }
    }
}
