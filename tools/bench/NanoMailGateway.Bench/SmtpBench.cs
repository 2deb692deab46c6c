// SMTP listener benchmark: bytes allocated per accepted message (1 KB and 1 MB bodies,
// session run on this thread over an in-memory connection, so the count is exact), and
// messages per second with Postfix's smtp-source against the in-process listener on
// loopback with a store that discards. Run:
//   dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- smtp

using System;
using System.Diagnostics;
using System.Text;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Bench
{
    public static class SmtpBench
    {
        public static void Run(string[] args)
        {
            Console.WriteLine("SMTP listener: allocation per accepted message (in-memory connection, this thread)");
            Console.WriteLine("| body      | messages | bytes allocated / message |");
            Console.WriteLine("|-----------|----------|---------------------------|");
            foreach (int size in new[] { 1024, 1024 * 1024 })
            {
                int n = size > 100_000 ? 20 : 500;
                long perMessage = AllocationPerMessage(size, n);
                Console.WriteLine("| " + (size >= 1024 * 1024 ? (size / 1024 / 1024) + " MB" : (size / 1024) + " KB").PadRight(9) + " | " + n.ToString().PadLeft(8) + " | " + perMessage.ToString().PadLeft(25) + " |");
            }
            Console.WriteLine();
            Console.WriteLine("SMTP listener: throughput with smtp-source on loopback (store discards)");
            Console.WriteLine("| sessions | messages | body   | seconds | messages/s |");
            Console.WriteLine("|----------|----------|--------|---------|------------|");
            string source = "/usr/sbin/smtp-source";
            if (!System.IO.File.Exists(source))
            {
                Console.WriteLine("smtp-source not installed (Debian package postfix)");
                return;
            }
            foreach (var (sessions, messages, length) in new[] { (1, 500, 1024), (5, 2000, 1024), (5, 500, 102400) })
            {
                double seconds = Throughput(source, sessions, messages, length);
                Console.WriteLine("| " + sessions.ToString().PadLeft(8) + " | " + messages.ToString().PadLeft(8) + " | " + ((length / 1024) + " KB").PadLeft(6)
                    + " | " + seconds.ToString("F2").PadLeft(7) + " | " + (messages / seconds).ToString("F0").PadLeft(10) + " |");
            }
            Console.WriteLine();
            Bursts(source);
        }

        /// <summary>
        /// Bursts (README, The numbers): per board, the listener with exactly the board's SMTP
        /// slots and backlog (MailGateway.BacklogFor), fed by smtp-source with as many senders as
        /// slots and then ten times as many, while a probe connects every 50 ms and times the
        /// first line it gets (220, or 421 4.3.2). Goal: the burst keeps at least 70 % of the
        /// throughput, and no connection waits more than 1 s for its first line.
        /// </summary>
        private static void Bursts(string source)
        {
            Console.WriteLine("SMTP listener under bursts: the board's slots and backlog, smtp-source with 1x and 10x as many senders (1 KB, store discards)");
            Console.WriteLine("| board | slots | senders | messages | messages/s | of 1x | probes | slowest first line | 421 | smtp-source |");
            Console.WriteLine("|-------|------:|--------:|---------:|-----------:|------:|-------:|-------------------:|----:|-------------|");
            foreach (var (board, slots) in new[] { ("esp32-c3", 1), ("esp32-wroom-32", 2), ("esp32-s3", 6) })
            {
                double baseRate = 0;
                foreach (int senders in new[] { slots, 10 * slots })
                {
                    const int messages = 600;
                    var r = Burst(source, slots, senders, messages);
                    double rate = r.Stored / r.Seconds;
                    if (senders == slots) baseRate = rate;
                    Console.WriteLine("| " + board + " | " + slots + " | " + senders + " | " + r.Stored + " | " + rate.ToString("F0") + " | "
                        + (rate / baseRate * 100).ToString("F0") + " % | " + r.Probes + " | " + r.SlowestMs + " ms | " + r.Refused + " | " + r.Exit + " |");
                }
            }
        }

        private sealed class BurstResult
        {
            public int Stored;
            public double Seconds;
            public int Probes;
            public long SlowestMs;
            public int Refused;
            public string Exit = "";
        }

        private static BurstResult Burst(string source, int slots, int senders, int messages)
        {
            var store = new DiscardStore();
            ITcpListener l = new HostSocketNetwork().Listen("127.0.0.1", 0, NanoMailGateway.Core.Gateway.MailGateway.BacklogFor(slots));
            var listener = new ConnectionListener(l, NewServer(store, slots), slots, new BenchKit.NullLog());
            listener.Start();
            var result = new BurstResult();
            bool done = false;
            var probe = new System.Threading.Thread(() =>
            {
                while (!System.Threading.Volatile.Read(ref done))
                {
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        using var c = new System.Net.Sockets.TcpClient();
                        c.Connect("127.0.0.1", listener.LocalPort);
                        c.ReceiveTimeout = 30000;
                        var r = new System.IO.StreamReader(c.GetStream(), Encoding.ASCII);
                        string? first = r.ReadLine();
                        long ms = sw.ElapsedMilliseconds;
                        lock (result)
                        {
                            result.Probes++;
                            if (ms > result.SlowestMs) result.SlowestMs = ms;
                            if (first != null && first.StartsWith("421", StringComparison.Ordinal)) result.Refused++;
                        }
                        if (first != null && first.StartsWith("220", StringComparison.Ordinal))
                        {
                            byte[] quit = Encoding.ASCII.GetBytes("QUIT\r\n");
                            c.GetStream().Write(quit, 0, quit.Length);
                            r.ReadLine();
                        }
                    }
                    catch (Exception)
                    {
                        lock (result) { result.Probes++; result.SlowestMs = Math.Max(result.SlowestMs, sw.ElapsedMilliseconds); }
                    }
                    System.Threading.Thread.Sleep(50);
                }
            });
            var watch = Stopwatch.StartNew();
            probe.Start();
            var psi = new ProcessStartInfo(source) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-s", senders.ToString(), "-m", messages.ToString(), "-l", "1024", "-f", "s@sensor.example", "-t", "a@bench.example", "127.0.0.1:" + listener.LocalPort })
                psi.ArgumentList.Add(a);
            using (var p = Process.Start(psi)!)
            {
                p.StandardOutput.ReadToEnd();
                string err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                result.Exit = p.ExitCode == 0 ? "ok" : "exit " + p.ExitCode + ": " + err.Trim().Replace("\n", " ").Replace("|", "/");
            }
            result.Seconds = watch.Elapsed.TotalSeconds;
            System.Threading.Volatile.Write(ref done, true);
            probe.Join();
            listener.Stop(2000);
            result.Stored = store.Count;
            return result;
        }

        private static SmtpServer NewServer(IMessageStore store, int sessions)
        {
            var options = new SmtpServerOptions { HostName = "bench.example", LocalDomains = new[] { "bench.example" }, MessageSizeLimit = 10_000_000 };
            return new SmtpServer(options, store, new BufferPool("smtp", 2048, sessions * SmtpServer.BuffersPerSession), null,
                new NoTrust(), new AccountDirectory(), new AuthThrottle(new SystemClock()), new SystemClock(), new BenchKit.NullLog());
        }

        private static byte[] Script(int bodySize, int messages)
        {
            var body = new StringBuilder("Subject: bench\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <b@bench.example>\r\n\r\n");
            while (body.Length < bodySize) body.Append("The quick brown fox jumps over the lazy dog 0123456789 .,;:!?\r\n");
            var sb = new StringBuilder("EHLO bench\r\n");
            for (int i = 0; i < messages; i++)
            {
                sb.Append("MAIL FROM:<s@sensor.example>\r\nRCPT TO:<a@bench.example>\r\nDATA\r\n").Append(body).Append(".\r\n");
            }
            sb.Append("QUIT\r\n");
            return Encoding.Latin1.GetBytes(sb.ToString());
        }

        // Allocation of a session with 1 + n messages minus one with 1 message, divided by n:
        // the per-message cost without the per-session setup.
        private static long AllocationPerMessage(int bodySize, int n)
        {
            byte[] one = Script(bodySize, 1);
            byte[] many = Script(bodySize, 1 + n);
            RunSession(one); // warm up (JIT)
            long a1 = Measure(one);
            long a2 = Measure(many);
            return (a2 - a1) / n;
        }

        private static long Measure(byte[] script)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            RunSession(script);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static void RunSession(byte[] script)
        {
            var store = new DiscardStore();
            SmtpServer server = NewServer(store, 1);
            var conn = new ScriptConnection(script);
            server.CreateSession(conn, 1)!.Run();
        }

        private static double Throughput(string source, int sessions, int messages, int length)
        {
            var store = new DiscardStore();
            ITcpListener l = new HostSocketNetwork().Listen("127.0.0.1", 0, 64);
            var listener = new ConnectionListener(l, NewServer(store, sessions + 1), sessions + 1, new BenchKit.NullLog());
            listener.Start();
            var sw = Stopwatch.StartNew();
            var psi = new ProcessStartInfo(source) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "-s", sessions.ToString(), "-m", messages.ToString(), "-l", length.ToString(), "-f", "s@sensor.example", "-t", "a@bench.example", "127.0.0.1:" + listener.LocalPort })
                psi.ArgumentList.Add(a);
            using (var p = Process.Start(psi)!)
            {
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
            }
            double seconds = sw.Elapsed.TotalSeconds;
            listener.Stop(2000);
            if (store.Count != messages) Console.WriteLine("warning: stored " + store.Count + " of " + messages);
            return seconds;
        }

        private sealed class ScriptConnection : IConnection
        {
            private readonly byte[] _input;
            private int _pos;
            public ScriptConnection(byte[] input) { _input = input; }
            public string RemoteAddress => "192.0.2.9";
            public int RemotePort => 1;
            public string LocalAddress => "192.0.2.1";
            public bool IsSecure => false;
            public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
            {
                int n = Math.Min(count, Math.Min(1460, _input.Length - _pos)); // TCP-segment-sized reads
                Array.Copy(_input, _pos, buffer, offset, n);
                _pos += n;
                return n;
            }
            public void Send(byte[] buffer, int offset, int count, int timeoutMs) { }
            public void Close() { }
        }

        private sealed class DiscardStore : IMessageStore
        {
            private int _count;
            private int _next;
            private readonly byte[] _unit = new byte[2048];   // shared by every session: what lands in it is discarded
            public int Count => _count;
            public bool HasRoomFor(long size) => true;
            public IMessageWriter? BeginMessage(Envelope envelope) => new Writer(this, "B" + System.Threading.Interlocked.Increment(ref _next));

            private sealed class Writer : IMessageWriter
            {
                private readonly DiscardStore _store;
                public Writer(DiscardStore store, string id) { _store = store; QueueId = id; }
                public string QueueId { get; }
                public long Length { get; private set; }
                public bool Write(byte[] buffer, int offset, int count) { Length += count; return true; }
                public byte[] GetBuffer(out int offset, out int count)
                {
                    // Like the queue's writer: its own write unit, not a fresh array per message.
                    offset = 0;
                    count = _store._unit.Length;
                    return _store._unit;
                }
                public bool Advance(int count) { Length += count; return true; }
                public void Commit() { System.Threading.Interlocked.Increment(ref _store._count); }
                public void Abort() { }
            }
        }

        private sealed class NoTrust : ITrustedNetworks
        {
            public bool Contains(string ipAddress) => false;
        }

    }
}
