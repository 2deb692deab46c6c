// The per-client message counters behind smtpd_client_message_rate_limit: a minute's
// window per client, a fixed number of slots, the oldest window giving way to a new client.

using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class ClientRateTableTests
    {
        [Fact]
        public void A_client_gets_the_limit_per_minute_and_then_again_in_the_next_minute()
        {
            var t = new ClientRateTable(4, 3);
            for (int i = 0; i < 3; i++) Assert.True(t.TryCount("192.0.2.1", 1000 + i));
            Assert.False(t.TryCount("192.0.2.1", 1010));
            Assert.False(t.TryCount("192.0.2.1", 1000 + ClientRateTable.WindowMs - 1));
            Assert.True(t.TryCount("192.0.2.1", 1000 + ClientRateTable.WindowMs));
        }

        [Fact]
        public void One_noisy_client_does_not_use_up_another_clients_count()
        {
            var t = new ClientRateTable(4, 2);
            Assert.True(t.TryCount("192.0.2.1", 0));
            Assert.True(t.TryCount("192.0.2.1", 1));
            Assert.False(t.TryCount("192.0.2.1", 2));
            Assert.True(t.TryCount("192.0.2.2", 3));
            Assert.True(t.TryCount("192.0.2.2", 4));
            Assert.False(t.TryCount("192.0.2.1", 5));
        }

        [Fact]
        public void With_every_slot_taken_the_oldest_window_gives_way_and_the_limit_only_gets_looser()
        {
            var t = new ClientRateTable(2, 1);
            Assert.True(t.TryCount("192.0.2.1", 0));
            Assert.True(t.TryCount("192.0.2.2", 10));
            Assert.True(t.TryCount("192.0.2.3", 20));     // takes 192.0.2.1's slot
            Assert.False(t.TryCount("192.0.2.2", 30));    // still counted
            Assert.True(t.TryCount("192.0.2.1", 40));     // counted afresh: looser, never stricter
        }
    }
}
