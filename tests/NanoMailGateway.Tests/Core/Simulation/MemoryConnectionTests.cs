using System.Text;
using System.Threading;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using Xunit;

namespace NanoMailGateway.Tests.Core.Simulation
{
    public class MemoryConnectionTests
    {
        [Fact]
        public void BytesCrossInBothDirectionsAndCloseIsSeen()
        {
            MemoryConnection.CreatePair("10.0.0.5", "10.0.0.1", out var client, out var server);
            Assert.Equal("10.0.0.5", server.RemoteAddress);
            byte[] hello = Encoding.ASCII.GetBytes("EHLO x\r\n");
            client.Send(hello, 0, hello.Length, 1000);
            byte[] buf = new byte[64];
            int n = server.Receive(buf, 0, buf.Length, 1000);
            Assert.Equal("EHLO x\r\n", Encoding.ASCII.GetString(buf, 0, n));
            Assert.Equal(ConnectionResult.TimedOut, client.Receive(buf, 0, buf.Length, 50));
            server.Close();
            Assert.Equal(ConnectionResult.Closed, client.Receive(buf, 0, buf.Length, 1000));
            Assert.Throws<ConnectionException>(() => client.Send(hello, 0, hello.Length, 100));
        }

        [Fact]
        public void LargeTransferLargerThanThePipeArrivesIntact()
        {
            MemoryConnection.CreatePair("a", "b", out var client, out var server);
            byte[] data = new byte[MemoryConnection.DefaultCapacity * 3 + 17];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 7);
            var t = new Thread(() => { client.Send(data, 0, data.Length, 5000); client.Close(); });
            t.Start();
            byte[] got = new byte[data.Length];
            int total = 0;
            byte[] chunk = new byte[1000];
            while (true)
            {
                int n = server.Receive(chunk, 0, chunk.Length, 5000);
                Assert.NotEqual(ConnectionResult.TimedOut, n);
                if (n == 0) break;
                System.Array.Copy(chunk, 0, got, total, n);
                total += n;
            }
            t.Join();
            Assert.Equal(data.Length, total);
            Assert.Equal(data, got);
        }

        [Fact]
        public void TlsUpgradeKeepsThePipesAndMarksSecure()
        {
            MemoryConnection.CreatePair("a", "b", out var client, out var server);
            var tls = new MemoryTlsProvider(canServe: true, failHandshake: false);
            IConnection s2 = tls.AuthenticateAsServer(server, 1000);
            IConnection c2 = tls.AuthenticateAsClient(client, "b", true, 1000);
            Assert.True(s2.IsSecure);
            Assert.False(server.IsSecure);
            c2.Send(new byte[] { 1, 2, 3 }, 0, 3, 1000);
            byte[] buf = new byte[8];
            Assert.Equal(3, s2.Receive(buf, 0, 8, 1000));
            Assert.Throws<ConnectionException>(() => new MemoryTlsProvider(true, true).AuthenticateAsServer(server, 10));
        }
    }
}
