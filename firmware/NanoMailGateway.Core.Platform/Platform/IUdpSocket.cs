// A UDP socket for the DNS resolver (RFC 1035 §4.2.1). The resolver chooses an
// unpredictable local port itself (RFC 5452 §9.2) and checks the source of every
// datagram, so the seam reports where each datagram came from.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>A bound UDP socket. One thread uses it at a time.</summary>
    public interface IUdpSocket
    {
        /// <summary>The bound local port.</summary>
        int LocalPort { get; }

        /// <summary>Sends one datagram to <paramref name="address"/>:<paramref name="port"/>.</summary>
        /// <exception cref="ConnectionException">the network refused the send.</exception>
        void SendTo(byte[] buffer, int offset, int count, string address, int port);

        /// <summary>
        /// Waits at most <paramref name="timeoutMs"/> for one datagram. Returns its length
        /// (the rest of a longer datagram is dropped), or <see cref="ConnectionResult.TimedOut"/>.
        /// <paramref name="fromAddress"/> and <paramref name="fromPort"/> name the sender.
        /// </summary>
        /// <exception cref="ConnectionException">the socket failed (for example ICMP port unreachable).</exception>
        int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out string fromAddress, out int fromPort);

        /// <summary>Closes the socket. Safe to call twice.</summary>
        void Close();
    }
}
