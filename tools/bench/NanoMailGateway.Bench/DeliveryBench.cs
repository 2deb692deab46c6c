// Delivery through the whole agent: messages committed to a MessageStore on
// the flash simulator, DeliveryAgent.RunOnce delivers them to Postfix's smtp-sink on
// loopback (one reused connection per batch of 50), records the statuses and removes
// the messages. Reports delivered messages per second and managed bytes allocated per
// delivered message inside the agent (RunOnce only: queueing is the queue bench's).
// Routes: MX delivery to an address literal (no DNS: sink@[127.0.0.1], smtp_port = the
// sink's port) and the relayhost path (relayhost = 127.0.0.1:port).
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- delivery

using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Bench
{
    internal static class DeliveryBench
    {
        private const int Batch = 50;

        public static void Run(string[] args)
        {
            int port = BenchKit.FreePort();
            using Process p = BenchKit.StartSmtpSink(port);
            try
            {
                BenchKit.WaitForPort(port, "smtp-sink");
                Console.WriteLine("DeliveryAgent -> smtp-sink on 127.0.0.1:" + port + ", queue on the flash simulator (2 MB), batches of " + Batch);
                Console.WriteLine();
                Console.WriteLine("| route          | message | messages | msg/s   | bytes allocated/msg (agent) |");
                Console.WriteLine("|----------------|---------|----------|---------|-----------------------------|");
                foreach (bool relay in new[] { false, true })
                {
                    foreach (int size in new[] { 1024, 16 * 1024 })
                    {
                        Measure(port, relay, size, Batch, true);   // warm-up
                        Measure(port, relay, size, size <= 1024 ? 2000 : 500, false);
                    }
                }
            }
            finally
            {
                p.Kill();
                p.WaitForExit(3000);
            }
        }

        private static void Measure(int port, bool relay, int size, int count, bool warmUp)
        {
            var clock = new SystemClock();
            var config = new GatewayConfig { Hostname = "gw.test", LocalDomains = new[] { "gw.test" }, SmtpPort = port };
            if (relay) config.RelayHost = new Endpoint("127.0.0.1", port);
            long capacity = 2048 * 1024;
            var store = MessageStore.Open(new FlashSimulator(capacity, 1), new QueueOptions(capacity, 16384, 2048, 3 * 16384, Batch + 8, 4), clock);
            var options = DeliveryAgentOptions.From(config);
            var network = new HostSocketNetwork();
            var random = new HostRandom();
            var log = new BenchKit.NullLog();
            var resolver = new MxResolver(network, clock, random, new DnsOptions(), log);
            var agent = new DeliveryAgent(store, new MailboxStore(store), new LocalRecipientMap(config), options, network, null, resolver,
                new BufferPool("delivery", 4096, 3), clock, random, log);
            byte[] message = BenchKit.MakeMessage(size, "sink@example.org");
            string rcpt = relay ? "sink@example.org" : "sink@[127.0.0.1]";
            long allocated = 0;
            var sw = new Stopwatch();
            int delivered = 0;
            for (int done = 0; done < count; done += Batch)
            {
                for (int i = 0; i < Batch; i++)
                {
                    var env = new Envelope("bench@gw.test");
                    env.AddRecipient(new EnvelopeRecipient(rcpt, false, DsnNotify.Unspecified, null));
                    IMessageWriter w = store.BeginMessage(env) ?? throw new InvalidOperationException("queue full");
                    w.Write(message, 0, message.Length);
                    w.Commit();
                }
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                sw.Start();
                delivered += agent.RunOnce();
                sw.Stop();
                allocated += GC.GetAllocatedBytesForCurrentThread() - a0;
                if (store.Count != 0) throw new InvalidOperationException(store.Count + " messages left in the queue");
            }
            if (warmUp) return;
            Console.WriteLine("| {0,-14} | {1,-7} | {2,8} | {3,7:F0} | {4,27:N0} |",
                relay ? "relayhost" : "MX (literal)", size / 1024 + " KB", delivered, delivered / sw.Elapsed.TotalSeconds, allocated / delivered);
        }

    }
}
