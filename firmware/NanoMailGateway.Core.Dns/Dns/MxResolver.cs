// Finds the mail exchangers of a domain as delivery needs them (RFC 5321 §5.1):
// - an address literal ("[192.0.2.1]") is its own exchanger, no lookup;
// - MX records sorted by preference, equal preferences shuffled (RFC 5321 §5.1 load
//   spreading), at most MaxExchangers kept and MaxAddresses addresses over all;
// - addresses from the additional section when present, else an A query per
//   exchanger (AAAA too when UseIPv6);
// - no MX records at all: the implicit MX, the domain's own A record (§5.1); when MX
//   records exist the domain's A record is never used;
// - a single MX "0 ." is a null MX: permanent 5.1.10 (RFC 7505 §3);
// - NXDOMAIN: permanent 5.1.2; SERVFAIL/REFUSED/timeouts on every server: 4.4.3.
// One packet buffer per lookup comes from a pool, the resolver's own or one it is given
// (the gateway lends its session pool: a delivery session resolves before it rents its
// own buffers, so the lookup's buffer costs no heap of its own); when the pool is
// empty the lookup fails temporarily instead of allocating. Answers are cached
// (DnsCache); a cached answer keeps the order it was shuffled into until it expires.
// Left out on purpose: dropping exchangers of lower preference than the gateway
// itself (it is never an MX), DNSSEC/DANE, SOA-driven negative TTLs.

using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Dns
{
    /// <summary>The MX resolver. Thread-safe; concurrent lookups up to DnsOptions.PacketBuffers.</summary>
    public sealed class MxResolver
    {
        private readonly IClock _clock;
        private readonly IRandom _random;
        private readonly ILog? _log;
        private readonly DnsOptions _options;
        private readonly DnsTransport _transport;
        private readonly DnsCache _cache;
        private int _cacheHits;
        private int _lookups;

        /// <summary>Creates the resolver and allocates its packet buffers and cache now.</summary>
        /// <exception cref="System.ArgumentException">a server in <see cref="DnsOptions.Servers"/> is not "ip" or "ip:port".</exception>
        public MxResolver(INetwork network, IClock clock, IRandom random, DnsOptions options, ILog? log)
            : this(network, clock, random, options, log, null)
        {
        }

        /// <summary>
        /// Creates the resolver and its cache; packet buffers come from <paramref name="packetBuffers"/>
        /// (shared; each buffer holds at least a UDP message, 512 octets, RFC 1035 §4.2.1, and is the
        /// cap on what is kept of a TCP answer), or from a pool of its own sized by the options when null.
        /// </summary>
        /// <exception cref="System.ArgumentException">a server in <see cref="DnsOptions.Servers"/> is not "ip" or "ip:port", or the shared buffers are under 512 octets.</exception>
        public MxResolver(INetwork network, IClock clock, IRandom random, DnsOptions options, ILog? log, BufferPool? packetBuffers)
        {
            _clock = clock;
            _random = random;
            _log = log;
            _options = options;
            DnsServer[] servers = new DnsServer[options.Servers.Length];
            for (int i = 0; i < servers.Length; i++)
            {
                DnsServer? s = DnsServer.Parse(options.Servers[i]);
                if (s == null) throw new System.ArgumentException("bad DNS server address: " + options.Servers[i]);
                servers[i] = s;
            }
            if (packetBuffers != null && packetBuffers.BufferSize < DnsWire.MaxUdpMessage)
            {
                throw new System.ArgumentException("DNS packet buffers need " + DnsWire.MaxUdpMessage.ToString() + " octets, the pool has " + packetBuffers.BufferSize.ToString());
            }
            int size = options.PacketBufferSize < DnsWire.MaxUdpMessage ? DnsWire.MaxUdpMessage : options.PacketBufferSize;
            Pool = packetBuffers ?? new BufferPool("dns", size, options.PacketBuffers);
            _transport = new DnsTransport(network, clock, random, servers, options);
            _cache = new DnsCache(options.CacheEntries);
        }

        /// <summary>The packet buffer pool, its own or the shared one (for counters and tests).</summary>
        public BufferPool Pool { get; }

        /// <summary>Lookups answered from the cache since start.</summary>
        public int CacheHits => _cacheHits;

        /// <summary>Lookups that went to the network since start.</summary>
        public int NetworkLookups => _lookups;

        /// <summary>
        /// Finds the exchangers of <paramref name="domain"/> (a host name, or an address
        /// literal in brackets). Never throws for network or answer problems: the result says.
        /// Takes at most DnsOptions.TotalTimeoutMs plus one socket timeout slice.
        /// </summary>
        public MxResult Resolve(string domain)
        {
            return Resolve(domain, false);
        }

        /// <summary>
        /// Finds the addresses of one host, without asking for MX records: for a smarthost
        /// written as "[host]" (Postfix relayhost syntax: the brackets turn the MX lookup
        /// off). The result has one exchanger, the host itself, marked implicit.
        /// </summary>
        public MxResult ResolveHost(string host)
        {
            return Resolve(host, true);
        }

        private MxResult Resolve(string domain, bool hostOnly)
        {
            if (domain.Length > 0 && domain[0] == '[') return AddressLiteral.Resolve(domain, _options.UseIPv6);
            string? name = DnsWire.NormalizeDomain(domain);
            if (name == null) return MxResult.Invalid("5.1.3", "bad domain name " + domain);
            // Host-only answers are cached apart from MX answers for the same name: a name
            // can have MX records and be a host too. A leading '[' cannot start a domain.
            string cacheKey = hostOnly ? "[" + name : name;
            long now = _clock.MonotonicMilliseconds;
            MxResult? cached = _cache.Get(cacheKey, now);
            if (cached != null)
            {
                System.Threading.Interlocked.Increment(ref _cacheHits);
                return cached;
            }
            System.Threading.Interlocked.Increment(ref _lookups);
            byte[]? buf = Pool.TryRent();
            if (buf == null) return MxResult.TempFail("resolver busy: no packet buffer free for " + name);
            MxResult r;
            try
            {
                r = hostOnly ? ImplicitMx(name, buf, now + _options.TotalTimeoutMs) : Lookup(name, buf, now + _options.TotalTimeoutMs);
            }
            finally
            {
                Pool.Return(buf);
            }
            Remember(cacheKey, name, r);
            return r;
        }

        private void Remember(string cacheKey, string name, MxResult r)
        {
            long ttl;
            switch (r.Status)
            {
                case DnsStatus.Ok:
                case DnsStatus.NullMx:
                    ttl = r.TtlSeconds;
                    if (ttl < _options.MinTtlSeconds) ttl = _options.MinTtlSeconds;
                    if (ttl > _options.MaxTtlSeconds) ttl = _options.MaxTtlSeconds;
                    break;
                case DnsStatus.NotFound:
                case DnsStatus.NoData:
                    ttl = _options.NegativeTtlSeconds;
                    break;
                default:
                    if (_log != null) _log.Write("dns", 0, name + ": " + r.EnhancedCode + " " + r.Text);
                    return; // temporary failures are asked again next time
            }
            _cache.Put(cacheKey, r, _clock.MonotonicMilliseconds, ttl * 1000);
        }

        private MxResult Lookup(string name, byte[] buf, long deadline)
        {
            DnsExchange ex = _transport.Exchange(buf, name, DnsWire.TypeMx, deadline, out int len, out string reason);
            if (ex == DnsExchange.Failed) return MxResult.TempFail("MX lookup for " + name + " failed: " + reason);
            if (ex == DnsExchange.NameError) return MxResult.NotFound(name);
            string? owner = DnsAnswer.FollowCname(buf, len, name, _options.MaxRecords, _options.MaxCnameHops);
            if (owner == null) return MxResult.TempFail("CNAME chain of " + name + " is malformed, too long or loops");

            int[] prefs = new int[DnsAnswer.MaxMxRecords];
            string[] names = Text.StringArray.New(DnsAnswer.MaxMxRecords);
            long[] ttls = new long[DnsAnswer.MaxMxRecords];
            int n = DnsAnswer.CollectMx(buf, len, owner, _options.MaxRecords, prefs, names, ttls, out bool rootSeen, out int malformed);
            if (n == 0 && rootSeen) return MxResult.NullMx(name, MinTtl(buf, len)); // RFC 7505 §3
            // MX records exist but none is usable: never fall back to the domain's A record.
            if (n == 0 && malformed > 0) return MxResult.TempFail("malformed MX records for " + name);
            // No MX among the records that fit a cut answer: the domain has records, so no implicit MX.
            if (n == 0 && ex == DnsExchange.PartialAnswer) return MxResult.TempFail("MX lookup for " + name + ": " + reason);
            if (n == 0) return ImplicitMx(name, buf, deadline);                       // RFC 5321 §5.1

            SortAndShuffle(prefs, names, ttls, n);
            if (n > _options.MaxExchangers) n = _options.MaxExchangers;

            // Addresses the server sent along (additional section), before buf is reused.
            string[][] addrs = Text.StringArray.NewTable(n, _options.MaxAddresses);
            int[] counts = new int[n];
            for (int i = 0; i < n; i++)
            {
                counts[i] = DnsAnswer.CollectAddresses(buf, len, names[i], DnsWire.TypeA, 2, _options.MaxRecords, addrs[i], 0, ref ttls[i]);
                if (_options.UseIPv6) counts[i] = DnsAnswer.CollectAddresses(buf, len, names[i], DnsWire.TypeAaaa, 2, _options.MaxRecords, addrs[i], counts[i], ref ttls[i]);
            }

            MxHost[] hosts = new MxHost[n];
            int kept = 0;
            int total = 0;
            long minTtl = long.MaxValue;
            string tempReason = "";
            for (int i = 0; i < n && total < _options.MaxAddresses; i++)
            {
                if (counts[i] == 0)
                {
                    counts[i] = QueryAddresses(names[i], buf, deadline, addrs[i], ref ttls[i], out string why);
                    if (counts[i] < 0) tempReason = why;
                }
                if (counts[i] <= 0) continue; // an exchanger without address is skipped
                int take = counts[i];
                if (take > _options.MaxAddresses - total) take = _options.MaxAddresses - total;
                hosts[kept++] = new MxHost(prefs[i], names[i], Trim(addrs[i], take), ttls[i], false);
                total += take;
                if (ttls[i] < minTtl) minTtl = ttls[i];
            }
            if (kept == 0)
            {
                if (tempReason.Length > 0) return MxResult.TempFail("no address for the MX hosts of " + name + ": " + tempReason);
                // The exchangers that were cut off may have addresses: not knowing is temporary.
                if (ex == DnsExchange.PartialAnswer) return MxResult.TempFail("no address for the MX hosts of " + name + " that fit: " + reason);
                return MxResult.NoData("the MX hosts of " + name + " have no address records");
            }
            if (kept < n)
            {
                MxHost[] h = new MxHost[kept];
                System.Array.Copy(hosts, h, kept);
                hosts = h;
            }
            return MxResult.Ok(hosts, minTtl);
        }

        /// <summary>RFC 5321 §5.1: no MX at all, so the domain itself is the exchanger, preference 0.</summary>
        private MxResult ImplicitMx(string name, byte[] buf, long deadline)
        {
            string[] into = Text.StringArray.New(_options.MaxAddresses);
            long ttl = long.MaxValue;
            int count = QueryAddresses(name, buf, deadline, into, ref ttl, out string why);
            if (count < 0) return MxResult.TempFail("address lookup for " + name + " failed: " + why);
            if (count == 0)
            {
                if (why.Length > 0) return MxResult.NotFound(name);
                return MxResult.NoData("domain " + name + " has no MX and no address records");
            }
            MxHost[] hosts = new MxHost[] { new MxHost(0, name, Trim(into, count), ttl, true) };
            return MxResult.Ok(hosts, ttl);
        }

        /// <summary>
        /// A (and AAAA) query for one host. Returns the number of addresses now in
        /// <paramref name="into"/>, 0 when none exist (<paramref name="why"/> is "NXDOMAIN" when
        /// the name does not exist, else ""), or -1 on a temporary failure (<paramref name="why"/> says).
        /// </summary>
        private int QueryAddresses(string host, byte[] buf, long deadline, string[] into, ref long ttl, out string why)
        {
            int have = QueryType(host, DnsWire.TypeA, buf, deadline, into, 0, ref ttl, out why);
            if (have < 0 || !_options.UseIPv6) return have;
            int more = QueryType(host, DnsWire.TypeAaaa, buf, deadline, into, have, ref ttl, out string why6);
            return more < 0 ? have : more;
        }

        private int QueryType(string host, int qtype, byte[] buf, long deadline, string[] into, int have, ref long ttl, out string why)
        {
            why = "";
            DnsExchange ex = _transport.Exchange(buf, host, qtype, deadline, out int len, out string reason);
            if (ex == DnsExchange.Failed)
            {
                why = reason;
                return -1;
            }
            if (ex == DnsExchange.NameError)
            {
                why = "NXDOMAIN";
                return have;
            }
            string? owner = DnsAnswer.FollowCname(buf, len, host, _options.MaxRecords, _options.MaxCnameHops);
            if (owner == null)
            {
                why = "CNAME chain of " + host + " is malformed, too long or loops";
                return -1;
            }
            return DnsAnswer.CollectAddresses(buf, len, owner, qtype, 0, _options.MaxRecords, into, have, ref ttl);
        }

        /// <summary>Stable sort by preference, then a Fisher-Yates shuffle inside each run of equal preference.</summary>
        private void SortAndShuffle(int[] prefs, string[] names, long[] ttls, int n)
        {
            for (int i = 1; i < n; i++)
            {
                for (int j = i; j > 0 && prefs[j - 1] > prefs[j]; j--) Swap(prefs, names, ttls, j - 1, j);
            }
            int start = 0;
            while (start < n)
            {
                int end = start + 1;
                while (end < n && prefs[end] == prefs[start]) end++;
                for (int i = end - 1; i > start; i--)
                {
                    int j = start + _random.Next(i - start + 1);
                    Swap(prefs, names, ttls, i, j);
                }
                start = end;
            }
        }

        private static void Swap(int[] prefs, string[] names, long[] ttls, int a, int b)
        {
            int p = prefs[a]; prefs[a] = prefs[b]; prefs[b] = p;
            string s = names[a]; names[a] = names[b]; names[b] = s;
            long t = ttls[a]; ttls[a] = ttls[b]; ttls[b] = t;
        }

        private static string[] Trim(string[] a, int n)
        {
            if (n == a.Length) return a;
            string[] r = Text.StringArray.New(n);
            System.Array.Copy(a, r, n);
            return r;
        }

        /// <summary>Smallest TTL of the answer section (for the null MX's cache time).</summary>
        private long MinTtl(byte[] p, int len)
        {
            long min = long.MaxValue;
            int pos = DnsPacket.FirstRecord(p, len);
            int count = DnsWire.AnCount(p);
            if (count > _options.MaxRecords) count = _options.MaxRecords;
            for (int i = 0; i < count && pos >= 0; i++)
            {
                int f = DnsPacket.FixedPart(p, len, pos);
                long t = DnsPacket.Ttl(p, f);
                if (t < min) min = t;
                pos = DnsPacket.RdData(f) + DnsPacket.RdLength(p, f);
            }
            return min == long.MaxValue ? 0 : min;
        }
    }
}
