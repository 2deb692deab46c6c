// The POP3 command verbs and the table of which state allows which command
// (ARCHITECTURE.md, Protocol sessions; RFC 1939 §4-§7, RFC 2449 §5 CAPA, RFC 2595 §4 STLS, RFC 5034 §4 AUTH).
// Verbs are matched case-insensitively in place on the line buffer (RFC 1939 §3:
// "keywords are case insensitive"). APOP is known so that it gets a clear "not
// supported" instead of "unknown command" (see IMailboxAuthenticator for why it is absent).

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>POP3 commands; the value is the bit in <see cref="Pop3Commands"/>'s state table.</summary>
    public enum Pop3Command
    {
        /// <summary>Not a POP3 verb we know.</summary>
        Unknown = 0,
        /// <summary>USER name (RFC 1939 §7).</summary>
        User = 1,
        /// <summary>PASS string (RFC 1939 §7).</summary>
        Pass = 2,
        /// <summary>APOP name digest (RFC 1939 §7); refused, see IMailboxAuthenticator.</summary>
        Apop = 3,
        /// <summary>AUTH mechanism [initial-response] (RFC 5034 §4).</summary>
        Auth = 4,
        /// <summary>STLS (RFC 2595 §4).</summary>
        Stls = 5,
        /// <summary>CAPA (RFC 2449 §5).</summary>
        Capa = 6,
        /// <summary>QUIT (RFC 1939 §5, §6).</summary>
        Quit = 7,
        /// <summary>STAT (RFC 1939 §5).</summary>
        Stat = 8,
        /// <summary>LIST [msg] (RFC 1939 §5).</summary>
        List = 9,
        /// <summary>RETR msg (RFC 1939 §5).</summary>
        Retr = 10,
        /// <summary>DELE msg (RFC 1939 §5).</summary>
        Dele = 11,
        /// <summary>NOOP (RFC 1939 §5).</summary>
        Noop = 12,
        /// <summary>RSET (RFC 1939 §5).</summary>
        Rset = 13,
        /// <summary>TOP msg n (RFC 1939 §7).</summary>
        Top = 14,
        /// <summary>UIDL [msg] (RFC 1939 §7).</summary>
        Uidl = 15,
    }

    /// <summary>Verb recognition and the per-state command table.</summary>
    public static class Pop3Commands
    {
        // Both tables are code, not static arrays: nanoCLR builds every static array at boot
        // and keeps it as managed heap for the whole run (ARCHITECTURE.md, Memory).

        // The commands each state accepts, one bit per Pop3Command value.
        // WaitingForLogin (AUTHORIZATION, RFC 1939 §4; STLS only here, RFC 2595 §4).
        private const int InLogin = 1 << (int)Pop3Command.User | 1 << (int)Pop3Command.Apop | 1 << (int)Pop3Command.Auth
            | 1 << (int)Pop3Command.Stls | 1 << (int)Pop3Command.Capa | 1 << (int)Pop3Command.Quit;

        // WaitingForPassword: RFC 1939 §7 USER: "the client may issue either the PASS
        // command ... or the QUIT command"; USER again restarts, CAPA is allowed in
        // AUTHORIZATION (RFC 2449 §5).
        private const int InPassword = 1 << (int)Pop3Command.User | 1 << (int)Pop3Command.Pass
            | 1 << (int)Pop3Command.Capa | 1 << (int)Pop3Command.Quit;

        // WaitingForMailCommand (TRANSACTION, RFC 1939 §5; CAPA per RFC 2449 §5).
        private const int InTransaction = 1 << (int)Pop3Command.Stat | 1 << (int)Pop3Command.List
            | 1 << (int)Pop3Command.Retr | 1 << (int)Pop3Command.Dele | 1 << (int)Pop3Command.Noop
            | 1 << (int)Pop3Command.Rset | 1 << (int)Pop3Command.Top | 1 << (int)Pop3Command.Uidl
            | 1 << (int)Pop3Command.Capa | 1 << (int)Pop3Command.Quit;

        /// <summary>
        /// The command named by the verb in buffer[offset .. offset+count) (the line up to the
        /// first space), or <see cref="Pop3Command.Unknown"/>.
        /// </summary>
        public static Pop3Command Parse(byte[] buffer, int offset, int count)
        {
            // Every verb is three or four letters: fold them to upper case into one number,
            // big-endian ("USER" is 'U' << 24 | 'S' << 16 | 'E' << 8 | 'R'), and switch on it.
            if (count < 3 || count > 4) return Pop3Command.Unknown;
            int key = 0;
            for (int i = 0; i < count; i++) key = key << 8 | Ascii.ToUpper(buffer[offset + i]);
            if (count == 3) return key == ('T' << 16 | 'O' << 8 | 'P') ? Pop3Command.Top : Pop3Command.Unknown;
            switch (key)
            {
                case 'U' << 24 | 'S' << 16 | 'E' << 8 | 'R': return Pop3Command.User;
                case 'P' << 24 | 'A' << 16 | 'S' << 8 | 'S': return Pop3Command.Pass;
                case 'A' << 24 | 'P' << 16 | 'O' << 8 | 'P': return Pop3Command.Apop;
                case 'A' << 24 | 'U' << 16 | 'T' << 8 | 'H': return Pop3Command.Auth;
                case 'S' << 24 | 'T' << 16 | 'L' << 8 | 'S': return Pop3Command.Stls;
                case 'C' << 24 | 'A' << 16 | 'P' << 8 | 'A': return Pop3Command.Capa;
                case 'Q' << 24 | 'U' << 16 | 'I' << 8 | 'T': return Pop3Command.Quit;
                case 'S' << 24 | 'T' << 16 | 'A' << 8 | 'T': return Pop3Command.Stat;
                case 'L' << 24 | 'I' << 16 | 'S' << 8 | 'T': return Pop3Command.List;
                case 'R' << 24 | 'E' << 16 | 'T' << 8 | 'R': return Pop3Command.Retr;
                case 'D' << 24 | 'E' << 16 | 'L' << 8 | 'E': return Pop3Command.Dele;
                case 'N' << 24 | 'O' << 16 | 'O' << 8 | 'P': return Pop3Command.Noop;
                case 'R' << 24 | 'S' << 16 | 'E' << 8 | 'T': return Pop3Command.Rset;
                case 'U' << 24 | 'I' << 16 | 'D' << 8 | 'L': return Pop3Command.Uidl;
                default: return Pop3Command.Unknown;
            }
        }

        /// <summary>True when <paramref name="state"/> accepts <paramref name="command"/>.</summary>
        public static bool IsAllowed(Pop3State state, Pop3Command command)
        {
            if (command == Pop3Command.Unknown) return false;
            return (AllowedIn(state) & 1 << (int)command) != 0;
        }

        private static int AllowedIn(Pop3State state)
        {
            switch (state)
            {
                case Pop3State.WaitingForLogin: return InLogin;
                case Pop3State.WaitingForPassword: return InPassword;
                case Pop3State.WaitingForMailCommand: return InTransaction;
                // WaitingForSaslResponse: the line is a SASL response, never a command.
                // Updating, Closed: nothing is read any more.
                default: return 0;
            }
        }
    }
}
