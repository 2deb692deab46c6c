// Every fixed POP3 reply, defined once as bytes (ARCHITECTURE.md, Protocol sessions). Response codes in
// brackets are RFC 2449 §8 extended response codes: [IN-USE] and [LOGIN-DELAY] from
// RFC 2449 §8.1, [SYS/TEMP], [SYS/PERM] and [AUTH] from RFC 3206. POP3 has no RFC 3463
// enhanced status codes; these bracketed codes are its counterpart.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>Canned POP3 replies, CRLF included.</summary>
    public static class Pop3Replies
    {
        /// <summary>Sent by the listener loop when every session slot is taken (RFC 3206 §4: a transient condition).</summary>
        public static readonly byte[] TooManySessions = Ascii.GetBytes("-ERR [SYS/TEMP] too many sessions\r\n");

        /// <summary>Sent when the session's buffers cannot be rented (same cause as above: load).</summary>
        public static readonly byte[] OutOfBuffers = Ascii.GetBytes("-ERR [SYS/TEMP] server busy, try again later\r\n");

        /// <summary>
        /// Sent before hanging up after <see cref="Pop3ServerOptions.MaxErrors"/> refused commands.
        /// SYS/PERM (RFC 3206 §4: "unlikely to be resolved by simply retrying") because the
        /// client will make the same mistakes again; SYS/TEMP would invite a reconnect loop.
        /// </summary>
        public static readonly byte[] TooManyErrors = Ascii.GetBytes("-ERR [SYS/PERM] too many errors, closing connection\r\n");

        internal static readonly byte[] Ok = Ascii.GetBytes("+OK\r\n");
        internal static readonly byte[] OkPrefix = Ascii.GetBytes("+OK ");
        internal static readonly byte[] CrLf = Ascii.GetBytes("\r\n");
        internal static readonly byte[] Space = Ascii.GetBytes(" ");
        internal static readonly byte[] EndOfMultiline = Ascii.GetBytes(".\r\n");
        internal static readonly byte[] CrLfEndOfMultiline = Ascii.GetBytes("\r\n.\r\n");
        internal static readonly byte[] SaslContinue = Ascii.GetBytes("+ \r\n");

        internal static readonly byte[] UnknownCommand = Ascii.GetBytes("-ERR unknown command\r\n");
        internal static readonly byte[] WrongState = Ascii.GetBytes("-ERR command not valid in this state\r\n");
        internal static readonly byte[] LineTooLong = Ascii.GetBytes("-ERR line too long\r\n");
        internal static readonly byte[] SyntaxError = Ascii.GetBytes("-ERR syntax error in arguments\r\n");
        internal static readonly byte[] NoSuchMessage = Ascii.GetBytes("-ERR no such message\r\n");
        internal static readonly byte[] AlreadyDeleted = Ascii.GetBytes("-ERR message already deleted\r\n");

        internal static readonly byte[] SendPass = Ascii.GetBytes("+OK send PASS\r\n");
        internal static readonly byte[] AuthFailed = Ascii.GetBytes("-ERR [AUTH] invalid user name or password\r\n");
        internal static readonly byte[] InUse = Ascii.GetBytes("-ERR [IN-USE] maildrop is locked by another session\r\n");
        internal static readonly byte[] MaildropUnavailable = Ascii.GetBytes("-ERR [SYS/TEMP] maildrop unavailable\r\n");
        internal static readonly byte[] NoMaildrop = Ascii.GetBytes("-ERR [SYS/PERM] no maildrop for this user\r\n");
        internal static readonly byte[] ApopUnsupported = Ascii.GetBytes("-ERR APOP not supported, use USER/PASS or AUTH PLAIN over STLS\r\n");
        internal static readonly byte[] MechanismUnsupported = Ascii.GetBytes("-ERR unsupported authentication mechanism\r\n");
        internal static readonly byte[] AuthCancelled = Ascii.GetBytes("-ERR authentication cancelled\r\n");
        internal static readonly byte[] AuthMechanisms = Ascii.GetBytes("+OK\r\nPLAIN\r\n.\r\n");
        internal static readonly byte[] StlsUnavailable = Ascii.GetBytes("-ERR STLS not available\r\n");
        internal static readonly byte[] StlsGo = Ascii.GetBytes("+OK begin TLS negotiation\r\n");

        internal static readonly byte[] ScanListing = Ascii.GetBytes("+OK scan listing follows\r\n");
        internal static readonly byte[] UidListing = Ascii.GetBytes("+OK unique-id listing follows\r\n");
        internal static readonly byte[] TopFollows = Ascii.GetBytes("+OK top of message follows\r\n");
        internal static readonly byte[] Octets = Ascii.GetBytes(" octets\r\n");
        internal static readonly byte[] MaildropHas = Ascii.GetBytes("+OK maildrop has ");
        internal static readonly byte[] MessagesOpen = Ascii.GetBytes(" messages (");
        internal static readonly byte[] OctetsClose = Ascii.GetBytes(" octets)\r\n");
        internal static readonly byte[] Deleted = Ascii.GetBytes("+OK message deleted\r\n");
        internal static readonly byte[] Bye = Ascii.GetBytes("+OK bye\r\n");
        internal static readonly byte[] ByeDeleted = Ascii.GetBytes("+OK bye, deleted messages removed\r\n");
        internal static readonly byte[] NotAllRemoved = Ascii.GetBytes("-ERR [SYS/TEMP] some deleted messages not removed\r\n");

        // RFC 2449 §5 CAPA; §6 the tags. STLS (RFC 2595 §4) and SASL (RFC 2449 §6.3) are
        // added by the session only when they can be used.
        internal static readonly byte[] CapaHead = Ascii.GetBytes(
            "+OK capability list follows\r\n"
            + "USER\r\n"
            + "TOP\r\n"
            + "UIDL\r\n"
            + "RESP-CODES\r\n"
            + "AUTH-RESP-CODE\r\n"
            + "PIPELINING\r\n"
            + "EXPIRE NEVER\r\n"
            + "IMPLEMENTATION NanoMailGateway\r\n");
        internal static readonly byte[] CapaSaslPlain = Ascii.GetBytes("SASL PLAIN\r\n");
        internal static readonly byte[] CapaStls = Ascii.GetBytes("STLS\r\n");

        internal static readonly byte[] VerbPlain = Ascii.GetBytes("PLAIN");
    }
}
