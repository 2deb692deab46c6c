// A connected, bidirectional byte stream: a TCP socket, or the same socket after a TLS
// upgrade. Core's protocol code (SMTP server and client, POP3) talks only to this.
// Every read has a deadline (ARCHITECTURE.md, Protocol sessions): a protocol session never blocks forever.
// Left out on purpose: Stream (absent from nanoFramework's mscorlib) and async I/O.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>
    /// A connected byte stream. One thread uses a connection at a time; Close may be
    /// called from another thread to unblock a pending Receive (it then throws
    /// <see cref="ConnectionException"/> or returns 0).
    /// </summary>
    public interface IConnection
    {
        /// <summary>Address of the peer as text ("127.0.0.1"), for logs and access checks.</summary>
        string RemoteAddress { get; }

        /// <summary>TCP port of the peer.</summary>
        int RemotePort { get; }

        /// <summary>Local address the connection arrived on, as text.</summary>
        string LocalAddress { get; }

        /// <summary>True once the stream runs over TLS.</summary>
        bool IsSecure { get; }

        /// <summary>
        /// Reads what is available, up to <paramref name="count"/> bytes, waiting at most
        /// <paramref name="timeoutMs"/> milliseconds for the first byte.
        /// Returns the number of bytes read (&gt; 0), 0 when the peer closed the stream,
        /// or <see cref="ConnectionResult.TimedOut"/> when the deadline passed without data.
        /// </summary>
        /// <exception cref="ConnectionException">the stream broke (reset, TLS failure).</exception>
        int Receive(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>
        /// Sends all <paramref name="count"/> bytes or throws; the whole send must finish
        /// within <paramref name="timeoutMs"/> milliseconds.
        /// </summary>
        /// <exception cref="ConnectionException">the stream broke or the deadline passed.</exception>
        void Send(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Closes the stream and the socket under it. Safe to call twice.</summary>
        void Close();
    }
}
