// The line limits both sides of SMTP must keep (RFC 5321 §4.5.3.1.4-5): a command line
// and a reply line are at most 512 octets including CRLF. The DSN extension raises the
// command limit (RFC 3461 §3): a MAIL line may be 100 octets longer for RET and ENVID, a
// RCPT line 500 longer for NOTIFY and ORCPT, so a server that advertises DSN must read
// lines of 612 and 1012 octets, and a client may send them only to a server that did.
// One place for the server session and the client so that both agree. Constants, not
// static objects (ARCHITECTURE.md, Memory).

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>SMTP line limits in octets, CRLF included. Thread-safe (constants).</summary>
    public static class SmtpLineLimits
    {
        /// <summary>RFC 5321 §4.5.3.1.4: a command line.</summary>
        public const int CommandLine = 512;

        /// <summary>RFC 5321 §4.5.3.1.5: a reply line.</summary>
        public const int ReplyLine = 512;

        /// <summary>RFC 3461 §3: a MAIL line when DSN is in use (RET, ENVID: 100 more).</summary>
        public const int DsnMailLine = CommandLine + 100;

        /// <summary>RFC 3461 §3: a RCPT line when DSN is in use (NOTIFY, ORCPT: 500 more).</summary>
        public const int DsnRcptLine = CommandLine + 500;
    }
}
