// The host network adapters on real loopback sockets: TCP listen/accept/connect with
// deadlines, refusal, close semantics, UDP with source reporting.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public class HostNetworkTests
    {
        private readonly HostNetwork _net = new();

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
                server.Send(Bytes("250 ok\r\n"), 0, 8, 2000);
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
        public void ReceiveWithoutDataTimesOutAfterTheDeadline()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 4);
            IConnection client = _net.Connect("127.0.0.1", listener.LocalPort, 2000);
            IConnection server = listener.Accept()!;
            try
            {
                var sw = Stopwatch.StartNew();
                Assert.Equal(ConnectionResult.TimedOut, server.Receive(new byte[16], 0, 16, 150));
                Assert.InRange(sw.ElapsedMilliseconds, 120, 3000);
                // The connection is still usable after a timeout.
                client.Send(Bytes("x"), 0, 1, 1000);
                Assert.Equal("x", ReadExactly(server, 1));
            }
            finally
            {
                client.Close();
                server.Close();
                listener.Close();
            }
        }

        [Fact]
        public void PeerCloseReturnsZero()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 4);
            IConnection client = _net.Connect("127.0.0.1", listener.LocalPort, 2000);
            IConnection server = listener.Accept()!;
            client.Send(Bytes("QUIT\r\n"), 0, 6, 1000);
            client.Close();
            Assert.Equal("QUIT\r\n", ReadExactly(server, 6));
            Assert.Equal(ConnectionResult.Closed, server.Receive(new byte[16], 0, 16, 2000));
            server.Close();
            listener.Close();
        }

        [Fact]
        public void ConnectToClosedPortIsRefused()
        {
            int port = FreePort.Tcp();
            var e = Assert.Throws<ConnectionException>(() => _net.Connect("127.0.0.1", port, 2000));
            Assert.Equal(ConnectionException.Refused, e.ErrorCode);
            Assert.Contains("127.0.0.1:" + port, e.Message);
        }

        [Fact]
        public void ConnectToAnAddressThatIsNotALiteralFails()
        {
            var e = Assert.Throws<ConnectionException>(() => _net.Connect("mx.example.org", 25, 1000));
            Assert.Contains("not an IP address", e.Message);
        }

        [Fact]
        public void ConnectTimesOutWhenTheListenQueueIsFull()
        {
            // Linux drops SYNs while a listener's accept queue is full, so a connect to it
            // hangs exactly like one to a silent host, all on loopback.
            using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            full.Listen(0);
            int port = ((IPEndPoint)full.LocalEndPoint!).Port;
            var fillers = new List<Socket>();
            try
            {
                bool queueFull = false;
                for (int i = 0; i < 32 && !queueFull; i++)
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    fillers.Add(s);
                    queueFull = !ConnectsWithin(s, port, 300);
                }
                Assert.True(queueFull, "the accept queue never filled; cannot provoke a connect timeout on loopback");
                var sw = Stopwatch.StartNew();
                var e = Assert.Throws<ConnectionException>(() => _net.Connect("127.0.0.1", port, 300));
                Assert.Equal(ConnectionException.TimedOut, e.ErrorCode);
                Assert.InRange(sw.ElapsedMilliseconds, 250, 3000);
            }
            finally
            {
                foreach (Socket s in fillers) s.Close();
            }
        }

        /// <summary>Starts a non-blocking connect and waits for it to finish.</summary>
        private static bool ConnectsWithin(Socket s, int port, int ms)
        {
            s.Blocking = false;
            try
            {
                s.Connect(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock || e.SocketErrorCode == SocketError.InProgress)
            {
                return s.Poll(ms * 1000, SelectMode.SelectWrite);
            }
        }

        [Fact]
        public void ListenOnABusyPortFails()
        {
            ITcpListener first = _net.Listen("127.0.0.1", 0, 4);
            try
            {
                Assert.Throws<ConnectionException>(() => _net.Listen("127.0.0.1", first.LocalPort, 4));
            }
            finally
            {
                first.Close();
            }
        }

        [Fact]
        public void ListenAgainRightAfterARestartWorks()
        {
            // The server side closes first, so its end of the connection sits in TIME_WAIT.
            ITcpListener first = _net.Listen("127.0.0.1", 0, 4);
            int port = first.LocalPort;
            IConnection client = _net.Connect("127.0.0.1", port, 2000);
            IConnection server = first.Accept()!;
            server.Close();
            Assert.Equal(ConnectionResult.Closed, client.Receive(new byte[4], 0, 4, 2000));
            client.Close();
            first.Close();
            ITcpListener again = _net.Listen("127.0.0.1", port, 4);
            Assert.Equal(port, again.LocalPort);
            again.Close();
        }

        [Fact]
        public void CloseWakesAPendingAcceptWhichReturnsNull()
        {
            ITcpListener listener = _net.Listen("127.0.0.1", 0, 4);
            IConnection? accepted = new HostNetworkTestsMarker();
            var t = new Thread(() => accepted = listener.Accept());
            t.Start();
            Thread.Sleep(100);
            listener.Close();
            Assert.True(t.Join(3000), "Accept did not return after Close");
            Assert.Null(accepted);
            listener.Close(); // twice is fine
            Assert.Null(listener.Accept());
        }

        [Fact]
        public void UdpDatagramsReportTheirSource()
        {
            IUdpSocket a = _net.OpenUdp(0);
            IUdpSocket b = _net.OpenUdp(0);
            try
            {
                Assert.NotEqual(0, a.LocalPort);
                a.SendTo(Bytes("query"), 0, 5, "127.0.0.1", b.LocalPort);
                var buf = new byte[512];
                int n = b.ReceiveFrom(buf, 0, buf.Length, 2000, out string from, out int fromPort);
                Assert.Equal(5, n);
                Assert.Equal("query", System.Text.Encoding.ASCII.GetString(buf, 0, n));
                Assert.Equal("127.0.0.1", from);
                Assert.Equal(a.LocalPort, fromPort);
                b.SendTo(Bytes("answer!"), 0, 7, from, fromPort);
                n = a.ReceiveFrom(buf, 0, buf.Length, 2000, out from, out fromPort);
                Assert.Equal(7, n);
                Assert.Equal(b.LocalPort, fromPort);
            }
            finally
            {
                a.Close();
                b.Close();
                b.Close();
            }
        }

        [Fact]
        public void UdpReceiveTimesOut()
        {
            IUdpSocket s = _net.OpenUdp(0);
            try
            {
                var sw = Stopwatch.StartNew();
                Assert.Equal(ConnectionResult.TimedOut, s.ReceiveFrom(new byte[64], 0, 64, 150, out string from, out int port));
                Assert.InRange(sw.ElapsedMilliseconds, 120, 3000);
                Assert.Equal("", from);
                Assert.Equal(0, port);
            }
            finally
            {
                s.Close();
            }
        }

        /// <summary>A non-null placeholder, so that the Accept test sees Accept's own null.</summary>
        private sealed class HostNetworkTestsMarker : IConnection
        {
            public string RemoteAddress => "";
            public int RemotePort => 0;
            public string LocalAddress => "";
            public bool IsSecure => false;
            public int Receive(byte[] buffer, int offset, int count, int timeoutMs) => 0;
            public void Send(byte[] buffer, int offset, int count, int timeoutMs) { }
            public void Close() { }
        }
    }
}
