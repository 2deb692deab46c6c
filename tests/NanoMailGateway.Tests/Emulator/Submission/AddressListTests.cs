using NanoMailGateway.Emulator.Submission;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Submission
{
    public class AddressListTests
    {
        [Theory]
        [InlineData(" a@x.test", "a@x.test")]
        [InlineData(" Ann <ann@x.test>, b@x.test", "ann@x.test b@x.test")]
        [InlineData(" \"Doe, J\" <j@x.test>", "j@x.test")]
        [InlineData(" j@x.test (Doe, J (ops))", "j@x.test")]
        [InlineData(" team: a@x.test, B <b@x.test>;, c@x.test", "a@x.test b@x.test c@x.test")]
        [InlineData(" undisclosed-recipients:;", "")]
        [InlineData(" <@relay.test,@r2.test:old@x.test>", "old@x.test")]
        [InlineData(" \"john doe\"@x.test", "\"john doe\"@x.test")]
        [InlineData(" john . doe @ x.test", "john.doe@x.test")]
        [InlineData(" ,, ", "")]
        public void Finds_the_addr_specs(string body, string expected)
        {
            Assert.Equal(expected, string.Join(" ", AddressList.Parse(body)));
        }
    }
}
