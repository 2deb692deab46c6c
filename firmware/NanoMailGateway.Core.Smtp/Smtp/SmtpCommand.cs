// Recognises the verb of a command line in place (RFC 5321 §4.1.1: verbs are
// case-insensitive, separated from the argument by one space) and finds where the
// argument starts. MAIL and RCPT include their "FROM:" / "TO:" keyword in the verb
// match, since the path parser starts after it (§4.1.1.2-3; spaces after the colon are
// tolerated by SmtpPath). No allocation.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Command line recognition. Thread-safe (stateless).</summary>
    public static class SmtpCommand
    {
        private static readonly byte[] Helo = Ascii.GetBytes("HELO");
        private static readonly byte[] Ehlo = Ascii.GetBytes("EHLO");
        private static readonly byte[] MailFrom = Ascii.GetBytes("MAIL FROM:");
        private static readonly byte[] RcptTo = Ascii.GetBytes("RCPT TO:");
        private static readonly byte[] Data = Ascii.GetBytes("DATA");
        private static readonly byte[] Rset = Ascii.GetBytes("RSET");
        private static readonly byte[] Noop = Ascii.GetBytes("NOOP");
        private static readonly byte[] Quit = Ascii.GetBytes("QUIT");
        private static readonly byte[] Vrfy = Ascii.GetBytes("VRFY");
        private static readonly byte[] Help = Ascii.GetBytes("HELP");
        private static readonly byte[] StartTls = Ascii.GetBytes("STARTTLS");
        private static readonly byte[] Auth = Ascii.GetBytes("AUTH");
        private static readonly byte[] Expn = Ascii.GetBytes("EXPN");
        private static readonly byte[] Mail = Ascii.GetBytes("MAIL");
        private static readonly byte[] Rcpt = Ascii.GetBytes("RCPT");

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
