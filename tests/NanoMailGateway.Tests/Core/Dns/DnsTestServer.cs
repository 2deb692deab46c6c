// Test helper: a scripted DNS server on 127.0.0.1 (UDP and TCP on the same port) that
// answers each query with whatever the test says: good answers, hostile ones (wrong id,
// wrong question, from another port, garbage, TC set) or silence.

using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace NanoMailGateway.Tests.Core.Dns
{
    public sealed class DnsQuery
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int Type { get; init; }
        public bool Tcp { get; init; }
        public int SourcePort { get; init; }
        public byte[] Raw { get; init; } = Array.Empty<byte>();
    }

    public sealed class DnsTestServer : IDisposable
    {
        private readonly Socket _udp;
        private readonly Socket _tcp;
        private readonly Thread _udpThread;
        private readonly Thread _tcpThread;
        private volatile bool _stop;
        private readonly List<DnsQuery> _queries = new();

        /// <summary>UDP handler: returns the datagrams to send back from the server's socket (null or empty = silence).
        /// The second argument sends a datagram from another socket (a different source port).</summary>
        public Func<DnsQuery, Action<byte[]>, byte[][]?> OnUdp { get; set; } = (q, other) => null;

        /// <summary>TCP handler: returns the framed bytes to write (null = close without answering).</summary>
        public Func<DnsQuery, byte[]?> OnTcp { get; set; } = q => null;

        public int Port { get; }

        public string Endpoint => "127.0.0.1:" + Port;

        public DnsTestServer()
        {
            for (int attempt = 0; ; attempt++)
            {
                var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    tcp.Listen(8);
                    _udp = udp;
                    _tcp = tcp;
                    Port = port;
                    break;
                }
                catch (SocketException) when (attempt < 20)
                {
                    udp.Close();
                    tcp.Close();
                }
            }
            _udpThread = new Thread(UdpLoop) { IsBackground = true, Name = "dns-test-udp" };
            _tcpThread = new Thread(TcpLoop) { IsBackground = true, Name = "dns-test-tcp" };
            _udpThread.Start();
            _tcpThread.Start();
        }

        public DnsQuery[] Queries { get { lock (_queries) return _queries.ToArray(); } }

        public static DnsQuery Parse(byte[] raw, bool tcp, int sourcePort)
        {
            int id = (raw[0] << 8) | raw[1];
            int pos = 12;
            var labels = new List<string>();
            while (raw[pos] != 0)
            {
                int l = raw[pos];
                labels.Add(System.Text.Encoding.ASCII.GetString(raw, pos + 1, l));
                pos += 1 + l;
            }
            int type = (raw[pos + 1] << 8) | raw[pos + 2];
            return new DnsQuery { Id = id, Name = string.Join(".", labels), Type = type, Tcp = tcp, SourcePort = sourcePort, Raw = raw };
        }

        private void UdpLoop()
        {
            byte[] buf = new byte[4096];
            using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            while (!_stop)
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n;
                try { n = _udp.ReceiveFrom(buf, ref from); }
                catch (SocketException) { if (_stop) return; continue; }
                catch (ObjectDisposedException) { return; }
                byte[] raw = buf.AsSpan(0, n).ToArray();
                DnsQuery q = Parse(raw, false, ((IPEndPoint)from).Port);
                lock (_queries) _queries.Add(q);
                EndPoint client = from;
                byte[][]? replies = OnUdp(q, d => other.SendTo(d, client));
                if (replies == null) continue;
                foreach (byte[] r in replies)
                {
                    try { _udp.SendTo(r, client); } catch (SocketException) { } catch (ObjectDisposedException) { return; }
                }
            }
        }

        private void TcpLoop()
        {
            while (!_stop)
            {
                Socket c;
                try { c = _tcp.Accept(); }
                catch (SocketException) { if (_stop) return; continue; }
                catch (ObjectDisposedException) { return; }
                try
                {
                    c.ReceiveTimeout = 3000;
                    byte[] len = new byte[2];
                    if (!ReadAll(c, len)) continue;
                    byte[] raw = new byte[(len[0] << 8) | len[1]];
                    if (!ReadAll(c, raw)) continue;
                    DnsQuery q = Parse(raw, true, ((IPEndPoint)c.RemoteEndPoint!).Port);
                    lock (_queries) _queries.Add(q);
                    byte[]? reply = OnTcp(q);
                    if (reply != null) c.Send(reply);
                }
                catch (SocketException) { }
                finally { c.Close(); }
            }
        }

        public static byte[] Frame(byte[] message)
        {
            byte[] f = new byte[message.Length + 2];
            f[0] = (byte)(message.Length >> 8);
            f[1] = (byte)message.Length;
            message.CopyTo(f, 2);
            return f;
        }

        private static bool ReadAll(Socket s, byte[] b)
        {
            int got = 0;
            while (got < b.Length)
            {
                int n = s.Receive(b, got, b.Length - got, SocketFlags.None);
                if (n <= 0) return false;
                got += n;
            }
            return true;
        }

        public void Dispose()
        {
            _stop = true;
            _udp.Close();
            _tcp.Close();
            _udpThread.Join(2000);
            _tcpThread.Join(2000);
        }
    }
}
