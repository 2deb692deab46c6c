// RFC 3464 §2.3.3 Action field values that this MTA reports.

namespace NanoMailGateway.Core.Bounce
{
    /// <summary>What happened to a recipient, as a delivery status notification says it.</summary>
    public enum DsnAction
    {
        /// <summary>"failed": could not be delivered and will not be retried.</summary>
        Failed = 0,

        /// <summary>"delayed": not delivered yet, still being retried.</summary>
        Delayed = 1,

        /// <summary>"delivered": delivered here (a local mailbox).</summary>
        Delivered = 2,

        /// <summary>"relayed": handed to a server that does not do DSN (RFC 3461 §5.2.2).</summary>
        Relayed = 3,
    }
}
