// The emulator's network: the board's socket adapters plus the host's bind option
// (HostSocketNetwork). The adapters themselves are tested in Board/Adapters; here only what
// the host hook changes: a restarted gateway rebinds over TIME_WAIT, a second one cannot bind.

using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public class HostSocketNetworkTests
    {
        private readonly HostSocketNetwork _net = new();

        [Fact]
        public void ListenOnABusyPortFails()
        {
            ITcpListener first = _net.Listen("127.0.0.1", 0, 4);
            try
            {
                var e = Assert.Throws<ConnectionException>(() => _net.Listen("127.0.0.1", first.LocalPort, 4));
                Assert.Equal(NanoSocketErrors.AddressInUse, e.ErrorCode);
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
    }
}
