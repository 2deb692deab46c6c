using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Mailbox;
using Xunit;

namespace NanoMailGateway.Tests.Core.Mailbox
{
    public class LocalRecipientMapTests
    {
        private static LocalRecipientMap Map()
        {
            var c = new GatewayConfig { Hostname = "gw.example", LocalDomains = new[] { "plant.example" }, Postmaster = "admin" };
            c.SetAccount("Admin", "x");
            c.SetAccount("alerts", "y");
            return new LocalRecipientMap(c);
        }

        [Theory]
        [InlineData("alerts@plant.example", "alerts")]
        [InlineData("ALERTS@Plant.Example", "alerts")]
        [InlineData("alerts@gw.example", "alerts")]
        [InlineData("alerts@localhost", "alerts")]
        [InlineData("postmaster@plant.example", "Admin")]
        [InlineData("PostMaster@gw.example", "Admin")]
        [InlineData("admin@plant.example", "Admin")]
        [InlineData("nobody@plant.example", null)]
        [InlineData("alerts@elsewhere.example", null)]
        [InlineData("alerts", null)]
        [InlineData("Postmaster", "Admin")]
        [InlineData("@plant.example", null)]
        public void MapsLocalAddressesToConfiguredMailboxNames(string address, string? mailbox)
        {
            Assert.Equal(mailbox, Map().MailboxFor(address));
        }

        [Fact]
        public void KnowsLocalDomainsAndThePostmasterMailbox()
        {
            var m = Map();
            Assert.True(m.IsLocal("x@PLANT.example"));
            Assert.False(m.IsLocal("x@plant.example.com"));
            Assert.Equal("Admin", m.PostmasterMailbox);
        }
    }
}
