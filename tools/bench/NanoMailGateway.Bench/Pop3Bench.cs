// POP3 RETR cost: bytes allocated on the session thread per RETR (should not depend on
// the message size: messages stream through the pool buffers) and RETR throughput, over
// in-memory connections and over host loopback sockets.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- pop3

using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Bench
{
    public static class Pop3Bench
    {
        private sealed class OneMessageStore : IMaildropStore, IMaildrop, IMailboxAuthenticator
        {
            private readonly byte[] _data;
            public OneMessageStore(byte[] data) { _data = data; }
            public IMaildrop? Open(string mailbox) => this;
            public int Count => 1;
            public long SizeOf(int index) => _data.Length;
            public string UniqueId(int index) => "bench-1";
            public int Read(int index, long position, byte[] buffer, int offset, int count)
            {
                int n = (int)Math.Min(count, _data.Length - position);
                Buffer.BlockCopy(_data, (int)position, buffer, offset, n);
                return n;
            }
            public bool Commit(bool[] deleted) => true;
            public void Close() { }
            public bool Verify(string user, string password) => true;
        }

        private static byte[] Message(int size)
        {
            var sb = new StringBuilder("Subject: bench\r\n\r\n");
            int i = 0;
            while (sb.Length < size - 40) sb.Append(i++ % 4 == 0 ? ".dotted line " : "plain line of text ").Append(i).Append("\r\n");
            while (sb.Length < size - 2) sb.Append('x');
            sb.Append("\r\n");
            return Encoding.ASCII.GetBytes(sb.ToString());
        }

        private static byte[] Script(int retrs)
        {
            var sb = new StringBuilder("USER u\r\nPASS p\r\n");
            for (int i = 0; i < retrs; i++) sb.Append("RETR 1\r\n");
            sb.Append("QUIT\r\n");
            return Encoding.ASCII.GetBytes(sb.ToString());
        }

        /// <summary>Runs one in-memory session of <paramref name="retrs"/> RETRs; returns (allocated bytes on the session thread, ms, bytes received).</summary>
        private static (long Allocated, double Ms, long Received) InMemory(Pop3Server server, int retrs)
        {
            MemoryConnection.CreatePair("192.0.2.10", "192.0.2.1", out var client, out var conn);
            long received = 0;
            var t = new Thread(() =>
            {
                byte[] s = Script(retrs);
                client.Send(s, 0, s.Length, 10_000);
                byte[] b = new byte[65536];
                int n;
                while ((n = client.Receive(b, 0, b.Length, 10_000)) > 0) received += n;
            });
            t.Start();
            var sw = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            server.Serve(conn);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            double ms = sw.Elapsed.TotalMilliseconds;
            t.Join();
            return (allocated, ms, received);
        }

        private static (double Ms, long Received) Loopback(Pop3Server server, int retrs)
        {
            var net = new HostSocketNetwork();
            ITcpListener l = net.Listen("127.0.0.1", 0, 1);
            long received = 0;
            var t = new Thread(() =>
            {
                IConnection c = net.Connect("127.0.0.1", l.LocalPort, 5000);
                byte[] s = Script(retrs);
                c.Send(s, 0, s.Length, 10_000);
                byte[] b = new byte[65536];
                int n;
                while ((n = c.Receive(b, 0, b.Length, 10_000)) > 0) received += n;
                c.Close();
            });
            t.Start();
            IConnection conn = l.Accept()!;
            var sw = Stopwatch.StartNew();
            server.Serve(conn);
            t.Join();
            double ms = sw.Elapsed.TotalMilliseconds;
            l.Close();
            return (ms, received);
        }

        public static void Run(string[] args)
        {
            Console.WriteLine("POP3 RETR: allocations on the session thread and throughput (pool buffers 2 x 1024 B)");
            Console.WriteLine();
            Console.WriteLine("| message | B alloc / session (1 RETR) | B alloc / extra RETR | in-memory MB/s | loopback MB/s |");
            Console.WriteLine("|--------:|---------------------------:|---------------------:|---------------:|--------------:|");
            foreach (int size in new[] { 1024, 256 * 1024 })
            {
                var store = new OneMessageStore(Message(size));
                var options = new Pop3ServerOptions();
                var server = new Pop3Server(options, store, store, new AuthThrottle(new SystemClock()), null, new BufferPool("pop3", 1024, 4), new SystemClock(), new BenchKit.NullLog());
                InMemory(server, 3);   // warm up JIT
                int many = size > 100_000 ? 41 : 401;
                var one = InMemory(server, 1);
                var lots = InMemory(server, many);
                double perRetr = (lots.Allocated - one.Allocated) / (double)(many - 1);
                double memMBs = lots.Received / (lots.Ms / 1000.0) / 1e6;
                Loopback(server, 2);
                var lb = Loopback(server, many);
                double lbMBs = lb.Received / (lb.Ms / 1000.0) / 1e6;
                Console.WriteLine("| {0,7} | {1,26:N0} | {2,20:N1} | {3,14:N1} | {4,13:N1} |",
                    size >= 1024 * 1024 ? size / (1024 * 1024) + " MB" : size / 1024 + " KB", one.Allocated, perRetr, memMBs, lbMBs);
            }
        }
    }
}
