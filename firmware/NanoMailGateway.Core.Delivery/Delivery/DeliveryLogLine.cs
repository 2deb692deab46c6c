// The Postfix-style line logged for each recipient of each attempt:
//   <id>: to=<rcpt>, relay=host[ip]:port, delay=12, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X)
// "host said:" marks a remote reply, as in Postfix, so that the reader knows who spoke.

using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Formats the per-recipient delivery log line. Stateless.</summary>
    public static class DeliveryLogLine
    {
        /// <summary>
        /// The line for one recipient. <paramref name="relay"/> is "host[ip]:port" or "none";
        /// <paramref name="delaySeconds"/> is the time since arrival.
        /// </summary>
        public static string Format(string queueId, string recipient, string relay, long delaySeconds, DeliveryStatus status)
        {
            return Format(queueId, recipient, relay, delaySeconds, status, status.Describe());
        }

        /// <summary>
        /// The line with <paramref name="described"/> already made (status.Describe(), which the
        /// queue's record takes too): the line is built in one piece, without the reason as a
        /// string of its own first (garbage per recipient, ARCHITECTURE.md, Memory).
        /// </summary>
        public static string Format(string queueId, string recipient, string relay, long delaySeconds, DeliveryStatus status, string described)
        {
            if (status.IsRemoteReply)
            {
                return queueId + ": to=<" + recipient + ">, relay=" + relay + ", delay=" + delaySeconds.ToString()
                    + ", dsn=" + status.EnhancedCode + ", status=" + status.StatusWord + " (host " + relay + " said: " + described + ")";
            }
            return queueId + ": to=<" + recipient + ">, relay=" + relay + ", delay=" + delaySeconds.ToString()
                + ", dsn=" + status.EnhancedCode + ", status=" + status.StatusWord + " (" + status.Text + ")";
        }

        /// <summary>The part in parentheses: "host X[ip]:port said: 550 5.1.1 ..." for a remote reply
        /// (every line about a server names it), else the local reason, which names the host itself.</summary>
        public static string Reason(string relay, DeliveryStatus status)
        {
            return status.IsRemoteReply ? "host " + relay + " said: " + status.Describe() : status.Text;
        }
    }
}
