// The IMAP commands this server knows and the table of the states each is allowed in
// (RFC 9051 §6: "any state", §6.2 Not Authenticated, §6.3 Authenticated, §6.4 Selected).
// A table in code, not data: a switch costs no heap (ARCHITECTURE.md, Memory).

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>IMAP commands.</summary>
    internal enum ImapCommand
    {
        Unknown = 0,
        Capability, Noop, Logout,                                  // §6.1, any state
        StartTls, Login, Authenticate,                             // §6.2
        Enable, Namespace, Id, List, Lsub, Status, Select, Examine, Subscribe,
        Unsupported,                                               // CREATE, DELETE, RENAME, APPEND, ...: NO [CANNOT]
        Close, Unselect, Check, Expunge, Fetch, Store, Search, Idle, // §6.4 (and UID variants)
    }

    /// <summary>Command names and the state table.</summary>
    internal static class ImapCommands
    {
        /// <summary>The command named by the octets (ignoring case); after "UID " only FETCH, STORE, SEARCH, EXPUNGE.</summary>
        internal static ImapCommand Parse(byte[] b, int start, int length, bool uid)
        {
            if (uid)
            {
                if (Ascii.EqualsIgnoreCase(b, start, length, "FETCH")) return ImapCommand.Fetch;
                if (Ascii.EqualsIgnoreCase(b, start, length, "STORE")) return ImapCommand.Store;
                if (Ascii.EqualsIgnoreCase(b, start, length, "SEARCH")) return ImapCommand.Search;
                if (Ascii.EqualsIgnoreCase(b, start, length, "EXPUNGE")) return ImapCommand.Expunge;
                if (Ascii.EqualsIgnoreCase(b, start, length, "COPY") || Ascii.EqualsIgnoreCase(b, start, length, "MOVE")) return ImapCommand.Unsupported;
                return ImapCommand.Unknown;
            }
            switch (length)
            {
                case 2:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "ID")) return ImapCommand.Id;
                    break;
                case 4:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "NOOP")) return ImapCommand.Noop;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "LIST")) return ImapCommand.List;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "LSUB")) return ImapCommand.Lsub;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "IDLE")) return ImapCommand.Idle;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "COPY") || Ascii.EqualsIgnoreCase(b, start, length, "MOVE")) return ImapCommand.Unsupported;
                    break;
                case 5:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "LOGIN")) return ImapCommand.Login;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "FETCH")) return ImapCommand.Fetch;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "STORE")) return ImapCommand.Store;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "CLOSE")) return ImapCommand.Close;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "CHECK")) return ImapCommand.Check;
                    break;
                case 6:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "LOGOUT")) return ImapCommand.Logout;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "ENABLE")) return ImapCommand.Enable;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "STATUS")) return ImapCommand.Status;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "SELECT")) return ImapCommand.Select;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "SEARCH")) return ImapCommand.Search;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "CREATE") || Ascii.EqualsIgnoreCase(b, start, length, "DELETE")
                        || Ascii.EqualsIgnoreCase(b, start, length, "RENAME") || Ascii.EqualsIgnoreCase(b, start, length, "APPEND"))
                    {
                        return ImapCommand.Unsupported;
                    }
                    break;
                case 7:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "EXAMINE")) return ImapCommand.Examine;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "EXPUNGE")) return ImapCommand.Expunge;
                    break;
                case 8:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "STARTTLS")) return ImapCommand.StartTls;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "UNSELECT")) return ImapCommand.Unselect;
                    break;
                case 9:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "NAMESPACE")) return ImapCommand.Namespace;
                    if (Ascii.EqualsIgnoreCase(b, start, length, "SUBSCRIBE")) return ImapCommand.Subscribe;
                    break;
                case 10:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "CAPABILITY")) return ImapCommand.Capability;
                    break;
                case 11:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "UNSUBSCRIBE")) return ImapCommand.Subscribe;
                    break;
                case 12:
                    if (Ascii.EqualsIgnoreCase(b, start, length, "AUTHENTICATE")) return ImapCommand.Authenticate;
                    break;
            }
            return ImapCommand.Unknown;
        }

        /// <summary>True when <paramref name="command"/> may be given in <paramref name="state"/>.</summary>
        internal static bool IsAllowed(ImapState state, ImapCommand command)
        {
            switch (command)
            {
                case ImapCommand.Capability:
                case ImapCommand.Noop:
                case ImapCommand.Logout:
                case ImapCommand.Id:
                    return true;
                case ImapCommand.StartTls:
                case ImapCommand.Login:
                case ImapCommand.Authenticate:
                    return state == ImapState.WaitingForLogin;
                case ImapCommand.Close:
                case ImapCommand.Unselect:
                case ImapCommand.Check:
                case ImapCommand.Expunge:
                case ImapCommand.Fetch:
                case ImapCommand.Store:
                case ImapCommand.Search:
                    return state == ImapState.WaitingForMailboxCommand;
                default:
                    // Authenticated-state commands stay valid once a mailbox is selected (RFC 9051 §3).
                    return state == ImapState.WaitingForSelect || state == ImapState.WaitingForMailboxCommand;
            }
        }
    }
}
