// One recipient's block of an RFC 3464 report (§2.3): what the composer needs.

using System;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Bounce
{
    /// <summary>Per-recipient facts of a delivery status notification. Immutable.</summary>
    public sealed class DsnRecipient
    {
        /// <summary>Creates a recipient entry.</summary>
        /// <param name="recipient">The envelope recipient (address, ORCPT).</param>
        /// <param name="action">failed, delayed, delivered or relayed.</param>
        /// <param name="status">The last status: Status:, Diagnostic-Code: and the human-readable reason.</param>
        /// <param name="remoteMta">The server that gave the status (Remote-MTA, RFC 3464 §2.3.5), or null.</param>
        /// <param name="lastAttemptUtc">Last-Attempt-Date (§2.3.7).</param>
        /// <param name="willRetryUntilUtc">Will-Retry-Until (§2.3.9), written for Action delayed only.</param>
        public DsnRecipient(EnvelopeRecipient recipient, DsnAction action, DeliveryStatus status, string? remoteMta,
            DateTime lastAttemptUtc, DateTime willRetryUntilUtc)
        {
            Recipient = recipient;
            Action = action;
            Status = status;
            RemoteMta = remoteMta;
            LastAttemptUtc = lastAttemptUtc;
            WillRetryUntilUtc = willRetryUntilUtc;
        }

        /// <summary>The envelope recipient.</summary>
        public EnvelopeRecipient Recipient { get; }

        /// <summary>The action reported.</summary>
        public DsnAction Action { get; }

        /// <summary>The status reported.</summary>
        public DeliveryStatus Status { get; }

        /// <summary>Remote MTA host name, or null.</summary>
        public string? RemoteMta { get; }

        /// <summary>When the last attempt was made (UTC).</summary>
        public DateTime LastAttemptUtc { get; }

        /// <summary>When retries stop (UTC); used for delayed only.</summary>
        public DateTime WillRetryUntilUtc { get; }
    }
}
