// Where one recipient of a queued message stands. Values are written on flash.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Delivery state of one recipient.</summary>
    public enum RecipientState
    {
        /// <summary>Not tried yet: due at once.</summary>
        Queued = 0,

        /// <summary>Failed temporarily (4xx, no route, timeout): due again at the next attempt time.</summary>
        Deferred = 1,

        /// <summary>Accepted by the next hop with 2xx. Final.</summary>
        Delivered = 2,

        /// <summary>Failed for good (5xx, lifetime over). Final; a bounce may be due.</summary>
        Failed = 3,

        /// <summary>Stored in the local mailbox named in the status (uid set). Stays until removed from the mailbox.</summary>
        InMailbox = 4,

        /// <summary>Removed from its mailbox (POP3 DELE at QUIT). Final.</summary>
        Expunged = 5,

        /// <summary>
        /// Failed for good, and the RFC 3464 report to the sender is not queued yet. Not final:
        /// once the listener said 250 the message must be delivered or reported (RFC 5321
        /// §6.1), so it stays until the report is committed and the recipient becomes Failed.
        /// NextAttemptUtc is when the report is tried (again); delivery never retries it.
        /// </summary>
        Bouncing = 6,

        /// <summary>
        /// Put on hold by the operator (README, Admin endpoint; Postfix's hold queue): never
        /// due, not final, and a delivery attempt already under way when the hold came keeps
        /// it on hold when it fails temporarily. Attempts, code and text of the last result
        /// stay, so a release (QueueControl) makes it Queued again when it was never tried
        /// and Deferred, due at once, when it was.
        /// </summary>
        Held = 7,
    }
}
