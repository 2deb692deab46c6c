// Parser of the reverse-path and forward-path of MAIL FROM and RCPT TO, in place on the
// command bytes (RFC 5321 §4.1.2):
//   Path         = "<" [ A-d-l ":" ] Mailbox ">"
//   A-d-l        = At-domain *( "," At-domain )          ; source route, §C
//   Mailbox      = Local-part "@" ( Domain / address-literal )
//   Local-part   = Dot-string / Quoted-string
//   Dot-string   = Atom *("." Atom)        Atom = 1*atext (RFC 5322 §3.2.3)
//   Quoted-string = DQUOTE *( qtextSMTP / "\" %d32-126 ) DQUOTE
//   Domain       = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
//   address-literal = "[" ( IPv4 / "IPv6:" IPv6 / Standardized-tag ":" 1*dcontent ) "]"
// Limits (§4.5.3.1): local part 64, domain 255, path 256 octets with its brackets.
// Decisions, for the relay check (RelayPolicy) to be sound:
// - A source route is accepted and IGNORED (§C, §3.6.1: "SHOULD ... ignore"); only the
//   final mailbox counts, so "@local:user@remote" is a remote recipient.
// - "%" and "!" are plain atext of the local part; nothing ever routes by them.
// - A quoted local part may contain "@"; the domain after the quote decides.
// - "user@a@b" and a trailing dot in a domain ("a.example.") are syntax errors (the
//   grammar has no place for them); domains are kept in lower case.
// - Bare "postmaster" without a domain is accepted where allowed (§4.1.1.3).
// - Lenient for poor device clients: spaces after the colon and a missing pair of
//   angle brackets are accepted; the mailbox grammar itself is not relaxed.
// Left out on purpose: SMTPUTF8 (RFC 6531: bytes >= 0x80 are a syntax error, we do not
// advertise it); checking IPv6 literals beyond their character set.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Outcome of <see cref="SmtpPath.Parse"/>.</summary>
    public enum SmtpPathResult
    {
        /// <summary>A valid path; the fields are set.</summary>
        Ok,

        /// <summary>The text does not follow the grammar.</summary>
        Syntax,

        /// <summary>Over the local-part, domain or path length limit (RFC 5321 §4.5.3.1).</summary>
        TooLong,
    }

    /// <summary>One parsed path; reused by a session for each MAIL and RCPT. Not thread-safe.</summary>
    public sealed class SmtpPath
    {
        /// <summary>RFC 5321 §4.5.3.1.1.</summary>
        public const int MaxLocalPart = 64;

        /// <summary>RFC 5321 §4.5.3.1.2.</summary>
        public const int MaxDomain = 255;

        /// <summary>RFC 5321 §4.5.3.1.3, angle brackets included.</summary>
        public const int MaxPath = 256;

        /// <summary>True for the null reverse-path &lt;&gt;.</summary>
        public bool IsNull { get; private set; }

        /// <summary>"local@domain" (domain lower case), "postmaster", or "" for &lt;&gt;.</summary>
        public string Address { get; private set; } = "";

        /// <summary>The domain in lower case ("" for &lt;&gt; and bare postmaster); an address literal keeps its brackets.</summary>
        public string Domain { get; private set; } = "";

        /// <summary>True when the domain is an address literal ("[192.0.2.1]").</summary>
        public bool IsAddressLiteral { get; private set; }

        /// <summary>True when a source route was given (and ignored).</summary>
        public bool HadSourceRoute { get; private set; }

        /// <summary>Index just after the path in the parsed buffer: the ESMTP parameters start there.</summary>
        public int End { get; private set; }

        /// <summary>
        /// Parses the path at the start of <paramref name="buffer"/>[offset, offset+count).
        /// <paramref name="allowNull"/>: &lt;&gt; is valid (MAIL FROM). <paramref name="allowPostmaster"/>:
        /// a bare "postmaster" is valid (RCPT TO). After the path must come the end or a space.
        /// </summary>
        public SmtpPathResult Parse(byte[] buffer, int offset, int count, bool allowNull, bool allowPostmaster)
        {
            IsNull = false;
            Address = "";
            Domain = "";
            IsAddressLiteral = false;
            HadSourceRoute = false;
            int end = offset + count;
            int p = offset;
            while (p < end && buffer[p] == Ascii.SP) p++;
            if (p >= end) return SmtpPathResult.Syntax;
            int pathStart = p;
            bool bracketed = buffer[p] == (byte)'<';
            if (bracketed) p++;
            if (bracketed && p < end && buffer[p] == (byte)'>')
            {
                if (!allowNull) return SmtpPathResult.Syntax;
                IsNull = true;
                return Finish(buffer, p + 1, end);
            }
            if (bracketed && p < end && buffer[p] == (byte)'@')
            {
                // RFC 5321 §C / §4.1.2 A-d-l: parsed for syntax, then ignored: never routed by.
                while (true)
                {
                    if (p >= end || buffer[p] != (byte)'@') return SmtpPathResult.Syntax;
                    p = SkipDomain(buffer, p + 1, end);
                    if (p < 0) return SmtpPathResult.Syntax;
                    if (p < end && buffer[p] == (byte)',') { p++; continue; }
                    if (p < end && buffer[p] == (byte)':') { p++; break; }
                    return SmtpPathResult.Syntax;
                }
                HadSourceRoute = true;
            }
            if (p >= end) return SmtpPathResult.Syntax;
            int localStart = p;
            p = buffer[p] == (byte)'"' ? SkipQuotedString(buffer, p, end) : SkipDotString(buffer, p, end);
            if (p < 0) return SmtpPathResult.Syntax;
            int localEnd = p;
            if (localEnd - localStart > MaxLocalPart) return SmtpPathResult.TooLong; // RFC 5321 §4.5.3.1.1
            int domainStart = -1;
            int domainEnd = -1;
            if (p < end && buffer[p] == (byte)'@')
            {
                p++;
                domainStart = p;
                if (p < end && buffer[p] == (byte)'[')
                {
                    p = SkipAddressLiteral(buffer, p, end);
                    IsAddressLiteral = true;
                }
                else
                {
                    p = SkipDomain(buffer, p, end);
                }
                if (p < 0) return SmtpPathResult.Syntax;
                domainEnd = p;
                if (domainEnd - domainStart > MaxDomain) return SmtpPathResult.TooLong; // RFC 5321 §4.5.3.1.2
            }
            if (bracketed)
            {
                // "user@a@b" ends here: after a domain only ">" may follow.
                if (p >= end || buffer[p] != (byte)'>') return SmtpPathResult.Syntax;
                p++;
            }
            int pathLength = p - pathStart + (bracketed ? 0 : 2);
            if (pathLength > MaxPath) return SmtpPathResult.TooLong; // RFC 5321 §4.5.3.1.3
            if (p < end && buffer[p] != Ascii.SP) return SmtpPathResult.Syntax;
            if (domainStart < 0)
            {
                // RFC 5321 §4.1.1.3: "postmaster" without a domain must be accepted.
                if (!allowPostmaster || !Ascii.EqualsIgnoreCase(Ascii.GetString(buffer, localStart, localEnd - localStart), "postmaster")) return SmtpPathResult.Syntax;
                Address = "postmaster";
                return Finish(buffer, p, end);
            }
            SetAddress(buffer, localStart, localEnd, domainStart, domainEnd);
            return Finish(buffer, p, end);
        }

        // Address "local@domain" and Domain from the octets, the domain in lower case, through
        // one char array: a string for each part and then their concatenation was twice the
        // garbage for every MAIL and RCPT.
        private void SetAddress(byte[] buffer, int localStart, int localEnd, int domainStart, int domainEnd)
        {
            int at = localEnd - localStart;
            char[] c = new char[at + 1 + domainEnd - domainStart];
            for (int i = 0; i < at; i++) c[i] = (char)buffer[localStart + i];
            c[at] = '@';
            for (int i = at + 1; i < c.Length; i++)
            {
                byte b = buffer[domainStart + i - at - 1];
                c[i] = b >= (byte)'A' && b <= (byte)'Z' ? (char)(b + 32) : (char)b;
            }
            Address = new string(c);
            Domain = new string(c, at + 1, c.Length - at - 1);
        }

        private SmtpPathResult Finish(byte[] buffer, int p, int end)
        {
            if (p < end && buffer[p] != Ascii.SP) return SmtpPathResult.Syntax;
            End = p;
            return SmtpPathResult.Ok;
        }

        /// <summary>RFC 5322 §3.2.3 atext.</summary>
        public static bool IsAtext(byte b)
        {
            if (Ascii.IsLetter(b) || Ascii.IsDigit(b)) return true;
            switch (b)
            {
                case (byte)'!': case (byte)'#': case (byte)'$': case (byte)'%': case (byte)'&':
                case (byte)'\'': case (byte)'*': case (byte)'+': case (byte)'-': case (byte)'/':
                case (byte)'=': case (byte)'?': case (byte)'^': case (byte)'_': case (byte)'`':
                case (byte)'{': case (byte)'|': case (byte)'}': case (byte)'~':
                    return true;
                default:
                    return false;
            }
        }

        // Dot-string = Atom *("." Atom): no leading, trailing or double dot. Returns the end or -1.
        private static int SkipDotString(byte[] b, int p, int end)
        {
            while (true)
            {
                int atomStart = p;
                while (p < end && IsAtext(b[p])) p++;
                if (p == atomStart) return -1;
                if (p < end && b[p] == (byte)'.') { p++; continue; }
                return p;
            }
        }

        // Quoted-string with qtextSMTP (%d32-33 / %d35-91 / %d93-126) and quoted-pairSMTP.
        private static int SkipQuotedString(byte[] b, int p, int end)
        {
            p++; // opening DQUOTE
            while (p < end)
            {
                byte c = b[p];
                if (c == (byte)'"') return p + 1;
                if (c == (byte)'\\')
                {
                    if (p + 1 >= end || b[p + 1] < 32 || b[p + 1] > 126) return -1;
                    p += 2;
                    continue;
                }
                if (c < 32 || c > 126) return -1;
                p++;
            }
            return -1;
        }

        // Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (no "-" at
        // either end); labels at most 63 octets (RFC 1035 §2.3.4). A trailing dot fails.
        private static int SkipDomain(byte[] b, int p, int end)
        {
            while (true)
            {
                int labelStart = p;
                while (p < end && (Ascii.IsLetter(b[p]) || Ascii.IsDigit(b[p]) || b[p] == (byte)'-')) p++;
                int n = p - labelStart;
                if (n == 0 || n > 63) return -1;
                if (b[labelStart] == (byte)'-' || b[p - 1] == (byte)'-') return -1;
                if (p < end && b[p] == (byte)'.') { p++; continue; }
                return p;
            }
        }

        // "[" IPv4 / "IPv6:" ... / tag ":" dcontent "]". Returns the index after "]" or -1.
        private static int SkipAddressLiteral(byte[] b, int p, int end)
        {
            int close = Ascii.IndexOf(b, p, end - p, (byte)']');
            if (close < 0) return -1;
            int s = p + 1;
            int n = close - s;
            if (n <= 0) return -1;
            if (IsIPv4(b, s, n)) return close + 1;
            int colon = Ascii.IndexOf(b, s, n, (byte)':');
            if (colon <= s) return -1;
            // Standardized-tag = Ldh-str; "IPv6" is one (§4.1.3). dcontent = %d33-90 / %d94-126.
            for (int i = s; i < colon; i++)
            {
                if (!(Ascii.IsLetter(b[i]) || Ascii.IsDigit(b[i]) || b[i] == (byte)'-')) return -1;
            }
            if (colon + 1 >= close) return -1;
            for (int i = colon + 1; i < close; i++)
            {
                byte c = b[i];
                if (c < 33 || c > 126 || (c >= 91 && c <= 93)) return -1;
            }
            return close + 1;
        }

        /// <summary>True when the range is a dotted quad of 0..255 with 1-3 digits each (RFC 5321 §4.1.3 IPv4-address-literal).</summary>
        public static bool IsIPv4(byte[] b, int offset, int count)
        {
            int end = offset + count;
            int p = offset;
            for (int part = 0; part < 4; part++)
            {
                int start = p;
                while (p < end && Ascii.IsDigit(b[p]) && p - start < 3) p++;
                if (p == start) return false;
                if (Ascii.ParseDecimal(b, start, p - start, 255) < 0) return false;
                if (part < 3)
                {
                    if (p >= end || b[p] != (byte)'.') return false;
                    p++;
                }
            }
            return p == end;
        }
    }
}
