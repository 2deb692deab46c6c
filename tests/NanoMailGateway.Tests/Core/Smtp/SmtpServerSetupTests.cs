// SmtpServerSetup: configuration keys to listener options, accounts and trusted networks.

using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpServerSetupTests
    {
        [Fact]
        public void MapsTheConfiguration()
        {
            var c = new GatewayConfig();
            string text = "hostname = GW.example.net\nlocal_domains = Plant.example, lan\nmessage_size_limit = 512K\nmax_recipients = 7\n"
                + "smtp_command_timeout = 60\nsmtp_data_timeout = 120\nsmtp_allow_plaintext_auth = yes\n"
                + "trusted_networks = 192.168.1.0/24\nuser.Alice = pw1\n";
            Assert.Null(ConfigParser.Parse(text, "main.cf", c, false));
            SmtpServerOptions o = SmtpServerSetup.OptionsFrom(c);
            Assert.Equal("gw.example.net", o.HostName);
            Assert.Equal(new[] { "plant.example", "lan", "gw.example.net", "localhost" }, o.LocalDomains);
            Assert.Equal(524288, o.MessageSizeLimit);
            Assert.Equal(7, o.MaxRecipients);
            Assert.Equal(60000, o.CommandTimeoutMs);
            Assert.Equal(120000, o.DataTimeoutMs);
            Assert.True(o.AllowPlaintextAuth);
            var accounts = SmtpServerSetup.AccountsFrom(c);
            Assert.Equal("Alice", accounts.Authenticate("alice", "pw1"));
            var trusted = SmtpServerSetup.TrustedFrom(c);
            Assert.True(trusted.Contains("192.168.1.77"));
            Assert.False(trusted.Contains("192.168.2.1"));
            Assert.False(trusted.Contains("127.0.0.1")); // the list replaces the default
        }
    }
}
