// Every knob of the SMTP listener, with its default, unit and reason (ARCHITECTURE.md, Settings).
// Filled from the configuration at start (config keys in brackets) and handed to
// SmtpServer's constructor; never a mutable static. Tests set the timeouts and the
// AUTH delay small.

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Settings of the SMTP listener. Set before the server starts; not changed afterwards.</summary>
    public sealed class SmtpServerOptions
    {
        /// <summary>Our host name for the greeting, EHLO, Received: and Message-ID: [hostname].</summary>
        public string HostName { get; set; } = "nanomail.local";

        /// <summary>Domains whose recipients are local mailboxes, lower case, without trailing dot [local_domains].</summary>
        public string[] LocalDomains { get; set; } = Text.StringArray.New(0);

        /// <summary>Largest message in octets as stored, added headers included; advertised with SIZE (RFC 1870) [message_size_limit].</summary>
        public long MessageSizeLimit { get; set; } = 1024 * 1024;

        /// <summary>Recipients per message; beyond this RCPT gets 452 4.5.3 (RFC 5321 §4.5.3.1.8 asks for at least 100; boards keep less) [max_recipients].</summary>
        public int MaxRecipients { get; set; } = 50;

        /// <summary>Protocol errors (5xx replies) after which the session gets 421 4.7.0 and is closed (Postfix smtpd_hard_error_limit) [smtp_error_limit].</summary>
        public int ErrorLimit { get; set; } = 10;

        /// <summary>Wait for a command, ms: RFC 5321 §4.5.3.2.7 server timeout, 5 minutes [smtp_command_timeout].</summary>
        public int CommandTimeoutMs { get; set; } = 5 * 60 * 1000;

        /// <summary>Wait for more content during DATA, ms: 10 minutes, the client's own DATA termination timeout (RFC 5321 §4.5.3.2.6), so a slow sensor is not cut off first [smtp_data_timeout].</summary>
        public int DataTimeoutMs { get; set; } = 10 * 60 * 1000;

        /// <summary>Deadline for sending one batch of replies, ms [smtp_send_timeout].</summary>
        public int SendTimeoutMs { get; set; } = 60 * 1000;

        /// <summary>Deadline for the TLS handshake after STARTTLS, ms [smtp_tls_timeout].</summary>
        public int TlsHandshakeTimeoutMs { get; set; } = 60 * 1000;

        /// <summary>Allow AUTH on a connection that is neither TLS nor from a trusted network [smtp_allow_plaintext_auth]. Off: RFC 4954 §4 warns against cleartext passwords.</summary>
        public bool AllowPlaintextAuth { get; set; }

        /// <summary>Failed AUTH attempts per session before it is closed with 421 4.7.0 (the delays come from the server's AuthThrottle).</summary>
        public int AuthFailureLimit { get; set; } = 3;

        /// <summary>Part of the queue (index entries and bytes) one client address may hold, percent; 100 = no limit. Beyond it MAIL
        /// gets 452 4.3.1, so a flapping sensor leaves room for the others' alarms (README, Capacity) [smtpd_client_queue_share].</summary>
        public int ClientQueueSharePercent { get; set; } = 50;

        /// <summary>Messages (MAIL commands) one client address may start per minute; 0 = no limit. Beyond it MAIL gets 450 4.7.1
        /// (Postfix smtpd_client_message_rate_limit, default off there too) [smtpd_client_message_rate_limit].</summary>
        public int ClientMessageRateLimit { get; set; }

        /// <summary>Client addresses the rate counters track at once (a fixed table: device heap).</summary>
        public int ClientRateSlots { get; set; } = 8;

        /// <summary>Received: headers beyond which a message is refused as a loop, 554 5.4.6 (RFC 5321 §6.3) [smtp_hop_limit].</summary>
        public int MaxReceivedHeaders { get; set; } = 30;
    }
}
