using NanoMailGateway.Core.Queue;
using Xunit;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class QueueIdTests
    {
        [Theory]
        [InlineData(0L, "00000000")]
        [InlineData(1L, "00000001")]
        [InlineData(31L, "0000000z")]
        [InlineData(32L, "00000010")]
        [InlineData((1L << 40) - 1, "zzzzzzzz")]
        [InlineData(1L << 40, "100000000")]
        public void Formats_base32_at_least_eight_characters(long seq, string id)
        {
            Assert.Equal(id, QueueId.Format(seq));
            Assert.Equal(seq, QueueId.Parse(id));
        }

        [Theory]
        [InlineData("")]
        [InlineData("0000001")]        // too short
        [InlineData("0000000i")]       // i is not in the alphabet
        [InlineData("0000000U")]       // upper case is not produced
        public void Rejects_what_it_never_produces(string id)
        {
            Assert.Equal(-1, QueueId.Parse(id));
        }

        [Fact]
        public void Text_order_is_number_order()
        {
            string prev = QueueId.Format(0);
            for (long s = 1; s < 5000; s += 7)
            {
                string id = QueueId.Format(s);
                Assert.True(string.CompareOrdinal(prev, id) < 0, prev + " !< " + id);
                prev = id;
            }
        }
    }
}
