// The states of an IMAP session (RFC 9051 §3), named for what the session waits for,
// and their names for logs (enum.ToString() prints a number on the device).

namespace NanoMailGateway.Core.Imap
{
    /// <summary>IMAP connection states (RFC 9051 §3).</summary>
    internal enum ImapState
    {
        /// <summary>Not Authenticated: LOGIN, AUTHENTICATE, STARTTLS (RFC 9051 §3.1).</summary>
        WaitingForLogin = 0,

        /// <summary>Authenticated: SELECT, EXAMINE, LIST, STATUS, ENABLE (§3.2).</summary>
        WaitingForSelect = 1,

        /// <summary>Selected: FETCH, STORE, SEARCH, EXPUNGE, IDLE (§3.3).</summary>
        WaitingForMailboxCommand = 2,

        /// <summary>Logout: the connection is being closed (§3.4).</summary>
        Closed = 3,
    }

    /// <summary>Names of <see cref="ImapState"/> values for logs.</summary>
    internal static class ImapStates
    {
        internal static string Name(ImapState state)
        {
            switch (state)
            {
                case ImapState.WaitingForLogin: return "not authenticated";
                case ImapState.WaitingForSelect: return "authenticated";
                case ImapState.WaitingForMailboxCommand: return "selected";
                default: return "logout";
            }
        }
    }
}
