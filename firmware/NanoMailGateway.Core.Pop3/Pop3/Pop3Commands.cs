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
        // Indexed by Pop3Command value.
        private static readonly byte[][] Verbs =
        {
            new byte[0],
            Ascii.GetBytes("USER"), Ascii.GetBytes("PASS"), Ascii.GetBytes("APOP"), Ascii.GetBytes("AUTH"),
            Ascii.GetBytes("STLS"), Ascii.GetBytes("CAPA"), Ascii.GetBytes("QUIT"), Ascii.GetBytes("STAT"),
            Ascii.GetBytes("LIST"), Ascii.GetBytes("RETR"), Ascii.GetBytes("DELE"), Ascii.GetBytes("NOOP"),
            Ascii.GetBytes("RSET"), Ascii.GetBytes("TOP"), Ascii.GetBytes("UIDL"),
        };

        private static int Bit(Pop3Command c)
        {
            return 1 << (int)c;
        }

        // Indexed by Pop3State value: the commands each state accepts.
        private static readonly int[] Allowed =
        {
            // WaitingForLogin (AUTHORIZATION, RFC 1939 §4; STLS only here, RFC 2595 §4).
            Bit(Pop3Command.User) | Bit(Pop3Command.Apop) | Bit(Pop3Command.Auth) | Bit(Pop3Command.Stls)
                | Bit(Pop3Command.Capa) | Bit(Pop3Command.Quit),
            // WaitingForPassword: RFC 1939 §7 USER: "the client may issue either the PASS
            // command ... or the QUIT command"; USER again restarts, CAPA is allowed in
            // AUTHORIZATION (RFC 2449 §5).
            Bit(Pop3Command.User) | Bit(Pop3Command.Pass) | Bit(Pop3Command.Capa) | Bit(Pop3Command.Quit),
            // WaitingForSaslResponse: the line is a SASL response, never a command.
            0,
            // WaitingForMailCommand (TRANSACTION, RFC 1939 §5; CAPA per RFC 2449 §5).
            Bit(Pop3Command.Stat) | Bit(Pop3Command.List) | Bit(Pop3Command.Retr) | Bit(Pop3Command.Dele)
                | Bit(Pop3Command.Noop) | Bit(Pop3Command.Rset) | Bit(Pop3Command.Top) | Bit(Pop3Command.Uidl)
                | Bit(Pop3Command.Capa) | Bit(Pop3Command.Quit),
            // Updating, Closed: nothing is read any more.
            0,
            0,
        };

        /// <summary>
        /// The command named by the verb in buffer[offset .. offset+count) (the line up to the
        /// first space), or <see cref="Pop3Command.Unknown"/>.
        /// </summary>
        public static Pop3Command Parse(byte[] buffer, int offset, int count)
        {
            for (int i = 1; i < Verbs.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(buffer, offset, count, Verbs[i])) return (Pop3Command)i;
            }
            return Pop3Command.Unknown;
        }

        /// <summary>True when <paramref name="state"/> accepts <paramref name="command"/>.</summary>
        public static bool IsAllowed(Pop3State state, Pop3Command command)
        {
            int s = (int)state;
            if (s < 0 || s >= Allowed.Length || command == Pop3Command.Unknown) return false;
            return (Allowed[s] & Bit(command)) != 0;
        }
    }
}
