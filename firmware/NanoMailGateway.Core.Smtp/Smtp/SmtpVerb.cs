// The command verbs the listener knows (RFC 5321 §4.1.1, RFC 3207, RFC 4954).

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>An SMTP command verb. Numbered from 0 so that the state table can index by it.</summary>
    public enum SmtpVerb
    {
        /// <summary>Anything else (502 5.5.2).</summary>
        Unknown = 0,
        /// <summary>RFC 5321 §4.1.1.1.</summary>
        Helo = 1,
        /// <summary>RFC 5321 §4.1.1.1.</summary>
        Ehlo = 2,
        /// <summary>RFC 5321 §4.1.1.2.</summary>
        Mail = 3,
        /// <summary>RFC 5321 §4.1.1.3.</summary>
        Rcpt = 4,
        /// <summary>RFC 5321 §4.1.1.4.</summary>
        Data = 5,
        /// <summary>RFC 5321 §4.1.1.5.</summary>
        Rset = 6,
        /// <summary>RFC 5321 §4.1.1.9.</summary>
        Noop = 7,
        /// <summary>RFC 5321 §4.1.1.10.</summary>
        Quit = 8,
        /// <summary>RFC 5321 §4.1.1.6.</summary>
        Vrfy = 9,
        /// <summary>RFC 5321 §4.1.1.8.</summary>
        Help = 10,
        /// <summary>RFC 3207.</summary>
        StartTls = 11,
        /// <summary>RFC 4954.</summary>
        Auth = 12,
        /// <summary>RFC 5321 §4.1.1.7 (EXPN): recognised and refused (it would disclose mailboxes).</summary>
        Expn = 13,
    }
}
