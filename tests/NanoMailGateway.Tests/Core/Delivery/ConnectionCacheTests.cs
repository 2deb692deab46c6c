// The delivery connection cache (README "Delivery"; RemoteDelivery): a worker keeps the
// connection to the relayhost (Postfix's smtp-sink) open after its batch, so mail that
// arrives within smtp_connection_cache_time_limit goes on it; after that quiet time it
// ends with QUIT and the next message opens a new one. A kept connection the server has
// dropped is found out by RSET and replaced, and its message is delivered, not deferred.
// With the limit at 0 (the esp32-c3's profile) every batch has its own connection.

using System;
using System.Threading;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using static NanoMailGateway.Tests.Core.Delivery.DeliveryRig;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public class ConnectionCacheTests
    {
        private static DeliveryRig Rig(int relayPort, int cacheMs)
        {
            return new DeliveryRig(null, 25, o =>
            {
                o.RelayHost = "127.0.0.1";
                o.RelayPort = relayPort;
                o.Sessions = 1;
                o.ConnectionCacheMs = cacheMs;
            });
        }

        private static void Delivered(DeliveryRig rig, QueuedMessage m)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (rig.Store.Find(m.QueueId) != null && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Assert.True(rig.Store.Find(m.QueueId) == null, m.QueueId + " still queued:\n" + rig.AllLog);
        }

        [SkippableFact]
        public void MailWithinTheCacheTimeSharesOneConnectionAndLaterMailOpensANewOne()
        {
            int port = FreePort.Tcp();
            using var sink = new SmtpSinkPeer("127.0.0.1", port);
            var rig = Rig(port, 1500);
            rig.Agent.Start();
            try
            {
                Delivered(rig, rig.Put("alerts@gw.test", Simple("one"), "ops@far.test"));
                Thread.Sleep(300);
                Delivered(rig, rig.Put("alerts@gw.test", Simple("two"), "ops@far.test"));
                Delivered(rig, rig.Put("alerts@gw.test", Simple("three"), "ops@far.test"));
                Assert.Equal(1, rig.Network.Connects);
                // Quiet for longer than the cache time: the worker ends the connection (QUIT).
                Thread.Sleep(2500);
                Delivered(rig, rig.Put("alerts@gw.test", Simple("four"), "ops@far.test"));
                Assert.Equal(2, rig.Network.Connects);
                Assert.Equal(4, sink.Messages(4, 5000).Count);
            }
            finally
            {
                rig.Agent.Stop(5000);
            }
        }

        [SkippableFact]
        public void AKeptConnectionTheServerDroppedIsReplacedAndTheMessageStillGoes()
        {
            int port = FreePort.Tcp();
            var rig = Rig(port, 5000);
            rig.Agent.Start();
            try
            {
                using (new SmtpSinkPeer("127.0.0.1", port))
                {
                    Delivered(rig, rig.Put("alerts@gw.test", Simple("one"), "ops@far.test"));
                }
                // The relayhost restarts while the worker keeps its connection: RSET on it fails.
                using var again = new SmtpSinkPeer("127.0.0.1", port);
                QueuedMessage m = rig.Put("alerts@gw.test", Simple("two"), "ops@far.test");
                Delivered(rig, m);
                Assert.Equal(2, rig.Network.Connects);
                Assert.Single(again.Messages(1, 5000));
                Assert.DoesNotContain("status=deferred", rig.AllLog);
            }
            finally
            {
                rig.Agent.Stop(5000);
            }
        }

        [SkippableFact]
        public void WithTheCacheOffEveryBatchHasItsOwnConnection()
        {
            int port = FreePort.Tcp();
            using var sink = new SmtpSinkPeer("127.0.0.1", port);
            var rig = Rig(port, 0);
            rig.Agent.Start();
            try
            {
                Delivered(rig, rig.Put("alerts@gw.test", Simple("one"), "ops@far.test"));
                Delivered(rig, rig.Put("alerts@gw.test", Simple("two"), "ops@far.test"));
                Assert.Equal(2, rig.Network.Connects);
            }
            finally
            {
                rig.Agent.Stop(5000);
            }
        }
    }
}
