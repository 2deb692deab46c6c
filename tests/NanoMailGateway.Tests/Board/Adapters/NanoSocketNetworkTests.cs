// The board's socket adapters (firmware/NanoMailGateway/Adapters, the same source files the
// board runs) on real loopback sockets: listen/accept/connect, deadlines on receive and on
// connect, refusal, close semantics, UDP with source reporting; and the emulator's one
// addition (HostSocketNetwork: rebinding over TIME_WAIT, still one listener per port).

using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Board.Adapters
{
    public class NanoSocketNetworkTests
    {
        private readonly NanoSocketNetwork _net = new();

        private static byte[] Bytes(string s) => System.Text.Encoding.ASCII.GetBytes(s);

        private static string ReadExactly(IConnection c, int count)
        {
            var buf = new byte[count];
            int got = 0;
            while (got < count)
            {
                int n = c.Receive(buf, got, count - got, 5000);
                Assert.True(n > 0, "receive returned " + n + " after " + got + " bytes");
                got += n;
            }
            return System.Text.Encoding.ASCII.GetString(buf);
        }

        [Fact]
        public void ListenAcceptConnectCarriesBytesBothWays()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 4);
            try
            {
                Assert.NotEqual(0, listener.LocalPort);
                Assert.Equal("127.0.0.1:" + listener.LocalPort, listener.LocalEndPoint);
                IConnection client = _net.Connect("127.0.0.1", listener.LocalPort, 2000);
                IConnection server = listener.Accept()!;
                Assert.NotNull(server);
                client.Send(Bytes("EHLO x\r\n"), 0, 8, 2000);
                Assert.Equal("EHLO x\r\n", ReadExactly(server, 8));
                server.Send(Bytes("xx250 ok\r\nxx"), 2, 8, 2000);
                Assert.Equal("250 ok\r\n", ReadExactly(client, 8));
                Assert.Equal("127.0.0.1", server.RemoteAddress);
                Assert.Equal("127.0.0.1", server.LocalAddress);
                Assert.Equal(listener.LocalPort, client.RemotePort);
                Assert.NotEqual(0, server.RemotePort);
                Assert.False(server.IsSecure);
                client.Close();
                client.Close(); // twice is fine
                server.Close();
            }
            finally
            {
                listener.Close();
            }
        }

        [Fact]
        public void Ipv6LoopbackListensAndConnects()
        {
            // smtp_listen = [::1]:25 must work in the emulator (the board has no IPv6, but the
            // same code decides the family from the literal).
            ITcpListener listener = _net.Listen("::1", 0, 4);
            try
            {
                IConnection client = _net.Connect("::1", listener.LocalPort, 2000);
                IConnection server = listener.Accept()!;
                client.Send(Bytes("NOOP\r\n"), 0, 6, 2000);
                Assert.Equal("NOOP\r\n", ReadExactly(server, 6));
                Assert.Equal("::1", server.RemoteAddress);
                client.Close();
                server.Close();
            }
            finally
            {
                listener.Close();
            }
        }

        [Fact]
        public void ReceiveTimesOutWithoutDataAndSeesPeerClose()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 4);
            try
            {
                IConnection client = _net.Connect("127.0.0.1", listener.LocalPort, 2000);
                IConnection server = listener.Accept()!;
                var buf = new byte[16];
                var sw = Stopwatch.StartNew();
                Assert.Equal(ConnectionResult.TimedOut, server.Receive(buf, 0, buf.Length, 200));
                Assert.InRange(sw.ElapsedMilliseconds, 150, 3000);
                // The connection is still usable after a timeout.
                client.Send(Bytes("x"), 0, 1, 1000);
                Assert.Equal("x", ReadExactly(server, 1));
                client.Close();
                Assert.Equal(ConnectionResult.Closed, server.Receive(buf, 0, buf.Length, 2000));
                server.Close();
            }
            finally
            {
                listener.Close();
            }
        }

        [Fact]
        public void LargeSendArrivesWhole()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 4);
            try
            {
                IConnection client = _net.Connect("127.0.0.1", listener.LocalPort, 2000);
                IConnection server = listener.Accept()!;
                var payload = new byte[256 * 1024];
                new Random(7).NextBytes(payload);
                var sender = new Thread(() => client.Send(payload, 0, payload.Length, 5000));
                sender.Start();
                var got = new byte[payload.Length];
                int n = 0;
                while (n < got.Length)
                {
                    int r = server.Receive(got, n, got.Length - n, 5000);
                    Assert.True(r > 0);
                    n += r;
                }
                Assert.True(sender.Join(5000));
                Assert.Equal(payload, got);
                client.Close();
                server.Close();
            }
            finally
            {
                listener.Close();
            }
        }

        [Fact]
        public void ConnectToClosedPortIsRefusedWithWsaNumber()
        {
            int port = Support.FreePort.Tcp();
            var e = Assert.Throws<ConnectionException>(() => _net.Connect("127.0.0.1", port, 2000));
            Assert.Equal(ConnectionException.Refused, e.ErrorCode);
            Assert.Contains("127.0.0.1:" + port, e.Message);
        }

        [Fact]
        public void ConnectGivesUpAtItsDeadlineWhenTheSynIsNeverAnswered()
        {
            // A listener whose accept queue is full drops new SYNs (Linux, tcp_abort_on_overflow=0),
            // so connect() blocks like towards a dead host, without leaving loopback.
            using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            full.Listen(0);
            int port = ((IPEndPoint)full.LocalEndPoint!).Port;
            var fillers = new System.Collections.Generic.List<Socket>();
            try
            {
                // Fill the queue: connects that complete (or hang) until one hangs.
                bool hung = false;
                for (int i = 0; i < 8 && !hung; i++)
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    fillers.Add(s);
                    s.Blocking = false;
                    try
                    {
                        s.Connect(new IPEndPoint(IPAddress.Loopback, port));
                    }
                    catch (SocketException se) when (se.SocketErrorCode == SocketError.WouldBlock || se.SocketErrorCode == SocketError.InProgress)
                    {
                    }
                    hung = !s.Poll(300_000, SelectMode.SelectWrite);
                }
                Assert.True(hung, "could not fill the accept queue to make connect hang");
                var sw = Stopwatch.StartNew();
                var e = Assert.Throws<ConnectionException>(() => _net.Connect("127.0.0.1", port, 500));
                Assert.Equal(ConnectionException.TimedOut, e.ErrorCode);
                Assert.InRange(sw.ElapsedMilliseconds, 400, 5000);
            }
            finally
            {
                foreach (Socket s in fillers) s.Dispose();
            }
        }

        [Fact]
        public void BadAddressIsAConnectionException()
        {
            Assert.Throws<ConnectionException>(() => _net.Connect("not-an-ip", 25, 1000));
            Assert.Throws<ConnectionException>(() => _net.Listen("300.1.1.1", 0, 1));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)] // the emulator's SO_REUSEADDR must not let a second gateway share the port
        public void ListeningTwiceOnOnePortFailsWithAddressInUse(bool emulator)
        {
            NanoSocketNetwork net = emulator ? new HostSocketNetwork() : _net;
            ITcpListener first = net.Listen("127.0.0.1", 0, 1);
            try
            {
                var e = Assert.Throws<ConnectionException>(() => net.Listen("127.0.0.1", first.LocalPort, 1));
                Assert.Equal(NanoSocketErrors.AddressInUse, e.ErrorCode);
            }
            finally
            {
                first.Close();
            }
        }

        [Fact]
        public void EmulatorListensAgainRightAfterARestart()
        {
            // HostSocketNetwork's SO_REUSEADDR: the server side closes first, so its end of
            // the connection sits in TIME_WAIT, and a restarted nmg must still bind the port.
            var net = new HostSocketNetwork();
            ITcpListener first = net.Listen("127.0.0.1", 0, 4);
            int port = first.LocalPort;
            IConnection client = net.Connect("127.0.0.1", port, 2000);
            IConnection server = first.Accept()!;
            server.Close();
            Assert.Equal(ConnectionResult.Closed, client.Receive(new byte[4], 0, 4, 2000));
            client.Close();
            first.Close();
            ITcpListener again = net.Listen("127.0.0.1", port, 4);
            Assert.Equal(port, again.LocalPort);
            again.Close();
        }

        [Fact]
        public void CloseWakesAPendingAcceptWhichReturnsNull()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 1);
            IConnection? result = new NanoSocketConnection(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            int tid = 0;
            var t = new Thread(() =>
            {
                Volatile.Write(ref tid, NativeThread.Id());
                result = listener.Accept();
            });
            t.Start();
            // Close must find the thread inside the blocking accept(2), not before it
            // (Accept would then return null without ever waiting).
            Assert.True(NativeThread.WaitUntilInAccept(() => Volatile.Read(ref tid), 10000), "the thread never blocked in accept(2)");
            listener.Close();
            Assert.True(t.Join(5000), "Accept did not wake on Close");
            Assert.Null(result);
            Assert.Null(listener.Accept());
            listener.Close(); // twice is fine
        }

        [Fact]
        public void PollWaitsBoundedAndSaysWhenAcceptWillNotBlock()
        {
            // The one accept thread waits on each listening socket in turn (AcceptLoop).
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 1);
            var sw = Stopwatch.StartNew();
            Assert.False(listener.Poll(100));
            Assert.InRange(sw.ElapsedMilliseconds, 50, 3000);
            using (var client = new TcpClient())
            {
                client.Connect("127.0.0.1", listener.LocalPort);
                Assert.True(listener.Poll(2000));
                IConnection server = listener.Accept()!;
                server.Close();
            }
            Assert.False(listener.Poll(0));
            listener.Close();
            Assert.True(listener.Poll(1000));
            Assert.Null(listener.Accept());
        }

        [Fact]
        public void UdpCarriesDatagramsAndNamesTheSender()
        {
            IUdpSocket a = _net.OpenUdp(0);
            IUdpSocket b = _net.OpenUdp(0);
            try
            {
                Assert.NotEqual(0, a.LocalPort);
                a.SendTo(Bytes("xquery"), 1, 5, "127.0.0.1", b.LocalPort);
                var buf = new byte[64];
                int n = b.ReceiveFrom(buf, 3, 60, 2000, out string from, out int fromPort);
                Assert.Equal(5, n);
                Assert.Equal("query", System.Text.Encoding.ASCII.GetString(buf, 3, 5));
                Assert.Equal("127.0.0.1", from);
                Assert.Equal(a.LocalPort, fromPort);
                var sw = Stopwatch.StartNew();
                Assert.Equal(ConnectionResult.TimedOut, b.ReceiveFrom(buf, 0, buf.Length, 200, out from, out fromPort));
                Assert.InRange(sw.ElapsedMilliseconds, 150, 3000);
                Assert.Equal("", from);
                Assert.Equal(0, fromPort);
            }
            finally
            {
                a.Close();
                b.Close();
                a.Close();
            }
        }

        [Theory]
        [InlineData(110, 10060)]
        [InlineData(111, 10061)]
        [InlineData(104, 10054)]
        [InlineData(98, 10048)]
        [InlineData(90, 10040)]
        [InlineData(10060, 10060)]
        [InlineData(10061, 10061)]
        [InlineData(0, 0)]
        public void ErrorNumbersBecomeWsaNumbers(int code, int wsa)
        {
            Assert.Equal(wsa, NanoSocketErrors.ToWsa(code));
        }
    }
}
