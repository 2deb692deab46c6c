// The MemoryNetwork of the protocol checks, with a hold on the admin endpoint's listener:
// an admin response body is Prometheus text or plain text with LF line ends, which
// LineClient (CRLF lines, a short prefix kept) cannot search, so admin requests come in
// through AdminClient on pipes of their own, offered to that listener like any dial.
// Everything else is MemoryNetwork's.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.SelfTest
{
    /// <summary>MemoryNetwork plus direct access to the listener on one port. Thread-safe as MemoryNetwork.</summary>
    public sealed class AdminNetwork : INetwork
    {
        private readonly MemoryNetwork _inner;
        private readonly int _adminPort;
        private MemoryListener? _admin;
        private int _dials;

        /// <summary>The network of <paramref name="inner"/>, keeping the listener opened on <paramref name="adminPort"/>.</summary>
        public AdminNetwork(MemoryNetwork inner, int adminPort)
        {
            _inner = inner;
            _adminPort = adminPort;
        }

        /// <summary>The MemoryNetwork underneath, for dialling the mail listeners.</summary>
        public MemoryNetwork Inner => _inner;

        /// <inheritdoc/>
        public ITcpListener Listen(string address, int port, int backlog)
        {
            ITcpListener l = _inner.Listen(address, port, backlog);
            if (port == _adminPort) _admin = (MemoryListener)l;
            return l;
        }

        /// <inheritdoc/>
        public IConnection Connect(string address, int port, int timeoutMs)
        {
            return _inner.Connect(address, port, timeoutMs);
        }

        /// <inheritdoc/>
        public IUdpSocket OpenUdp(int localPort)
        {
            return _inner.OpenUdp(localPort);
        }

        /// <summary>Connects an admin client from <paramref name="clientAddress"/> to the admin listener.</summary>
        public AdminClient DialAdmin(string clientAddress, int pipeCapacity)
        {
            MemoryListener? l = _admin;
            if (l == null) Expect.Fail("the admin endpoint does not listen");
            MemoryPipe toServer = new MemoryPipe(pipeCapacity);
            MemoryPipe toClient = new MemoryPipe(pipeCapacity);
            _dials++;
            MemoryConnection server = new MemoryConnection(toServer, toClient, clientAddress, 41000 + _dials, "192.0.2.1", false);
            if (!l!.Offer(server, MemoryNetwork.DialTimeoutMs)) Expect.Fail("the admin endpoint did not accept");
            return new AdminClient(toClient, toServer);
        }
    }
}
