// Settings of the POP3 server, each with its unit, default and reason.
// Filled from the board profile and the configuration; tests shrink the timers.

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>Runtime settings of <see cref="Pop3Server"/>. Read once per session; do not change while serving.</summary>
    public sealed class Pop3ServerOptions
    {
        /// <summary>RFC 1939 §3: the inactivity autologout timer MUST be at least 10 minutes.</summary>
        public const int MinimumRfcAutologoutMs = 10 * 60 * 1000;

        /// <summary>
        /// Idle time in milliseconds after which a session is closed without a reply and
        /// without UPDATE (RFC 1939 §3). Default 600,000 (10 minutes, the RFC minimum).
        /// Values below the minimum are for tests only.
        /// </summary>
        public int AutologoutMs { get; set; } = MinimumRfcAutologoutMs;

        /// <summary>Deadline in milliseconds for each send to the client. Default 60,000.</summary>
        public int SendTimeoutMs { get; set; } = 60 * 1000;

        /// <summary>Deadline in milliseconds for the STLS handshake. Default 30,000.</summary>
        public int TlsHandshakeTimeoutMs { get; set; } = 30 * 1000;

        /// <summary>
        /// Longest command line in octets, CRLF included. Default 255 (RFC 2449 §4).
        /// SASL client responses may be longer (RFC 5034 §4) up to the pool buffer size.
        /// </summary>
        public int MaxCommandLength { get; set; } = 255;

        /// <summary>
        /// Refused commands (unknown, wrong state, bad syntax, failed logins) after which the
        /// session is closed with "-ERR [SYS/PERM]". Default 10, as Postfix's smtpd_hard_error_limit
        /// idea: a client this confused is not going to recover, and each error costs a slot.
        /// </summary>
        public int MaxErrors { get; set; } = 10;

        /// <summary>Offer and accept AUTH PLAIN (RFC 5034, RFC 4616). Default true.</summary>
        public bool OfferSaslPlain { get; set; } = true;

        /// <summary>Text after "+OK " in the greeting (RFC 1939 §4). Default "NanoMailGateway POP3 server ready".</summary>
        public string Greeting { get; set; } = "NanoMailGateway POP3 server ready";
    }
}
