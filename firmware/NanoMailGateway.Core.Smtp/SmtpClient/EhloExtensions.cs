// Parses the extension lines of an EHLO reply (RFC 5321 §4.1.1.1: ehlo-line =
// ehlo-keyword *( SP ehlo-param )) into flags and the SIZE limit. Keywords are
// case-insensitive. Unknown keywords are ignored.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>What the server announced. Not thread-safe.</summary>
    public sealed class EhloExtensions
    {
        private static readonly byte[] KwSize = Ascii.GetBytes("SIZE");
        private static readonly byte[] KwPipelining = Ascii.GetBytes("PIPELINING");
        private static readonly byte[] Kw8BitMime = Ascii.GetBytes("8BITMIME");
        private static readonly byte[] KwDsn = Ascii.GetBytes("DSN");
        private static readonly byte[] KwStartTls = Ascii.GetBytes("STARTTLS");
        private static readonly byte[] KwAuth = Ascii.GetBytes("AUTH");
        private static readonly byte[] KwEnhanced = Ascii.GetBytes("ENHANCEDSTATUSCODES");
        private static readonly byte[] MechPlain = Ascii.GetBytes("PLAIN");
        private static readonly byte[] MechLogin = Ascii.GetBytes("LOGIN");

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
