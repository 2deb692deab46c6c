// An in-memory IConnection: two MemoryPipes crossed. Unit tests of the protocol state
// machines and the on-device self-test drive sessions through a pair of these instead
// of sockets. A "TLS upgrade" (MemoryTlsProvider) returns a new connection over the
// same pipes flagged secure, so STARTTLS logic, including discarding plaintext read
// ahead before the upgrade (CVE-2011-0411), is testable without certificates.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Simulation
{
    /// <summary>One end of an in-memory connection.</summary>
    public sealed class MemoryConnection : IConnection
    {
        /// <summary>Default unread bytes each direction may hold.</summary>
        public const int DefaultCapacity = 64 * 1024;

        private readonly MemoryPipe _in;
        private readonly MemoryPipe _out;

        /// <summary>Makes one end reading <paramref name="input"/> and writing <paramref name="output"/>.</summary>
        public MemoryConnection(MemoryPipe input, MemoryPipe output, string remoteAddress, int remotePort, string localAddress, bool isSecure)
        {
            _in = input;
            _out = output;
            RemoteAddress = remoteAddress;
            RemotePort = remotePort;
            LocalAddress = localAddress;
            IsSecure = isSecure;
        }

        /// <summary>
        /// Creates a connected pair: <paramref name="client"/> appears to come from
        /// <paramref name="clientAddress"/> to <paramref name="server"/> on <paramref name="serverAddress"/>.
        /// </summary>
        public static void CreatePair(string clientAddress, string serverAddress, out MemoryConnection client, out MemoryConnection server)
        {
            MemoryPipe toServer = new MemoryPipe(DefaultCapacity);
            MemoryPipe toClient = new MemoryPipe(DefaultCapacity);
            client = new MemoryConnection(toClient, toServer, serverAddress, 25, clientAddress, false);
            server = new MemoryConnection(toServer, toClient, clientAddress, 40000, serverAddress, false);
        }

        /// <inheritdoc/>
        public string RemoteAddress { get; }

        /// <inheritdoc/>
        public int RemotePort { get; }

        /// <inheritdoc/>
        public string LocalAddress { get; }

        /// <inheritdoc/>
        public bool IsSecure { get; }

        /// <summary>The same pipes, flagged secure (what a TLS upgrade returns in memory).</summary>
        public MemoryConnection Secured()
        {
            return new MemoryConnection(_in, _out, RemoteAddress, RemotePort, LocalAddress, true);
        }

        /// <inheritdoc/>
        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            return _in.Read(buffer, offset, count, timeoutMs);
        }

        /// <inheritdoc/>
        public void Send(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (!_out.Write(buffer, offset, count, timeoutMs))
            {
                throw new ConnectionException(_out.IsClosed ? "connection closed" : "send timed out", _out.IsClosed ? ConnectionException.Reset : ConnectionException.TimedOut);
            }
        }

        /// <inheritdoc/>
        public void Close()
        {
            _in.Close();
            _out.Close();
        }
    }
}
