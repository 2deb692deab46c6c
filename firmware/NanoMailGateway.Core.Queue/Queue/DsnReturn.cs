// RFC 3461 §4.3 RET parameter of MAIL FROM.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>How much of the original message a DSN should carry.</summary>
    public enum DsnReturn
    {
        /// <summary>No RET given: the headers only (our choice, RFC 3461 §4.3 leaves it to the MTA).</summary>
        Unspecified = 0,

        /// <summary>RET=FULL: the whole message, when it fits.</summary>
        Full = 1,

        /// <summary>RET=HDRS: the headers only.</summary>
        Headers = 2,
    }
}
