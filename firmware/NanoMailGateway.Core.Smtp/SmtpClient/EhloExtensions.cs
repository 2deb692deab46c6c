// Parses the extension lines of an EHLO reply (RFC 5321 §4.1.1.1: ehlo-line =
// ehlo-keyword *( SP ehlo-param )) into flags and the SIZE limit. Keywords are
// case-insensitive. Unknown keywords are ignored. The keywords are string constants
// compared in place (a literal stays in flash; a static byte[] is heap from boot on
// nanoCLR, ARCHITECTURE.md, Memory).

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>What the server announced. Not thread-safe.</summary>
    public sealed class EhloExtensions
    {
        private const string KwSize = "SIZE";
        private const string KwPipelining = "PIPELINING";
        private const string Kw8BitMime = "8BITMIME";
        private const string KwDsn = "DSN";
        private const string KwStartTls = "STARTTLS";
        private const string KwAuth = "AUTH";
        private const string KwEnhanced = "ENHANCEDSTATUSCODES";
        private const string MechPlain = "PLAIN";
        private const string MechLogin = "LOGIN";

        /// <summary>Largest SIZE we believe (1 TB): a bigger number is treated as no limit.</summary>
        private const long MaxSizeValue = 1000000000000;

        /// <summary>Announced extensions.</summary>
        public SmtpCapabilities Capabilities { get; private set; }

        /// <summary>The SIZE limit in bytes, or 0 for none announced / no fixed limit (RFC 1870 §4).</summary>
        public long MaxSize { get; private set; }

        /// <summary>Forgets everything (before a new EHLO, e.g. after STARTTLS, RFC 3207 §4.2).</summary>
        public void Clear()
        {
            Capabilities = SmtpCapabilities.None;
            MaxSize = 0;
        }

        /// <summary>Parses one extension line (the text after "250-" / "250 ").</summary>
        public void ParseLine(byte[] buf, int offset, int count)
        {
            int end = offset + count;
            int kwEnd = offset;
            while (kwEnd < end && buf[kwEnd] != Ascii.SP && buf[kwEnd] != (byte)'=') kwEnd++;
            int kwLength = kwEnd - offset;
            int p = kwEnd < end ? kwEnd + 1 : end;
            if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, KwSize))
            {
                Capabilities |= SmtpCapabilities.Size;
                int q = p;
                while (q < end && Ascii.IsDigit(buf[q])) q++;
                long n = Ascii.ParseDecimal(buf, p, q - p, MaxSizeValue);
                MaxSize = n > 0 ? n : 0;   // "SIZE" or "SIZE 0": no fixed maximum (RFC 1870 §4)
            }
            else if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, KwPipelining)) Capabilities |= SmtpCapabilities.Pipelining;
            else if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, Kw8BitMime)) Capabilities |= SmtpCapabilities.EightBitMime;
            else if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, KwDsn)) Capabilities |= SmtpCapabilities.Dsn;
            else if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, KwStartTls)) Capabilities |= SmtpCapabilities.StartTls;
            else if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, KwEnhanced)) Capabilities |= SmtpCapabilities.EnhancedStatusCodes;
            else if (Ascii.EqualsIgnoreCase(buf, offset, kwLength, KwAuth))
            {
                // "AUTH PLAIN LOGIN" (RFC 4954 §3) or the old "AUTH=PLAIN LOGIN" form.
                while (p < end)
                {
                    while (p < end && buf[p] == Ascii.SP) p++;
                    int m = p;
                    while (m < end && buf[m] != Ascii.SP) m++;
                    if (Ascii.EqualsIgnoreCase(buf, p, m - p, MechPlain)) Capabilities |= SmtpCapabilities.Auth | SmtpCapabilities.AuthPlain;
                    else if (Ascii.EqualsIgnoreCase(buf, p, m - p, MechLogin)) Capabilities |= SmtpCapabilities.Auth | SmtpCapabilities.AuthLogin;
                    else if (m > p) Capabilities |= SmtpCapabilities.Auth;
                    p = m;
                }
            }
        }

        /// <summary>True when <paramref name="capability"/> was announced.</summary>
        public bool Has(SmtpCapabilities capability)
        {
            return (Capabilities & capability) == capability;
        }
    }
}
