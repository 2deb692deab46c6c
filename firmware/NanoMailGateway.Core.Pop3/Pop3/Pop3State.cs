// The states of a POP3 session, named for what each waits for (ARCHITECTURE.md, Protocol sessions), and the
// RFC 1939 §3 state each belongs to:
//   WaitingForLogin, WaitingForPassword, WaitingForSaslResponse  -> AUTHORIZATION
//   WaitingForMailCommand                                         -> TRANSACTION
//   Updating                                                      -> UPDATE (after QUIT)
//   Closed                                                        -> connection gone
// enum.ToString() prints a number on the device, so logs use Pop3States.Name.

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>What a POP3 session waits for next.</summary>
    public enum Pop3State
    {
        /// <summary>AUTHORIZATION: greeting sent; USER, AUTH, STLS, CAPA or QUIT.</summary>
        WaitingForLogin = 0,

        /// <summary>AUTHORIZATION: USER accepted; PASS (or QUIT, CAPA, USER again).</summary>
        WaitingForPassword = 1,

        /// <summary>AUTHORIZATION: "+ " sent after AUTH PLAIN; a base64 response line or "*".</summary>
        WaitingForSaslResponse = 2,

        /// <summary>TRANSACTION: maildrop locked and open; STAT, LIST, RETR, DELE ...</summary>
        WaitingForMailCommand = 3,

        /// <summary>UPDATE: QUIT received in TRANSACTION; deletions are being applied.</summary>
        Updating = 4,

        /// <summary>The session is over.</summary>
        Closed = 5,
    }

    /// <summary>State names for logs.</summary>
    public static class Pop3States
    {
        /// <summary>Lower-case name of <paramref name="state"/> for the log.</summary>
        public static string Name(Pop3State state)
        {
            // A switch of literals rather than a static string[]: literals stay in flash, a
            // static array is heap from boot on nanoCLR (ARCHITECTURE.md, Memory).
            switch (state)
            {
                case Pop3State.WaitingForLogin: return "waiting-for-login";
                case Pop3State.WaitingForPassword: return "waiting-for-password";
                case Pop3State.WaitingForSaslResponse: return "waiting-for-sasl-response";
                case Pop3State.WaitingForMailCommand: return "transaction";
                case Pop3State.Updating: return "update";
                case Pop3State.Closed: return "closed";
                default: return "unknown";
            }
        }
    }
}
