// The network seam: TCP listen and connect, UDP sockets. Adapters: host sockets in the
// emulator, System.Net.Sockets.Socket on the board. Connect has an explicit deadline
// because nanoFramework's Socket.Connect has none (the adapter enforces it with Poll).

namespace NanoMailGateway.Core.Platform
{
    /// <summary>Factory for sockets. Thread-safe.</summary>
    public interface INetwork
    {
        /// <summary>Binds and listens on <paramref name="address"/>:<paramref name="port"/> (port 0 = any free port).</summary>
        /// <exception cref="ConnectionException">the address is in use or not local.</exception>
        ITcpListener Listen(string address, int port, int backlog);

        /// <summary>Opens a TCP connection, giving up after <paramref name="timeoutMs"/> milliseconds.</summary>
        /// <exception cref="ConnectionException">refused, unreachable or timed out (see ErrorCode).</exception>
        IConnection Connect(string address, int port, int timeoutMs);

        /// <summary>Opens a UDP socket bound to <paramref name="localPort"/> (0 = the system chooses).</summary>
        /// <exception cref="ConnectionException">the port is in use.</exception>
        IUdpSocket OpenUdp(int localPort);
    }
}
