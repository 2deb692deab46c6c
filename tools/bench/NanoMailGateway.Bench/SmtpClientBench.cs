// Delivery throughput of the SMTP client against Postfix's smtp-sink on loopback:
// messages per second and bytes allocated per delivered message, for 1 KB and 64 KB
// messages, over one reused connection and with a connection per message.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- smtpclient

using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Bench
{
    internal static class SmtpClientBench
    {
        public static void Run(string[] args)
        {
            int port = BenchKit.FreePort();
            using Process p = BenchKit.StartSmtpSink(port);
            try
            {
                BenchKit.WaitForPort(port, "smtp-sink");
                Console.WriteLine("SMTP client -> smtp-sink on 127.0.0.1:" + port + " (PIPELINING, 8BITMIME, DSN offered)");
                Console.WriteLine();
                Console.WriteLine("| message | connection      | messages | msg/s   | MB/s   | bytes allocated/msg |");
                Console.WriteLine("|---------|-----------------|----------|---------|--------|---------------------|");
                foreach (int size in new[] { 1024, 64 * 1024 })
                {
                    foreach (bool reuse in new[] { true, false })
                    {
                        int count = size <= 1024 ? (reuse ? 5000 : 1000) : (reuse ? 1000 : 500);
                        Measure(port, size, reuse, Math.Max(count / 10, 10), true);   // warm-up
                        Measure(port, size, reuse, count, false);
                    }
                }
            }
            finally
            {
                p.Kill();
                p.WaitForExit(3000);
            }
        }

        private static void Measure(int port, int size, bool reuse, int count, bool warmUp)
        {
            byte[] message = BenchKit.MakeMessage(size, "sink@x.test");
            var content = new Content(message);
            var options = new SmtpClientOptions { HeloName = "bench.test", TlsMode = SmtpTlsMode.None };
            var clock = new SystemClock();
            var log = new BenchKit.NullLog();
            var network = new HostSocketNetwork();
            byte[] reply = new byte[1024], send = new byte[4096];
            var envelope = new Envelope("bench@gw.test");
            var rcpts = new[] { new EnvelopeRecipient("sink@x.test", false, DsnNotify.Unspecified, null) };
            SmtpClientSession? session = null;
            int sent = 0;
            long allocated0 = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                if (session == null || !session.IsReady)
                {
                    session = new SmtpClientSession(network.Connect("127.0.0.1", port, 3000), null, "sink", options, reply, send, clock, log, 1);
                    if (!session.Open()) throw new InvalidOperationException("open failed: " + session.Failure!.Describe());
                }
                DeliveryResult r = session.Deliver(envelope, rcpts, content);
                if (r.Statuses[0].Outcome == DeliveryOutcome.Sent) sent++;
                if (!reuse)
                {
                    session.Quit();
                    session = null;
                }
            }
            session?.Quit();
            sw.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;
            if (warmUp) return;
            if (sent != count) throw new InvalidOperationException(sent + " of " + count + " sent");
            double secs = sw.Elapsed.TotalSeconds;
            Console.WriteLine("| {0,-7} | {1,-15} | {2,8} | {3,7:F0} | {4,6:F1} | {5,19:N0} |",
                size / 1024 + " KB", reuse ? "reused" : "one per message", count, count / secs, (double)count * size / secs / 1e6, allocated / count);
        }

        private sealed class Content : IMessageContent
        {
            private readonly byte[] _data;

            public Content(byte[] data) { _data = data; }

            public long Length => _data.Length;

            public int Read(long position, byte[] buffer, int offset, int count)
            {
                int n = (int)Math.Min(count, _data.Length - position);
                Array.Copy(_data, position, buffer, offset, n);
                return n;
            }
        }

    }
}
