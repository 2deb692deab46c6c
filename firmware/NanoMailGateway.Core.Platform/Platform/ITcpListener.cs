// A listening TCP socket. Core's accept loop (one thread for all listeners) waits on it
// with Poll, accepts, and hands each connection to a session thread from a fixed number
// of slots.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>A bound, listening TCP endpoint.</summary>
    public interface ITcpListener
    {
        /// <summary>The bound endpoint as text ("127.0.0.1:2525"), with the real port when 0 was asked.</summary>
        string LocalEndPoint { get; }

        /// <summary>The bound port.</summary>
        int LocalPort { get; }

        /// <summary>
        /// Waits for the next connection. Returns null once the listener is closed.
        /// </summary>
        /// <exception cref="ConnectionException">accepting failed for another reason.</exception>
        IConnection? Accept();

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> until Accept will not block: true when a
        /// connection is pending, the listener is closed (Accept returns null) or accepting
        /// failed (Accept throws); false on timeout. Lets one thread serve several listeners.
        /// </summary>
        bool Poll(int timeoutMs);

        /// <summary>Stops listening and wakes a pending Accept. Safe to call twice.</summary>
        void Close();
    }
}
