// The fixed texts of the IMAP server, defined once (string constants stay in the
// assembly's string table, not on the heap: ARCHITECTURE.md, Memory). Response codes are
// RFC 9051 §7.1's; each refusal carries one so that a client can act on it.

namespace NanoMailGateway.Core.Imap
{
    /// <summary>IMAP response texts.</summary>
    internal static class ImapReplies
    {
        internal const string CrLf = "\r\n";
        internal const string Untagged = "* ";
        internal const string Ok = " OK ";
        internal const string No = " NO ";
        internal const string Bad = " BAD ";

        // RFC 9051 §7.2.2; IMAP4rev1 is also offered so that rev1 clients keep working
        // (§2.3 of RFC 9051's appendix E: a server that offers both behaves as rev1 until
        // the client sends ENABLE IMAP4rev2).
        internal const string CapabilityBase = "CAPABILITY IMAP4rev2 IMAP4rev1 LITERAL- SASL-IR ENABLE IDLE NAMESPACE UNSELECT ID";
        internal const string CapStartTls = " STARTTLS";
        internal const string CapLoginDisabled = " LOGINDISABLED";
        internal const string CapAuthPlain = " AUTH=PLAIN";

        internal const string Completed = "completed";
        internal const string ContinueLiteral = "+ Ready for literal data\r\n";
        internal const string ContinueSasl = "+ \r\n";
        internal const string ContinueIdle = "+ idling\r\n";
        internal const string Bye = "* BYE NanoMailGateway logging out\r\n";
        internal const string ByeAutologout = "* BYE [UNAVAILABLE] Autologout; idle for too long\r\n";
        internal const string ByeErrors = "* BYE [CLIENTBUG] Too many errors\r\n";
        internal const string ByeBusy = "* BYE [UNAVAILABLE] Server busy, try again later\r\n";
        internal const string ByeTooManySessions = "* BYE [UNAVAILABLE] Too many sessions, try again later\r\n";

        internal const string SyntaxError = "[CLIENTBUG] Syntax error";
        internal const string UnknownCommand = "[CLIENTBUG] Unknown command";
        internal const string WrongState = "[CLIENTBUG] Command not valid in this state";
        internal const string LineTooLong = "[TOOBIG] Command line too long";
        internal const string LiteralTooBig = "[TOOBIG] Literal too big";
        internal const string BadSequence = "[CLIENTBUG] Invalid message sequence number";
        internal const string LoginFailed = "[AUTHENTICATIONFAILED] Authentication failed";
        internal const string PrivacyRequired = "[PRIVACYREQUIRED] Use STARTTLS or a trusted network to log in";
        internal const string Cancelled = "[CLIENTBUG] Authentication cancelled";
        internal const string MechanismUnsupported = "[CANNOT] Only AUTHENTICATE PLAIN is supported";
        internal const string NoMailbox = "[NONEXISTENT] Only INBOX exists here";
        internal const string Cannot = "[CANNOT] Only one INBOX per account; no folders, no APPEND, COPY or MOVE";
        internal const string ReadOnly = "[READ-ONLY] Mailbox is read-only";
        internal const string StorageFailed = "[SERVERBUG] Storage failed";
        internal const string TlsUnavailable = "[CANNOT] STARTTLS not available";
        internal const string TlsGo = "Begin TLS negotiation now";
        internal const string IdleDone = "IDLE terminated";
        internal const string NoIdleDone = "[CLIENTBUG] Expected DONE";

        internal const string Inbox = "INBOX";
        internal const string Flags = "* FLAGS (\\Seen \\Deleted)\r\n";
        internal const string PermanentFlagsRw = "* OK [PERMANENTFLAGS (\\Seen \\Deleted)] Flags kept in flash\r\n";
        internal const string PermanentFlagsRo = "* OK [PERMANENTFLAGS ()] Read-only\r\n";
        internal const string Namespace = "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n";
        internal const string ListInbox = " () \"/\" INBOX\r\n";
        internal const string ListRoot = " (\\Noselect) \"/\" \"\"\r\n";
        internal const string IdNil = "* ID (\"name\" \"NanoMailGateway\")\r\n";

        /// <summary>
        /// UIDVALIDITY of every mailbox (RFC 9051 §2.3.1.1): UIDs are the store's sequence
        /// numbers, never reused for the life of the store, so the value never has to change.
        /// </summary>
        internal const long UidValidity = 1;
    }
}
