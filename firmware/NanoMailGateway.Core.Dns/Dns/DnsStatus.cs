// The closed set of outcomes of an MX lookup (Postfix dns_lookup style: OK, NOTFOUND,
// NULLMX, NODATA, RETRY, INVAL). Delivery switches on this value; the enhanced status
// code (RFC 3463) and a human text travel beside it in MxResult. Never printed with
// ToString(): the device prints the number.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Outcome of <see cref="MxResolver.Resolve"/>.</summary>
    public enum DnsStatus
    {
        /// <summary>At least one exchanger with at least one address.</summary>
        Ok = 0,

        /// <summary>The domain does not exist (NXDOMAIN, RFC 1035 §4.1.1 RCODE 3): permanent, 5.1.2.</summary>
        NotFound = 1,

        /// <summary>The domain says it accepts no mail (a single MX "0 .", RFC 7505 §3): permanent, 5.1.10.</summary>
        NullMx = 2,

        /// <summary>The names exist but give no usable address (no MX and no A, or MX hosts without A): permanent, 5.4.4.</summary>
        NoData = 3,

        /// <summary>Servers failed, refused, timed out or sent unusable answers: temporary, 4.4.3.</summary>
        TempFail = 4,

        /// <summary>The domain or address literal itself is not usable (syntax, unsupported form): permanent.</summary>
        Invalid = 5,
    }
}
