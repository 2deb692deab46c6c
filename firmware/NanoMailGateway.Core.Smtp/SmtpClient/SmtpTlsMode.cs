// How the client uses TLS (RFC 3207 STARTTLS, RFC 8314 implicit TLS, RFC 7435
// opportunistic security).

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>TLS policy of one client session.</summary>
    public enum SmtpTlsMode
    {
        /// <summary>Never TLS (a plaintext retry after an opportunistic handshake failed).</summary>
        None = 0,

        /// <summary>STARTTLS when the server offers it, plaintext otherwise (Postfix "may").</summary>
        Opportunistic = 1,

        /// <summary>STARTTLS must succeed or the attempt is deferred (relay_security = starttls, port 587).</summary>
        StartTlsRequired = 2,

        /// <summary>TLS from the first byte (relay_security = tls, port 465, RFC 8314 §3.3).</summary>
        Implicit = 3,
    }
}
