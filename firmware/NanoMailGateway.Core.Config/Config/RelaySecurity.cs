// How delivery talks to the relayhost or an MX (relay_security).

namespace NanoMailGateway.Core.Config
{
    /// <summary>Transport security for outgoing SMTP. Never log the enum value itself (it prints a number on the device).</summary>
    public enum RelaySecurity
    {
        /// <summary>Plain SMTP; STARTTLS is not used even when offered.</summary>
        None = 0,

        /// <summary>STARTTLS is required (RFC 3207); a server that does not offer it is a temporary failure.</summary>
        StartTls = 1,

        /// <summary>TLS from the first byte (implicit TLS, RFC 8314 §3.3, usually port 465).</summary>
        Tls = 2,
    }
}
