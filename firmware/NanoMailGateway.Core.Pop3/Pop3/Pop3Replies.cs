// Every fixed POP3 reply, defined once (ARCHITECTURE.md, Protocol sessions). Response codes in
// brackets are RFC 2449 §8 extended response codes: [IN-USE] and [LOGIN-DELAY] from
// RFC 2449 §8.1, [SYS/TEMP], [SYS/PERM] and [AUTH] from RFC 3206. POP3 has no RFC 3463
// enhanced status codes; these bracketed codes are its counterpart.
// The replies are string constants that the session copies into its output buffer: a
// literal stays in the assembly's string table (flash on the board; each use takes a
// one-block string header that points there, garbage right after), while a static
// byte[] would be built at boot and hold managed heap for the whole run on nanoCLR
// (ARCHITECTURE.md, Memory). All of them are US-ASCII.

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>Canned POP3 replies, CRLF included (US-ASCII string constants).</summary>
    public static class Pop3Replies
    {
        /// <summary>Sent by the listener loop when every session slot is taken (RFC 3206 §4: a transient condition).</summary>
        public const string TooManySessions = "-ERR [SYS/TEMP] too many sessions\r\n";

        /// <summary>Sent when the session's buffers cannot be rented (same cause as above: load).</summary>
        public const string OutOfBuffers = "-ERR [SYS/TEMP] server busy, try again later\r\n";

        /// <summary>
        /// Sent before hanging up after <see cref="Pop3ServerOptions.MaxErrors"/> refused commands.
        /// SYS/PERM (RFC 3206 §4: "unlikely to be resolved by simply retrying") because the
        /// client will make the same mistakes again; SYS/TEMP would invite a reconnect loop.
        /// </summary>
        public const string TooManyErrors = "-ERR [SYS/PERM] too many errors, closing connection\r\n";

        internal const string Ok = "+OK\r\n";
        internal const string OkPrefix = "+OK ";
        internal const string CrLf = "\r\n";
        internal const string Space = " ";
        internal const string EndOfMultiline = ".\r\n";
        internal const string CrLfEndOfMultiline = "\r\n.\r\n";
        internal const string SaslContinue = "+ \r\n";

        internal const string UnknownCommand = "-ERR unknown command\r\n";
        internal const string WrongState = "-ERR command not valid in this state\r\n";
        internal const string LineTooLong = "-ERR line too long\r\n";
        internal const string SyntaxError = "-ERR syntax error in arguments\r\n";
        internal const string NoSuchMessage = "-ERR no such message\r\n";
        internal const string AlreadyDeleted = "-ERR message already deleted\r\n";

        internal const string SendPass = "+OK send PASS\r\n";
        internal const string AuthFailed = "-ERR [AUTH] invalid user name or password\r\n";
        internal const string InUse = "-ERR [IN-USE] maildrop is locked by another session\r\n";
        internal const string MaildropUnavailable = "-ERR [SYS/TEMP] maildrop unavailable\r\n";
        internal const string NoMaildrop = "-ERR [SYS/PERM] no maildrop for this user\r\n";
        internal const string ApopUnsupported = "-ERR APOP not supported, use USER/PASS or AUTH PLAIN over STLS\r\n";
        internal const string MechanismUnsupported = "-ERR unsupported authentication mechanism\r\n";
        internal const string AuthCancelled = "-ERR authentication cancelled\r\n";
        internal const string AuthMechanisms = "+OK\r\nPLAIN\r\n.\r\n";
        internal const string StlsUnavailable = "-ERR STLS not available\r\n";
        internal const string StlsGo = "+OK begin TLS negotiation\r\n";

        internal const string ScanListing = "+OK scan listing follows\r\n";
        internal const string UidListing = "+OK unique-id listing follows\r\n";
        internal const string TopFollows = "+OK top of message follows\r\n";
        internal const string Octets = " octets\r\n";
        internal const string MaildropHas = "+OK maildrop has ";
        internal const string MessagesOpen = " messages (";
        internal const string OctetsClose = " octets)\r\n";
        internal const string Deleted = "+OK message deleted\r\n";
        internal const string Bye = "+OK bye\r\n";
        internal const string ByeDeleted = "+OK bye, deleted messages removed\r\n";
        internal const string NotAllRemoved = "-ERR [SYS/TEMP] some deleted messages not removed\r\n";

        // RFC 2449 §5 CAPA; §6 the tags. STLS (RFC 2595 §4) and SASL (RFC 2449 §6.3) are
        // added by the session only when they can be used.
        internal const string CapaHead =
            "+OK capability list follows\r\n"
            + "USER\r\n"
            + "TOP\r\n"
            + "UIDL\r\n"
            + "RESP-CODES\r\n"
            + "AUTH-RESP-CODE\r\n"
            + "PIPELINING\r\n"
            + "EXPIRE NEVER\r\n"
            + "IMPLEMENTATION NanoMailGateway\r\n";
        internal const string CapaSaslPlain = "SASL PLAIN\r\n";
        internal const string CapaStls = "STLS\r\n";

        internal const string VerbPlain = "PLAIN";
    }
}
