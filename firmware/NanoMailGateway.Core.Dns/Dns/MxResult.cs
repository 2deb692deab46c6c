// What an MX lookup returns to delivery: a status from the closed set, the RFC 3463
// enhanced status code and a one-line text for the bounce or the log, and on success
// the exchangers in the order to try. Built in one place so that every outcome is
// classified the same way (ARCHITECTURE.md, Protocol sessions).

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Result of an MX lookup. Immutable; cached results are shared.</summary>
    public sealed class MxResult
    {
        private static readonly MxHost[] NoHosts = new MxHost[0];

        private MxResult(DnsStatus status, string enhancedCode, string text, MxHost[] hosts, long ttlSeconds)
        {
            Status = status;
            EnhancedCode = enhancedCode;
            Text = text;
            Hosts = hosts;
            TtlSeconds = ttlSeconds;
        }

        /// <summary>The outcome.</summary>
        public DnsStatus Status { get; }

        /// <summary>RFC 3463 code: "2.0.0", "5.1.2", "5.1.10", "5.4.4", "5.1.3", "4.4.3".</summary>
        public string EnhancedCode { get; }

        /// <summary>One line for humans, without the code.</summary>
        public string Text { get; }

        /// <summary>Exchangers in the order to try (empty unless <see cref="Status"/> is Ok). Shared with the cache: read, never modify.</summary>
        public MxHost[] Hosts { get; }

        /// <summary>Smallest TTL seen in the answers, in seconds (0 for literals and failures).</summary>
        public long TtlSeconds { get; }

        /// <summary>True for NotFound, NullMx, NoData and Invalid: the message bounces.</summary>
        public bool IsPermanent => Status != DnsStatus.Ok && Status != DnsStatus.TempFail;

        /// <summary>True for TempFail: the message stays queued.</summary>
        public bool IsTemporary => Status == DnsStatus.TempFail;

        /// <summary>Total number of addresses over all hosts.</summary>
        public int AddressCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < Hosts.Length; i++) n += Hosts[i].Addresses.Length;
                return n;
            }
        }

        internal static MxResult Ok(MxHost[] hosts, long ttlSeconds)
        {
            return new MxResult(DnsStatus.Ok, "2.0.0", "ok", hosts, ttlSeconds);
        }

        internal static MxResult NotFound(string domain)
        {
            return new MxResult(DnsStatus.NotFound, "5.1.2", "domain " + domain + " not found (NXDOMAIN)", NoHosts, 0);
        }

        internal static MxResult NullMx(string domain, long ttlSeconds)
        {
            return new MxResult(DnsStatus.NullMx, "5.1.10", "domain " + domain + " does not accept mail (null MX, RFC 7505)", NoHosts, ttlSeconds);
        }

        internal static MxResult NoData(string text)
        {
            return new MxResult(DnsStatus.NoData, "5.4.4", text, NoHosts, 0);
        }

        internal static MxResult TempFail(string text)
        {
            return new MxResult(DnsStatus.TempFail, "4.4.3", text, NoHosts, 0);
        }

        internal static MxResult Invalid(string code, string text)
        {
            return new MxResult(DnsStatus.Invalid, code, text, NoHosts, 0);
        }
    }
}
