// The board refuses TLS to the relayhost without relay_ca_file (no CA bundle on the
// board), naming the key; plaintext relaying and TLS with a CA file pass.

using NanoMailGateway.Board.Settings;
using NanoMailGateway.Core.Config;
using Xunit;

namespace NanoMailGateway.Tests.Board.Settings
{
    public class BoardConfigCheckTests
    {
        private static GatewayConfig Parsed(string text)
        {
            var c = new GatewayConfig();
            Assert.Null(ConfigParser.Parse(text, "nmg.conf", c, false));
            return c;
        }

        [Theory]
        [InlineData("relay_security = starttls\n", "starttls")]
        [InlineData("relay_security = tls\n", "tls")]
        public void Tls_to_the_relayhost_without_a_CA_file_is_refused(string conf, string word)
        {
            string? why = BoardConfigCheck.Check(Parsed("relayhost = [192.0.2.25]:587\n" + conf));
            Assert.Equal("relay_ca_file: needed with relay_security = " + word + " (the board has no CA bundle to check the relayhost's certificate)", why);
        }

        [Theory]
        [InlineData("relayhost = [192.0.2.25]:25\n")]
        [InlineData("relayhost = [192.0.2.25]:587\nrelay_security = starttls\nrelay_ca_file = I:\\\\ca.pem\n")]
        [InlineData("")]
        public void Plaintext_relaying_and_TLS_with_a_CA_file_pass(string conf)
        {
            Assert.Null(BoardConfigCheck.Check(Parsed(conf)));
        }
    }
}
