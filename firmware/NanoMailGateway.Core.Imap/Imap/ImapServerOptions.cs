// Settings of the IMAP server, each with its unit, default and reason.
// Filled by MailGateway from the configuration; tests shrink the timers.

namespace NanoMailGateway.Core.Imap
{
    /// <summary>Runtime settings of <see cref="ImapServer"/>. Read once per session; do not change while serving.</summary>
    public sealed class ImapServerOptions
    {
        /// <summary>RFC 9051 §5.4: the autologout timer, if any, MUST be at least 30 minutes (IDLE included).</summary>
        public const int MinimumRfcAutologoutMs = 30 * 60 * 1000;

        /// <summary>
        /// Idle time in milliseconds after which a session, IDLE or not, gets "* BYE" and is
        /// closed. Default 1,800,000 (30 minutes, RFC 9051 §5.4). Smaller values are for tests.
        /// </summary>
        public int AutologoutMs { get; set; } = MinimumRfcAutologoutMs;

        /// <summary>Deadline in milliseconds for each send to the client. Default 60,000.</summary>
        public int SendTimeoutMs { get; set; } = 60 * 1000;

        /// <summary>Deadline in milliseconds for the STARTTLS handshake. Default 30,000.</summary>
        public int TlsHandshakeTimeoutMs { get; set; } = 30 * 1000;

        /// <summary>
        /// How often an IDLE session looks at the store's change count, ms. Default 200:
        /// "* N EXISTS" reaches the client well within a second of a delivery, and a quiet
        /// check costs one comparison.
        /// </summary>
        public int IdlePollMs { get; set; } = 200;

        /// <summary>
        /// Largest literal accepted, octets (RFC 9051 §4.3; LITERAL- caps non-synchronizing
        /// ones at 4096, RFC 7888 §4). The whole command, literals included, must also fit
        /// the session's input buffer. Default 1024: only LOGIN and SEARCH take strings here.
        /// </summary>
        public int MaxLiteral { get; set; } = 1024;

        /// <summary>Refused commands (BAD, failed logins) after which the session ends with "* BYE". Default 10.</summary>
        public int MaxErrors { get; set; } = 10;

        /// <summary>Text after "* OK [CAPABILITY ...] " in the greeting (RFC 9051 §7.1.1).</summary>
        public string Greeting { get; set; } = "NanoMailGateway IMAP4rev2 server ready";
    }
}
