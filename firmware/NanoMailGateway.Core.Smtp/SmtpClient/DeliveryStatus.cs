// The result of one delivery attempt for one recipient, as a value: the outcome, the
// SMTP reply that decided it (RFC 5321 §4.2) and its enhanced status code (RFC 3463).
// The same value feeds the Postfix-style log line (dsn=, status=, the reply in
// parentheses) and the RFC 3464 report (Status:, Diagnostic-Code:, Remote-MTA:).

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>Outcome of one recipient in one attempt. Immutable.</summary>
    public sealed class DeliveryStatus
    {
        /// <summary>Creates a status.</summary>
        /// <param name="outcome">Sent, Transient or Permanent.</param>
        /// <param name="replyCode">The remote SMTP reply code (250, 450, 550 ...), or 0 when the
        /// outcome was decided locally (connection lost, size check, expiry).</param>
        /// <param name="enhancedCode">RFC 3463 code "x.y.z"; never empty.</param>
        /// <param name="text">The remote reply text without code (lines joined by a space), or
        /// our own reason when <paramref name="replyCode"/> is 0. Single line, ASCII.</param>
        public DeliveryStatus(DeliveryOutcome outcome, int replyCode, string enhancedCode, string text)
        {
            Outcome = outcome;
            ReplyCode = replyCode;
            EnhancedCode = enhancedCode;
            Text = text;
        }

        /// <summary>Sent, Transient or Permanent.</summary>
        public DeliveryOutcome Outcome { get; }

        /// <summary>The remote reply code, or 0 for a local decision.</summary>
        public int ReplyCode { get; }

        /// <summary>The RFC 3463 status code "x.y.z".</summary>
        public string EnhancedCode { get; }

        /// <summary>Reply text (without code) or local reason.</summary>
        public string Text { get; }

        /// <summary>True when a remote server said it (Diagnostic-Code: smtp; is then known, RFC 3464 §2.3.6).</summary>
        public bool IsRemoteReply => ReplyCode != 0;

        /// <summary>Postfix's status word for the log: "sent", "deferred" or "bounced".</summary>
        public string StatusWord
        {
            get
            {
                if (Outcome == DeliveryOutcome.Sent) return "sent";
                return Outcome == DeliveryOutcome.Transient ? "deferred" : "bounced";
            }
        }

        /// <summary>The reply as the remote server said it ("550 5.1.1 no such user"), or the local reason.</summary>
        public string Describe()
        {
            if (ReplyCode == 0) return Text;
            return ReplyCode.ToString() + " " + EnhancedCode + " " + Text;
        }

        /// <summary>A local transient failure (no remote reply).</summary>
        public static DeliveryStatus LocalTransient(string enhancedCode, string reason)
        {
            return new DeliveryStatus(DeliveryOutcome.Transient, 0, enhancedCode, reason);
        }

        /// <summary>A local permanent failure (no remote reply).</summary>
        public static DeliveryStatus LocalPermanent(string enhancedCode, string reason)
        {
            return new DeliveryStatus(DeliveryOutcome.Permanent, 0, enhancedCode, reason);
        }
    }
}
