// The canned replies of the SMTP listener, made once (ARCHITECTURE.md, Protocol sessions). The codes follow
// RFC 5321 §4.2.2-4.2.3 and §4.5.3.1.10; the enhanced codes RFC 3463 (and RFC 4954 §6
// for AUTH, RFC 3207 §4 for STARTTLS, RFC 1870 for SIZE).

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Shared canned replies. Thread-safe (immutable).</summary>
    public static class SmtpReplies
    {
        public static readonly SmtpReply Ok = new SmtpReply("250 2.0.0 Ok");
        public static readonly SmtpReply SenderOk = new SmtpReply("250 2.1.0 Ok");
        public static readonly SmtpReply RecipientOk = new SmtpReply("250 2.1.5 Ok");
        public static readonly SmtpReply Bye = new SmtpReply("221 2.0.0 Bye");
        public static readonly SmtpReply StartData = new SmtpReply("354 End data with <CR><LF>.<CR><LF>");
        public static readonly SmtpReply CannotVerify = new SmtpReply("252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery");
        public static readonly SmtpReply Help = new SmtpReply("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS AUTH");
        public static readonly SmtpReply ReadyToStartTls = new SmtpReply("220 2.0.0 Ready to start TLS");
        public static readonly SmtpReply AuthOk = new SmtpReply("235 2.7.0 Authentication successful");
        public static readonly SmtpReply AuthEmptyChallenge = new SmtpReply("334 ");
        public static readonly SmtpReply AuthUsernameChallenge = new SmtpReply("334 VXNlcm5hbWU6");   // "Username:"
        public static readonly SmtpReply AuthPasswordChallenge = new SmtpReply("334 UGFzc3dvcmQ6");   // "Password:"

        public static readonly SmtpReply TooBusy = new SmtpReply("421 4.3.2 Too many connections, try again later");
        public static readonly SmtpReply TooManyErrors = new SmtpReply("421 4.7.0 Too many errors, closing connection");
        public static readonly SmtpReply Timeout = new SmtpReply("421 4.4.2 Timeout exceeded, closing connection");
        public static readonly SmtpReply CommitFailed = new SmtpReply("451 4.3.0 Error: queue file write error");
        public static readonly SmtpReply StorageFull = new SmtpReply("452 4.3.1 Insufficient system storage");
        public static readonly SmtpReply MailboxFull = new SmtpReply("452 4.2.2 Mailbox full, try again later");
        public static readonly SmtpReply TooManyRecipients = new SmtpReply("452 4.5.3 Too many recipients");
        public static readonly SmtpReply TlsNotAvailable = new SmtpReply("454 4.7.0 TLS not available");

        public static readonly SmtpReply LineTooLong = new SmtpReply("500 5.5.2 Line too long");
        public static readonly SmtpReply AuthLineTooLong = new SmtpReply("500 5.5.6 Authentication exchange line is too long");
        public static readonly SmtpReply UnknownCommand = new SmtpReply("502 5.5.2 Error: command not recognized");
        public static readonly SmtpReply NotImplemented = new SmtpReply("502 5.5.1 Error: command not implemented");
        public static readonly SmtpReply SyntaxHelo = new SmtpReply("501 5.5.4 Syntax: EHLO hostname");
        public static readonly SmtpReply SyntaxMail = new SmtpReply("501 5.5.4 Syntax: MAIL FROM:<address>");
        public static readonly SmtpReply SyntaxRcpt = new SmtpReply("501 5.5.4 Syntax: RCPT TO:<address>");
        public static readonly SmtpReply NoArguments = new SmtpReply("501 5.5.4 Syntax: no parameters allowed");
        public static readonly SmtpReply BadSender = new SmtpReply("501 5.1.7 Bad sender address syntax");
        public static readonly SmtpReply BadRecipient = new SmtpReply("501 5.1.3 Bad recipient address syntax");
        public static readonly SmtpReply PathTooLong = new SmtpReply("501 5.1.3 Path too long");
        public static readonly SmtpReply BadParameter = new SmtpReply("501 5.5.4 Invalid parameter value");
        public static readonly SmtpReply UnknownParameter = new SmtpReply("555 5.5.4 Unsupported MAIL FROM/RCPT TO parameter");
        public static readonly SmtpReply BadSequence = new SmtpReply("503 5.5.1 Error: bad sequence of commands");
        public static readonly SmtpReply NeedHelo = new SmtpReply("503 5.5.1 Error: send HELO/EHLO first");
        public static readonly SmtpReply NeedMail = new SmtpReply("503 5.5.1 Error: need MAIL command");
        public static readonly SmtpReply NeedRcpt = new SmtpReply("503 5.5.1 Error: need RCPT command");
        public static readonly SmtpReply NestedMail = new SmtpReply("503 5.5.1 Error: nested MAIL command");
        public static readonly SmtpReply AlreadyAuthenticated = new SmtpReply("503 5.5.1 Error: already authenticated");
        public static readonly SmtpReply AlreadySecure = new SmtpReply("503 5.5.1 Error: TLS already active");
        public static readonly SmtpReply AuthNotEnabled = new SmtpReply("503 5.5.1 Error: authentication not enabled");
        public static readonly SmtpReply UnknownMechanism = new SmtpReply("504 5.5.4 Unrecognized authentication mechanism");
        public static readonly SmtpReply AuthCancelled = new SmtpReply("501 5.0.0 Authentication cancelled");
        public static readonly SmtpReply AuthBadEncoding = new SmtpReply("501 5.5.2 Cannot decode response");
        public static readonly SmtpReply AuthFailed = new SmtpReply("535 5.7.8 Authentication credentials invalid");
        public static readonly SmtpReply EncryptionRequired = new SmtpReply("538 5.7.11 Encryption required for requested authentication mechanism");
        public static readonly SmtpReply MessageTooBig = new SmtpReply("552 5.3.4 Message size exceeds fixed limit");
        public static readonly SmtpReply MessageLineTooLong = new SmtpReply("554 5.6.0 Message line exceeds 1000 octets");
        public static readonly SmtpReply MailLoop = new SmtpReply("554 5.4.6 Too many Received: headers, mail loop");
        public static readonly SmtpReply UnknownMailbox = new SmtpReply("550 5.1.1 Recipient address rejected: no such mailbox here");
        public static readonly SmtpReply RelayDenied = new SmtpReply("554 5.7.1 Relay access denied");
        public static readonly SmtpReply NoValidRecipients = new SmtpReply("554 5.5.1 Error: no valid recipients");
    }
}
