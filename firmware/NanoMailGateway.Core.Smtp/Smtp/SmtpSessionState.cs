// The states of an SMTP server session, each named for what it waits for (ARCHITECTURE.md,
// Protocol sessions), and the table of which commands each state allows (RFC 5321 §4.1.4 ordering;
// RFC 3207 §4 and RFC 4954 §4: STARTTLS and AUTH only outside a mail transaction).
// DATA content is read inside the DATA step, so it has no state of its own here.
// The table and the names are switches, not static arrays: a static array is heap from
// boot for the whole run on nanoCLR, code and literals stay in flash (ARCHITECTURE.md, Memory).

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>What an SMTP server session waits for.</summary>
    public enum SmtpSessionState
    {
        /// <summary>Greeted; waiting for EHLO or HELO (again after STARTTLS).</summary>
        WaitingForHelo = 0,
        /// <summary>No transaction: waiting for MAIL (or AUTH, STARTTLS).</summary>
        WaitingForMail = 1,
        /// <summary>MAIL accepted; waiting for the first good RCPT.</summary>
        WaitingForRcpt = 2,
        /// <summary>At least one recipient; waiting for more RCPT or DATA.</summary>
        WaitingForRcptOrData = 3,
        /// <summary>Inside an AUTH exchange: the next line is a SASL response, not a command.</summary>
        WaitingForAuthResponse = 4,
    }

    /// <summary>The command table per state. Thread-safe (immutable).</summary>
    public static class SmtpStateTable
    {
        private const int Anytime = (1 << (int)SmtpVerb.Unknown) | (1 << (int)SmtpVerb.Helo) | (1 << (int)SmtpVerb.Ehlo)
            | (1 << (int)SmtpVerb.Rset) | (1 << (int)SmtpVerb.Noop) | (1 << (int)SmtpVerb.Quit)
            | (1 << (int)SmtpVerb.Vrfy) | (1 << (int)SmtpVerb.Help) | (1 << (int)SmtpVerb.Expn);

        /// <summary>True when <paramref name="verb"/> may be used in <paramref name="state"/>.</summary>
        public static bool IsAllowed(SmtpSessionState state, SmtpVerb verb)
        {
            return (Allowed(state) & (1 << (int)verb)) != 0;
        }

        // The commands of a state: bit n set = SmtpVerb n allowed.
        private static int Allowed(SmtpSessionState state)
        {
            switch (state)
            {
                case SmtpSessionState.WaitingForHelo: return Anytime;
                case SmtpSessionState.WaitingForMail: return Anytime | (1 << (int)SmtpVerb.Mail) | (1 << (int)SmtpVerb.StartTls) | (1 << (int)SmtpVerb.Auth);
                case SmtpSessionState.WaitingForRcpt: return Anytime | (1 << (int)SmtpVerb.Rcpt);
                case SmtpSessionState.WaitingForRcptOrData: return Anytime | (1 << (int)SmtpVerb.Rcpt) | (1 << (int)SmtpVerb.Data);
                default: return 0; // WaitingForAuthResponse: the line is a SASL response, never a command
            }
        }

        /// <summary>The reply for a command that its state does not allow.</summary>
        public static string Refusal(SmtpSessionState state, SmtpVerb verb)
        {
            if (state == SmtpSessionState.WaitingForHelo) return SmtpReplies.NeedHelo;
            if (verb == SmtpVerb.Mail) return SmtpReplies.NestedMail;
            if (verb == SmtpVerb.Rcpt) return SmtpReplies.NeedMail;
            if (verb == SmtpVerb.Data) return state == SmtpSessionState.WaitingForMail ? SmtpReplies.NeedMail : SmtpReplies.NeedRcpt;
            return SmtpReplies.BadSequence;
        }

        /// <summary>State name for logs (enum.ToString() prints a number on the device).</summary>
        public static string Name(SmtpSessionState state)
        {
            switch (state)
            {
                case SmtpSessionState.WaitingForHelo: return "WaitingForHelo";
                case SmtpSessionState.WaitingForMail: return "WaitingForMail";
                case SmtpSessionState.WaitingForRcpt: return "WaitingForRcpt";
                case SmtpSessionState.WaitingForRcptOrData: return "WaitingForRcptOrData";
                default: return "WaitingForAuthResponse";
            }
        }
    }
}
