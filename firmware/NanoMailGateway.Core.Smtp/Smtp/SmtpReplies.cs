// The canned replies of the SMTP listener (ARCHITECTURE.md, Protocol sessions). The codes follow
// RFC 5321 §4.2.2-4.2.3 and §4.5.3.1.10; the enhanced codes RFC 3463 (and RFC 4954 §6
// for AUTH, RFC 3207 §4 for STARTTLS, RFC 1870 for SIZE).
// They are string constants, in the form SmtpReply describes: a literal stays in the
// assembly's string table (flash on the board), while a static object would be built at
// boot and hold managed heap for the whole run on nanoCLR (ARCHITECTURE.md, Memory). The
// session encodes a reply into its output buffer when it sends it.

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Canned reply texts, without the final CRLF. Thread-safe (constants).</summary>
    public static class SmtpReplies
    {
        public const string Ok = "250 2.0.0 Ok";

        /// <summary>The reply to a committed message without its queue id, which follows it.</summary>
        public const string Queued = "250 2.0.0 Ok: queued as ";

        public const string SenderOk = "250 2.1.0 Ok";
        public const string RecipientOk = "250 2.1.5 Ok";
        public const string Bye = "221 2.0.0 Bye";
        public const string StartData = "354 End data with <CR><LF>.<CR><LF>";
        public const string CannotVerify = "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery";
        public const string Help = "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS AUTH";
        public const string ReadyToStartTls = "220 2.0.0 Ready to start TLS";
        public const string AuthOk = "235 2.7.0 Authentication successful";
        public const string AuthEmptyChallenge = "334 ";
        public const string AuthUsernameChallenge = "334 VXNlcm5hbWU6";   // "Username:"
        public const string AuthPasswordChallenge = "334 UGFzc3dvcmQ6";   // "Password:"

        public const string TooBusy = "421 4.3.2 Too many connections, try again later";
        public const string TooManyErrors = "421 4.7.0 Too many errors, closing connection";
        public const string Timeout = "421 4.4.2 Timeout exceeded, closing connection";
        public const string DataTooSlow = "421 4.4.2 Data arriving too slowly, closing connection";
        public const string TooManyJunkCommands = "421 4.7.0 Too many commands without mail, closing connection";
        public const string CommitFailed = "451 4.3.0 Error: queue file write error";
        public const string StorageFull = "452 4.3.1 Insufficient system storage";
        public const string ClientShareFull = "452 4.3.1 Queue share of this client used up, try again later";
        public const string ClientRateLimited = "450 4.7.1 Too much mail from this client, try again later";
        public const string MailboxFull = "452 4.2.2 Mailbox full, try again later";
        public const string TooManyRecipients = "452 4.5.3 Too many recipients";
        public const string TlsNotAvailable = "454 4.7.0 TLS not available";

        public const string LineTooLong = "500 5.5.2 Line too long";
        public const string AuthLineTooLong = "500 5.5.6 Authentication exchange line is too long";
        public const string UnknownCommand = "502 5.5.2 Error: command not recognized";
        public const string NotImplemented = "502 5.5.1 Error: command not implemented";
        public const string SyntaxHelo = "501 5.5.4 Syntax: EHLO hostname";
        public const string SyntaxMail = "501 5.5.4 Syntax: MAIL FROM:<address>";
        public const string SyntaxRcpt = "501 5.5.4 Syntax: RCPT TO:<address>";
        public const string NoArguments = "501 5.5.4 Syntax: no parameters allowed";
        public const string BadSender = "501 5.1.7 Bad sender address syntax";
        public const string BadRecipient = "501 5.1.3 Bad recipient address syntax";
        public const string PathTooLong = "501 5.1.3 Path too long";
        public const string BadParameter = "501 5.5.4 Invalid parameter value";
        public const string UnknownParameter = "555 5.5.4 Unsupported MAIL FROM/RCPT TO parameter";
        public const string BadSequence = "503 5.5.1 Error: bad sequence of commands";
        public const string NeedHelo = "503 5.5.1 Error: send HELO/EHLO first";
        public const string NeedMail = "503 5.5.1 Error: need MAIL command";
        public const string NeedRcpt = "503 5.5.1 Error: need RCPT command";
        public const string NestedMail = "503 5.5.1 Error: nested MAIL command";
        public const string AlreadyAuthenticated = "503 5.5.1 Error: already authenticated";
        public const string AlreadySecure = "503 5.5.1 Error: TLS already active";
        public const string AuthNotEnabled = "503 5.5.1 Error: authentication not enabled";
        public const string UnknownMechanism = "504 5.5.4 Unrecognized authentication mechanism";
        public const string AuthCancelled = "501 5.0.0 Authentication cancelled";
        public const string AuthBadEncoding = "501 5.5.2 Cannot decode response";
        public const string AuthFailed = "535 5.7.8 Authentication credentials invalid";
        public const string EncryptionRequired = "538 5.7.11 Encryption required for requested authentication mechanism";
        public const string MessageTooBig = "552 5.3.4 Message size exceeds fixed limit";
        public const string MessageLineTooLong = "554 5.6.0 Message line exceeds 1000 octets";
        public const string MailLoop = "554 5.4.6 Too many Received: headers, mail loop";
        public const string UnknownMailbox = "550 5.1.1 Recipient address rejected: no such mailbox here";
        public const string RelayDenied = "554 5.7.1 Relay access denied";
        public const string NoValidRecipients = "554 5.5.1 Error: no valid recipients";
    }
}
