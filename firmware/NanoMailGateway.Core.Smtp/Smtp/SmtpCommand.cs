// Recognises the verb of a command line in place (RFC 5321 §4.1.1: verbs are
// case-insensitive, separated from the argument by one space) and finds where the
// argument starts. MAIL and RCPT include their "FROM:" / "TO:" keyword in the verb
// match, since the path parser starts after it (§4.1.1.2-3; spaces after the colon are
// tolerated by SmtpPath). No allocation. The verbs are string constants: a literal stays
// in the assembly's string table (flash), while a static byte[] would be built at boot
// and hold heap for the whole run on nanoCLR (ARCHITECTURE.md, Memory).

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Command line recognition. Thread-safe (stateless).</summary>
    public static class SmtpCommand
    {
        private const string Helo = "HELO";
        private const string Ehlo = "EHLO";
        private const string MailFrom = "MAIL FROM:";
        private const string RcptTo = "RCPT TO:";
        private const string Data = "DATA";
        private const string Rset = "RSET";
        private const string Noop = "NOOP";
        private const string Quit = "QUIT";
        private const string Vrfy = "VRFY";
        private const string Help = "HELP";
        private const string StartTls = "STARTTLS";
        private const string Auth = "AUTH";
        private const string Expn = "EXPN";
        private const string Mail = "MAIL";
        private const string Rcpt = "RCPT";

        /// <summary>
        /// Parses the line (without its CRLF). Returns the verb and sets <paramref name="argOffset"/>
        /// to the first byte of the argument (== offset + count when there is none).
        /// MAIL and RCPT without their "FROM:"/"TO:" keyword come back as the verb with
        /// <paramref name="argOffset"/> = -1 (a syntax error for the handler to answer).
        /// </summary>
        public static SmtpVerb Parse(byte[] line, int offset, int count, out int argOffset)
        {
            int end = offset + count;
            int verbEnd = Ascii.IndexOf(line, offset, count, Ascii.SP);
            if (verbEnd < 0) verbEnd = end;
            int verbLength = verbEnd - offset;
            argOffset = verbEnd < end ? verbEnd + 1 : end;
            if (verbLength == 4)
            {
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Mail))
                {
                    argOffset = Ascii.StartsWithIgnoreCase(line, offset, count, MailFrom) ? offset + MailFrom.Length : -1;
                    return SmtpVerb.Mail;
                }
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Rcpt))
                {
                    argOffset = Ascii.StartsWithIgnoreCase(line, offset, count, RcptTo) ? offset + RcptTo.Length : -1;
                    return SmtpVerb.Rcpt;
                }
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Ehlo)) return SmtpVerb.Ehlo;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Helo)) return SmtpVerb.Helo;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Data)) return SmtpVerb.Data;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Rset)) return SmtpVerb.Rset;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Noop)) return SmtpVerb.Noop;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Quit)) return SmtpVerb.Quit;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Vrfy)) return SmtpVerb.Vrfy;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Help)) return SmtpVerb.Help;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Auth)) return SmtpVerb.Auth;
                if (Ascii.EqualsIgnoreCase(line, offset, 4, Expn)) return SmtpVerb.Expn;
            }
            else if (verbLength == 8 && Ascii.EqualsIgnoreCase(line, offset, 8, StartTls))
            {
                return SmtpVerb.StartTls;
            }
            return SmtpVerb.Unknown;
        }

        /// <summary>Index of the first byte after <paramref name="offset"/> that is not a space, or <paramref name="end"/>.</summary>
        public static int SkipSpaces(byte[] line, int offset, int end)
        {
            while (offset < end && line[offset] == Ascii.SP) offset++;
            return offset;
        }

        /// <summary>Index just after the last non-space byte of [offset, end) (trims trailing spaces).</summary>
        public static int TrimEnd(byte[] line, int offset, int end)
        {
            while (end > offset && (line[end - 1] == Ascii.SP || line[end - 1] == Ascii.HT)) end--;
            return end;
        }
    }
}
