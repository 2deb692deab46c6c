// The closed set of outcomes of one delivery attempt for one recipient (ARCHITECTURE.md, Protocol sessions:
// results between modules are values, classified in one place).

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>What happened to one recipient in one attempt.</summary>
    public enum DeliveryOutcome
    {
        /// <summary>The server took responsibility (2xx to the final dot, RFC 5321 §4.2.5).</summary>
        Sent = 0,

        /// <summary>Try again later: a 4xx reply, a broken connection, a timeout, a TLS or AUTH failure.</summary>
        Transient = 1,

        /// <summary>Give up: a 5xx reply or a local decision that cannot change (size, expiry).</summary>
        Permanent = 2,
    }
}
