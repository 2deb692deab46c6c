// One RCPT TO of an envelope, with what delivery needs to honour for it.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>A recipient as accepted by the listener. Immutable once queued.</summary>
    public sealed class EnvelopeRecipient
    {
        /// <summary>Creates a recipient.</summary>
        /// <param name="address">The forward-path without angle brackets, domain in lower case ("alerts@example.com").</param>
        /// <param name="isLocal">True when the domain is one of local_domains: the recipient goes to a mailbox.</param>
        /// <param name="notify">RFC 3461 NOTIFY.</param>
        /// <param name="originalRecipient">RFC 3461 ORCPT as given ("rfc822;user@host", xtext decoded), or null.</param>
        public EnvelopeRecipient(string address, bool isLocal, DsnNotify notify, string? originalRecipient)
        {
            Address = address;
            IsLocal = isLocal;
            Notify = notify;
            OriginalRecipient = originalRecipient;
        }

        /// <summary>The address, at most 256 octets with its brackets (RFC 5321 §4.5.3.1.3).</summary>
        public string Address { get; }

        /// <summary>Local mailbox (true) or remote delivery (false).</summary>
        public bool IsLocal { get; }

        /// <summary>RFC 3461 NOTIFY.</summary>
        public DsnNotify Notify { get; }

        /// <summary>RFC 3461 ORCPT, or null.</summary>
        public string? OriginalRecipient { get; }
    }
}
