// The SMTP client's outcome table: what a reply means at each stage of the conversation
// (RFC 5321 §4.2, §4.3.2, §3.8), in one place. SmtpClientSession asks Judge after every
// reply and acts on the verdict; nothing else turns a reply code into an outcome.
//
//   stage      | expected       | 4xx                        | 5xx                      | 421          | any other code
//   -----------+----------------+----------------------------+--------------------------+--------------+---------------
//   greeting   | 220            | defer, QUIT, next address  | fail*, QUIT, next address| defer, close | protocol error
//   EHLO       | 2xx            | defer, QUIT                | HELO instead             | defer, close | protocol error
//   HELO       | 2xx            | defer, QUIT                | fail*, QUIT              | defer, close | protocol error
//   STARTTLS   | 220            | defer (required), else plaintext; 5xx alike | | defer, close | protocol error
//   AUTH       | 235, 334 = next step | defer, QUIT (a 5xx too: never a bounce) |  | defer, close | protocol error
//   MAIL       | 2xx            | defer all, RSET            | fail all, RSET           | defer, close | protocol error
//   RCPT       | 2xx            | defer this one             | fail this one            | defer, close | protocol error
//   DATA       | 354            | defer accepted, RSET       | fail accepted, RSET      | defer, close | protocol error (a 2xx too)
//   final dot  | 2xx: DELIVERED | defer                      | fail                     | defer, close | protocol error
//   RSET       | 2xx            | QUIT, no reuse             | QUIT, no reuse           | close        | protocol error
//   QUIT       | 2xx            | close                      | close                    | close        | close
//   * fails the recipients only when it was the last exchanger (RemoteDelivery).
//
// Connection events, at any stage: closed, reset, timed out, a malformed or over-long
// reply, a multi-line reply whose lines disagree on the code (§4.2.1), a reply that
// arrives before the client sent what it answers (one reply too many while pipelining,
// 354 and 250 in one packet before the body, a reply during the body): every open
// recipient is deferred (4.4.2 lost, 4.5.0 protocol error) and the connection closed
// without another command. A protocol error closes because the replies can no longer be
// matched to the commands (RFC 2920 §3.1: they come in order, one each).
//
// Delivered comes from one cell only: a 2xx to the final dot. Everything before it defers
// or fails; a connection lost after the final dot was sent defers too (the server may have
// the message: a duplicate later is acceptable, RFC 5321 §6.1; a loss is not).

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>The stage of the conversation a reply answers.</summary>
    public enum SmtpStage
    {
        /// <summary>The server's greeting (RFC 5321 §4.3.1).</summary>
        Greeting = 0,

        /// <summary>EHLO.</summary>
        Ehlo = 1,

        /// <summary>HELO, after a 5xx to EHLO.</summary>
        Helo = 2,

        /// <summary>STARTTLS (RFC 3207).</summary>
        StartTls = 3,

        /// <summary>AUTH and its continuation lines (RFC 4954).</summary>
        Auth = 4,

        /// <summary>MAIL FROM.</summary>
        Mail = 5,

        /// <summary>RCPT TO.</summary>
        Rcpt = 6,

        /// <summary>DATA (the 354 go-ahead).</summary>
        Data = 7,

        /// <summary>The final dot after the content.</summary>
        EndOfData = 8,

        /// <summary>RSET.</summary>
        Rset = 9,

        /// <summary>QUIT.</summary>
        Quit = 10,
    }

    /// <summary>What a reply means for the recipients it concerns and for the connection.</summary>
    public enum ReplyVerdict
    {
        /// <summary>The expected reply: the conversation goes on.</summary>
        Proceed = 0,

        /// <summary>The server took the message (only a 2xx to the final dot).</summary>
        Delivered = 1,

        /// <summary>A temporary refusal: defer; the connection stays usable.</summary>
        Deferred = 2,

        /// <summary>A permanent refusal: fail; the connection stays usable.</summary>
        Failed = 3,

        /// <summary>421: the server closes (RFC 5321 §3.8); defer everything open.</summary>
        Closing = 4,

        /// <summary>A reply out of place: defer everything open and close without another command.</summary>
        ProtocolError = 5,
    }

    /// <summary>The outcome table. Stateless.</summary>
    public static class SmtpReplyTable
    {
        /// <summary>The verdict on reply <paramref name="code"/> (200..599) at <paramref name="stage"/>.</summary>
        public static ReplyVerdict Judge(SmtpStage stage, int code)
        {
            if (code == 421) return ReplyVerdict.Closing;
            int c = code / 100;
            if (c == 4) return ReplyVerdict.Deferred;
            // Our own TLS and AUTH policy never bounces mail (a wrong password is fixed by an admin).
            if (c == 5) return stage == SmtpStage.StartTls || stage == SmtpStage.Auth ? ReplyVerdict.Deferred : ReplyVerdict.Failed;
            switch (stage)
            {
                case SmtpStage.Greeting:
                case SmtpStage.StartTls:
                    return code == 220 ? ReplyVerdict.Proceed : ReplyVerdict.ProtocolError;
                case SmtpStage.Auth:
                    return code == 235 || code == 334 ? ReplyVerdict.Proceed : ReplyVerdict.ProtocolError;
                case SmtpStage.Data:
                    // A 2xx here would claim a message we never sent: never a delivery.
                    return code == 354 ? ReplyVerdict.Proceed : ReplyVerdict.ProtocolError;
                case SmtpStage.EndOfData:
                    return c == 2 ? ReplyVerdict.Delivered : ReplyVerdict.ProtocolError;
                default:
                    return c == 2 ? ReplyVerdict.Proceed : ReplyVerdict.ProtocolError;
            }
        }
    }
}
