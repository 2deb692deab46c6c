// TLS on an already connected stream, so that STARTTLS (RFC 3207), POP3 STLS
// (RFC 2595) and implicit TLS (port 465, RFC 8314) all use the same call.
// The caller must discard any plaintext it buffered before the upgrade
// (CVE-2011-0411); the seam cannot know what the caller read ahead.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>
    /// Upgrades connections to TLS 1.2 or later. The server certificate and the client's
    /// trusted CA are given to the adapter when it is made, from the configuration.
    /// </summary>
    public interface ITlsProvider
    {
        /// <summary>True when a server certificate is configured (STARTTLS/STLS may be offered).</summary>
        bool CanServe { get; }

        /// <summary>
        /// Runs the server side of the handshake on <paramref name="plain"/> and returns the
        /// secured connection, which owns the socket from now on.
        /// </summary>
        /// <exception cref="ConnectionException">the handshake failed or timed out.</exception>
        IConnection AuthenticateAsServer(IConnection plain, int timeoutMs);

        /// <summary>
        /// Runs the client side of the handshake. With <paramref name="verify"/> the peer's
        /// certificate must chain to the configured CA and match <paramref name="targetHost"/>;
        /// without it any certificate is accepted (opportunistic TLS, RFC 7435).
        /// </summary>
        /// <exception cref="ConnectionException">the handshake or the verification failed.</exception>
        IConnection AuthenticateAsClient(IConnection plain, string targetHost, bool verify, int timeoutMs);
    }
}
