// ESMTP extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1), each
// with the RFC that defines it. Only what the client uses is recognised.

using System;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Extensions announced by the server.</summary>
    [Flags]
    public enum SmtpCapabilities
    {
        /// <summary>Nothing (HELO, or EHLO with no extension lines).</summary>
        None = 0,

        /// <summary>SIZE, RFC 1870 (limit in <see cref="SmtpClientSession.ServerMaxSize"/>).</summary>
        Size = 1,

        /// <summary>PIPELINING, RFC 2920.</summary>
        Pipelining = 2,

        /// <summary>8BITMIME, RFC 6152.</summary>
        EightBitMime = 4,

        /// <summary>DSN, RFC 3461.</summary>
        Dsn = 8,

        /// <summary>STARTTLS, RFC 3207.</summary>
        StartTls = 16,

        /// <summary>AUTH with at least one mechanism, RFC 4954.</summary>
        Auth = 32,

        /// <summary>AUTH PLAIN offered, RFC 4616.</summary>
        AuthPlain = 64,

        /// <summary>AUTH LOGIN offered (draft-murchison-sasl-login).</summary>
        AuthLogin = 128,

        /// <summary>ENHANCEDSTATUSCODES, RFC 2034.</summary>
        EnhancedStatusCodes = 256,
    }
}
