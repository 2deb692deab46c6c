// Settings of outbound SMTP sessions. Defaults are the client timeouts of
// RFC 5321 §4.5.3.2; tests set them small. Passed to the session's constructor
// (no mutable statics). One object serves every session of a run: the TLS mode,
// certificate check and credentials here are only each session's starting values,
// which a caller that talks to different kinds of server sets on the session per
// connection (SmtpClientSession.TlsMode, VerifyCertificate, SetCredentials), as the
// delivery agent does, instead of keeping a copy of these settings per kind.

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Settings of SMTP client sessions. Set before a session is made.</summary>
    public sealed class SmtpClientOptions
    {
        /// <summary>Our host name for EHLO/HELO (RFC 5321 §4.1.1.1: the client's FQDN). Required.</summary>
        public string HeloName { get; set; } = "localhost";

        /// <summary>Wait for the 220 greeting, ms. RFC 5321 §4.5.3.2.1: 5 minutes.</summary>
        public int GreetingTimeoutMs { get; set; } = 5 * 60 * 1000;

        /// <summary>Wait for replies to EHLO/HELO, STARTTLS, AUTH, RSET, QUIT, ms (RFC 5321 has no
        /// number for these; 5 minutes like MAIL).</summary>
        public int CommandTimeoutMs { get; set; } = 5 * 60 * 1000;

        /// <summary>Wait for the reply to MAIL, ms. RFC 5321 §4.5.3.2.2: 5 minutes.</summary>
        public int MailTimeoutMs { get; set; } = 5 * 60 * 1000;

        /// <summary>Wait for the reply to each RCPT, ms. RFC 5321 §4.5.3.2.3: 5 minutes.</summary>
        public int RcptTimeoutMs { get; set; } = 5 * 60 * 1000;

        /// <summary>Wait for the 354 reply to DATA, ms. RFC 5321 §4.5.3.2.4: 2 minutes.</summary>
        public int DataInitTimeoutMs { get; set; } = 2 * 60 * 1000;

        /// <summary>Time allowed to send each data block, ms. RFC 5321 §4.5.3.2.5: 3 minutes.</summary>
        public int DataBlockTimeoutMs { get; set; } = 3 * 60 * 1000;

        /// <summary>Wait for the reply to the final dot, ms. RFC 5321 §4.5.3.2.6: 10 minutes.</summary>
        public int DataTerminationTimeoutMs { get; set; } = 10 * 60 * 1000;

        /// <summary>Wait for the replies to RSET and QUIT, ms. Both are sent once the outcome is known,
        /// so a slow answer costs nothing but the session: 3 s, not RFC 5321's minutes (a server
        /// answering slowly must not hold the only delivery session of a small board).</summary>
        public int EndTimeoutMs { get; set; } = 3 * 1000;

        /// <summary>Time allowed for the TLS handshake, ms.</summary>
        public int TlsHandshakeTimeoutMs { get; set; } = 60 * 1000;

        /// <summary>TLS policy a session starts with (SmtpClientSession.TlsMode).</summary>
        public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.Opportunistic;

        /// <summary>Verify the server certificate (CA and host name) when TLS is used. Opportunistic
        /// MX delivery leaves it off (RFC 7435); a smarthost turns it on.</summary>
        public bool VerifyCertificate { get; set; }

        /// <summary>AUTH user a session starts with, or null for no AUTH (SmtpClientSession.SetCredentials).
        /// Sent only over TLS.</summary>
        public string? User { get; set; }

        /// <summary>AUTH password (relay_password).</summary>
        public string? Password { get; set; }

        /// <summary>Submission from the command line (nmg send), not relaying: credentials may go
        /// without TLS (to the server its user named, such as a gateway on the same host), AUTH is
        /// skipped when the server offers no PLAIN or LOGIN, and a transaction in which any recipient
        /// is refused is abandoned before DATA, so that no one gets a message the sender believes
        /// went to all. Off for delivery: a relay never sends credentials in plaintext, and a
        /// refused recipient must not hold back mail for the others.</summary>
        public bool Submission { get; set; }

        /// <summary>Byte cap for one whole reply, all lines: only a bound on an endless reply, since
        /// a reply is read line by line in the reply buffer and at most SmtpReplyReader.TextCap of it
        /// is kept, so the cap costs no memory. RFC 5321 §4.2 sets no limit on lines. The longest
        /// replies are EHLO's; those of large MTAs are 10 to 25 lines and under 1 KB: 64 KB is
        /// far beyond any real one (README, "Delivery").</summary>
        public int MaxReplyBytes { get; set; } = 64 * 1024;

        /// <summary>Maximum lines of one reply (see MaxReplyBytes): 1000.</summary>
        public int MaxReplyLines { get; set; } = 1000;
    }
}
