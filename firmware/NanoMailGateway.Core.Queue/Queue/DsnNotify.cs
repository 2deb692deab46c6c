// RFC 3461 §4.1 NOTIFY parameter of RCPT TO.

using System;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>When the sender wants a delivery status notification for a recipient.</summary>
    [Flags]
    public enum DsnNotify
    {
        /// <summary>No NOTIFY given: the default is FAILURE (and DELAY at the MTA's choice), RFC 3461 §4.1.</summary>
        Unspecified = 0,

        /// <summary>NOTIFY=NEVER: no DSN at all.</summary>
        Never = 1,

        /// <summary>NOTIFY=SUCCESS.</summary>
        Success = 2,

        /// <summary>NOTIFY=FAILURE.</summary>
        Failure = 4,

        /// <summary>NOTIFY=DELAY.</summary>
        Delay = 8,
    }
}
