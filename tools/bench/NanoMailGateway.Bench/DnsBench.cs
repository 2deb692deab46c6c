// DNS MX resolver benchmark: bytes allocated per lookup and lookups per second, cached
// and uncached, against an in-process UDP server on loopback that answers MX (with or
// without A records in the additional section) and A queries.
// Run: dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- dns
// Allocations are counted on the resolving thread only (the server thread is excluded);
// uncached numbers include the host socket adapter's own allocations (Socket,
// IPEndPoint, the sender's address string), which the board's adapter has too.

using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Bench
{
    public static class DnsBench
    {
        public static void Run(string[] args)
        {
            using var server = new Responder();
            Console.WriteLine("DNS MX resolver (loopback UDP server in-process)");
            Console.WriteLine("| case | lookups | bytes/lookup | lookups/s | queries/lookup |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Measure(server, "uncached, MX + additional A", "with-glue.example", 0, 2000);
            Measure(server, "uncached, MX then A query", "no-glue.example", 0, 1000);
            Measure(server, "uncached, implicit MX (A)", "plain.example", 0, 1000);
            Measure(server, "cached", "with-glue.example", 16, 200000);
            MeasureCanned(20000);
            var pool = new MxResolver(new HostSocketNetwork(), new NanoMailGateway.Emulator.Host.SystemClock(), new NanoMailGateway.Emulator.Host.HostRandom(), new DnsOptions(), null).Pool;
            Console.WriteLine();
            Console.WriteLine("default packet pool: " + pool.Capacity + " x " + pool.BufferSize + " B = " + pool.TotalBytes + " B; cache 16 entries");
        }

        private static void Measure(Responder server, string name, string domain, int cacheEntries, int n)
        {
            var options = new DnsOptions { Servers = new[] { "127.0.0.1:" + server.Port }, CacheEntries = cacheEntries };
            var resolver = new MxResolver(new HostSocketNetwork(), new NanoMailGateway.Emulator.Host.SystemClock(), new NanoMailGateway.Emulator.Host.HostRandom(), options, null);
            for (int i = 0; i < 50; i++) Check(resolver.Resolve(domain)); // warm up (JIT, cache)
            int q0 = server.Queries;
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) Check(resolver.Resolve(domain));
            sw.Stop();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - a0;
            int queries = server.Queries - q0;
            Console.WriteLine("| " + name + " | " + n + " | " + (bytes / n) + " | " + (long)(n / sw.Elapsed.TotalSeconds) + " | " + ((double)queries / n).ToString("0.0") + " |");
        }

        /// <summary>Core alone: the same MX + additional A answer from a socket that allocates nothing.</summary>
        private static void MeasureCanned(int n)
        {
            var options = new DnsOptions { Servers = new[] { "192.0.2.53" }, CacheEntries = 0 };
            var resolver = new MxResolver(new CannedNetwork(), new NanoMailGateway.Emulator.Host.SystemClock(), new NanoMailGateway.Emulator.Host.HostRandom(), options, null);
            for (int i = 0; i < 50; i++) Check(resolver.Resolve("with-glue.example"));
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) Check(resolver.Resolve("with-glue.example"));
            sw.Stop();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - a0;
            Console.WriteLine("| uncached, Core only (canned socket, no I/O) | " + n + " | " + (bytes / n) + " | " + (long)(n / sw.Elapsed.TotalSeconds) + " | 1.0 |");
        }

        /// <summary>An INetwork whose UDP socket answers every MX query with one MX and its A record, allocation-free.</summary>
        private sealed class CannedNetwork : INetwork, IUdpSocket
        {
            private const string Server = "192.0.2.53";
            private readonly byte[] _answer = new byte[512];
            private int _length;

            public ITcpListener Listen(string address, int port, int backlog) => throw new NotSupportedException();

            public IConnection Connect(string address, int port, int timeoutMs) => throw new NotSupportedException();

            public IUdpSocket OpenUdp(int localPort) => this;

            public int LocalPort => 5353;

            public void SendTo(byte[] buffer, int offset, int count, string address, int port)
            {
                Array.Copy(buffer, offset, _answer, 0, count);
                int qEnd = count;
                _answer[2] = 0x81; _answer[3] = 0x80;
                _answer[6] = 0; _answer[7] = 1; _answer[10] = 0; _answer[11] = 1;
                byte[] mx = { 0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 44, 0, 7, 0, 10, 2, (byte)'m', (byte)'x', 0xC0, 12 };
                mx.CopyTo(_answer, qEnd);
                byte[] a = { 0xC0, (byte)(qEnd + 14), 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1 };
                a.CopyTo(_answer, qEnd + mx.Length);
                _length = qEnd + mx.Length + a.Length;
            }

            public int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out string fromAddress, out int fromPort)
            {
                fromAddress = Server;
                fromPort = 53;
                Array.Copy(_answer, 0, buffer, offset, _length);
                return _length;
            }

            public void Close() { }
        }

        private static void Check(MxResult r)
        {
            if (r.Status != DnsStatus.Ok) throw new InvalidOperationException("bench lookup failed: " + r.EnhancedCode + " " + r.Text);
        }

        /// <summary>Answers: with-glue.example MX 10 mx.with-glue.example + additional A; no-glue.example MX without
        /// additional; plain.example no MX; A for every name: 192.0.2.1.</summary>
        private sealed class Responder : IDisposable
        {
            private readonly Socket _s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            private readonly Thread _t;
            private int _queries;

            public Responder()
            {
                _s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                Port = ((IPEndPoint)_s.LocalEndPoint!).Port;
                _t = new Thread(Loop) { IsBackground = true };
                _t.Start();
            }

            public int Port { get; }

            public int Queries => Volatile.Read(ref _queries);

            private void Loop()
            {
                byte[] b = new byte[1024];
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                while (true)
                {
                    int n;
                    try { n = _s.ReceiveFrom(b, ref from); }
                    catch (SocketException) { return; }
                    catch (ObjectDisposedException) { return; }
                    Interlocked.Increment(ref _queries);
                    int qEnd = 12;
                    while (b[qEnd] != 0) qEnd += 1 + b[qEnd];
                    int qtype = (b[qEnd + 1] << 8) | b[qEnd + 2];
                    qEnd += 5;
                    string first = System.Text.Encoding.ASCII.GetString(b, 13, b[12]);
                    int len = qEnd;
                    b[2] = 0x81; b[3] = 0x80;
                    int an = 0, ar = 0;
                    if (qtype == 15 && first != "plain")
                    {
                        // MX 10 "mx" + pointer to the question name (offset 12).
                        len = Put(b, len, new byte[] { 0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 44, 0, 7, 0, 10, 2, (byte)'m', (byte)'x', 0xC0, 12 });
                        an = 1;
                        if (first == "with-glue")
                        {
                            len = Put(b, len, new byte[] { 0xC0, (byte)(qEnd + 14), 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1 });
                            ar = 1;
                        }
                    }
                    else if (qtype == 1)
                    {
                        len = Put(b, len, new byte[] { 0xC0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1 });
                        an = 1;
                    }
                    b[6] = 0; b[7] = (byte)an; b[8] = 0; b[9] = 0; b[10] = 0; b[11] = (byte)ar;
                    try { _s.SendTo(b, 0, len, SocketFlags.None, from); } catch (SocketException) { }
                }
            }

            private static int Put(byte[] b, int at, byte[] data)
            {
                data.CopyTo(b, at);
                return at + data.Length;
            }

            public void Dispose()
            {
                _s.Close();
                _t.Join(1000);
            }
        }
    }
}
