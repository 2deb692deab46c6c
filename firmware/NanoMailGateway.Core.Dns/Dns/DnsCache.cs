// A small fixed cache of MX results by domain (ARCHITECTURE.md, Memory: every count bounded). TTLs
// are clamped to a floor and a ceiling; NXDOMAIN and no-data answers are kept for a
// short fixed time (RFC 2308 §5 allows caching them; the SOA minimum is not used, to
// keep the parser small). Temporary failures are never cached. When full, an expired
// entry is reused, else the oldest entry goes. Linear scan: entries are few (board
// profile, default 16), and a scan allocates nothing.

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Bounded TTL cache of MX results. Thread-safe.</summary>
    internal sealed class DnsCache
    {
        private readonly object _gate = new object();
        private readonly string?[] _keys;
        private readonly MxResult?[] _values;
        private readonly long[] _expires;
        private readonly long[] _stored;   // insertion sequence, for "oldest"
        private long _sequence;

        public DnsCache(int entries)
        {
            if (entries < 0) entries = 0;
            _keys = Text.StringArray.New(entries);
            _values = new MxResult?[entries];
            _expires = new long[entries];
            _stored = new long[entries];
        }

        /// <summary>Number of live or expired entries held.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    for (int i = 0; i < _keys.Length; i++) if (_keys[i] != null) n++;
                    return n;
                }
            }
        }

        /// <summary>The cached result for <paramref name="domain"/> if it has not expired at <paramref name="nowMs"/>, else null.</summary>
        public MxResult? Get(string domain, long nowMs)
        {
            lock (_gate)
            {
                for (int i = 0; i < _keys.Length; i++)
                {
                    string? k = _keys[i];
                    if (k == null || k != domain) continue;
                    if (_expires[i] <= nowMs)
                    {
                        _keys[i] = null;
                        _values[i] = null;
                        return null;
                    }
                    return _values[i];
                }
                return null;
            }
        }

        /// <summary>Stores a result for <paramref name="ttlMs"/> milliseconds from <paramref name="nowMs"/>.</summary>
        public void Put(string domain, MxResult result, long nowMs, long ttlMs)
        {
            lock (_gate)
            {
                if (_keys.Length == 0) return;
                int slot = -1;
                for (int i = 0; i < _keys.Length; i++)
                {
                    string? k = _keys[i];
                    if (k != null && k == domain) { slot = i; break; }
                }
                if (slot < 0)
                {
                    for (int i = 0; i < _keys.Length; i++)
                    {
                        if (_keys[i] == null || _expires[i] <= nowMs) { slot = i; break; }
                    }
                }
                if (slot < 0)
                {
                    slot = 0; // full of live entries: the oldest goes
                    for (int i = 1; i < _keys.Length; i++) if (_stored[i] < _stored[slot]) slot = i;
                }
                _sequence++;
                _keys[slot] = domain;
                _values[slot] = result;
                _stored[slot] = _sequence;
                _expires[slot] = nowMs + ttlMs;
            }
        }
    }
}
