// Settings of the RFC 3464 report composer.

namespace NanoMailGateway.Core.Bounce
{
    /// <summary>Settings of <see cref="DsnComposer"/>. Set before the composer is made.</summary>
    public sealed class DsnComposerOptions
    {
        /// <summary>Our host name: From: MAILER-DAEMON@host, Reporting-MTA: dns; host, Message-ID.</summary>
        public string HostName { get; set; } = "localhost";

        /// <summary>Most bytes of the original header section returned (text/rfc822-headers); longer
        /// sections are cut at this size. Default 16 KB: headers of alert mail are small, a bounce
        /// must not fill the flash.</summary>
        public int MaxHeaderBytes { get; set; } = 16 * 1024;

        /// <summary>RET=FULL returns the whole message (message/rfc822) only up to this size; larger
        /// messages get the headers only (RFC 3461 §4.3 allows it). Default 64 KB.</summary>
        public long MaxFullMessageBytes { get; set; } = 64 * 1024;
    }
}
