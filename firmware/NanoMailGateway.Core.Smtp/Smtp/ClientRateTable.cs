// Messages per client address per minute, as Postfix's anvil counts them for
// smtpd_client_message_rate_limit: each MAIL FROM counts one; past the limit in the
// current minute MAIL gets 450 4.7.1 (RFC 3463: delivery not authorized, a temporary
// answer: a well-behaved client retries later). One flapping sensor so cannot fill the
// queue or the session slots for every other device (README, Capacity).
// The counters live in a small fixed table (device heap: a few hundred bytes, made only
// when the limit is on): a client not in the table takes the slot whose minute is oldest.
// With more busy clients than slots a client may lose its count and start afresh: the
// limit is then looser, never stricter.
// Left out on purpose: rates per sender address, per recipient, connection rates.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Per-client message counters over fixed one-minute windows. Thread-safe.</summary>
    public sealed class ClientRateTable
    {
        /// <summary>Counting window, ms (Postfix anvil_rate_time_unit, 60 s).</summary>
        public const int WindowMs = 60 * 1000;

        private readonly int _limit;
        private readonly string[] _client;
        private readonly long[] _windowStart;
        private readonly int[] _count;

        /// <summary>A table of <paramref name="slots"/> clients allowing <paramref name="limit"/> messages per minute each.</summary>
        public ClientRateTable(int slots, int limit)
        {
            _limit = limit;
            _client = StringArray.New(slots);
            _windowStart = new long[slots];
            _count = new int[slots];
        }

        /// <summary>Counts one message from <paramref name="client"/> at <paramref name="nowMs"/> (monotonic);
        /// false (not counted) when the client already sent the limit in this minute.</summary>
        public bool TryCount(string client, long nowMs)
        {
            lock (_count)
            {
                int slot = -1;
                int oldest = 0;
                for (int i = 0; i < _client.Length; i++)
                {
                    if (_client[i] != null && _client[i] == client)
                    {
                        slot = i;
                        break;
                    }
                    if (_client[i] == null || _windowStart[i] < _windowStart[oldest]) oldest = i;
                }
                if (slot < 0 || nowMs - _windowStart[slot] >= WindowMs)
                {
                    if (slot < 0) slot = oldest;
                    _client[slot] = client;
                    _windowStart[slot] = nowMs;
                    _count[slot] = 0;
                }
                if (_count[slot] >= _limit) return false;
                _count[slot]++;
                return true;
            }
        }
    }
}
