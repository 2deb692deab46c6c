// The fair share of the queue per client address (IClientShare on MessageStore): entries
// and bytes of the listener's part, counted over committed outbound mail and open writers.

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Queue
{
    public class ClientShareTests
    {
        private static IMessageWriter Begin(MessageStore s, string client)
        {
            var e = new Envelope("sensor@lan.test") { ClientAddress = client };
            e.AddRecipient(new EnvelopeRecipient("ops@far.test", false, DsnNotify.Unspecified, null));
            return s.BeginMessage(e)!;
        }

        [Fact]
        public void A_client_holding_half_of_the_entries_is_out_of_its_share_and_another_is_not()
        {
            // 16 entries, 1 kept for reports: 15 for the listener, half of them is 7.
            var s = MessageStore.Open(new FlashSimulator(1024 * 1024, 1), new QueueOptions(1024 * 1024, 16384, 2048, 3 * 16384, 16, 4), new StepClock());
            byte[] body = System.Text.Encoding.ASCII.GetBytes("Subject: x\r\n\r\nx\r\n");
            for (int i = 0; i < 6; i++)
            {
                IMessageWriter w = Begin(s, "192.0.2.1");
                Assert.True(w.Write(body, 0, body.Length));
                w.Commit();
            }
            Assert.True(s.WithinShare("192.0.2.1", 50));
            IMessageWriter open = Begin(s, "192.0.2.1");                 // a message being written counts too
            Assert.False(s.WithinShare("192.0.2.1", 50));
            Assert.True(s.WithinShare("192.0.2.9", 50));
            Assert.True(s.WithinShare("192.0.2.1", 100));
            open.Abort();
            Assert.True(s.WithinShare("192.0.2.1", 50));
        }

        [Fact]
        public void A_client_holding_half_of_the_bytes_is_out_of_its_share()
        {
            // 128 KB less the 48 KB reserve: 80 KB for the listener, 40 KB is half.
            var s = MessageStore.Open(new FlashSimulator(128 * 1024, 1), new QueueOptions(128 * 1024, 16384, 2048, 3 * 16384, 64, 4), new StepClock());
            IMessageWriter w = Begin(s, "192.0.2.1");
            byte[] chunk = new byte[1000];
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)'a';
            for (int i = 0; i < 41; i++) Assert.True(w.Write(chunk, 0, chunk.Length));
            w.Commit();
            Assert.False(s.WithinShare("192.0.2.1", 50));
            Assert.True(s.WithinShare("192.0.2.2", 50));
        }
    }
}
