// Slows down password guessing: one throttle for the whole gateway, shared by SMTP AUTH
// (RFC 4954), POP3 USER/PASS and AUTH (RFC 1939 §7, RFC 5034) and IMAP LOGIN and
// AUTHENTICATE (RFC 9051 §6.2), so that a guesser gains nothing by switching protocol or
// reconnecting. Each failed authentication is answered after a delay of
// base × 2^(n−1) ms, capped, where n is the larger of the session's own failures and the
// client address's recent ones (failures older than the memory time are forgotten; a
// good login forgets the address). The table of addresses has a fixed size (Addresses
// entries): when it is full, the address that failed least recently gives way, so a
// flood of addresses costs no memory, only the protection of the oldest entry.
// The table is made at the first failure, not before: a gateway whose clients all know
// their passwords never holds it (ARCHITECTURE.md, Memory), and if the heap has no room
// for it then, the delay falls back to the session's own count.
// The throttle only counts and says how long; the session sleeps on its own thread (other
// sessions keep running) and ends itself at its protocol's limit (SMTP with 421 4.7.0 at
// its AUTH failure limit, POP3 and IMAP at their error limit).
// Left out on purpose: blocking an address outright (a misconfigured sensor must still be
// able to send once its password is fixed) and counting successes.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Auth
{
    /// <summary>Failed-authentication delays per client address, across sessions and protocols. Thread-safe.</summary>
    public sealed class AuthThrottle
    {
        /// <summary>Delay before the answer to a first failure, ms.</summary>
        public const int DefaultDelayMs = 1000;

        /// <summary>Longest delay, ms (reached at the fifth failure in a row).</summary>
        public const int DefaultMaxDelayMs = 16 * 1000;

        /// <summary>Addresses remembered at once (24 bytes of heap each on the board).</summary>
        public const int DefaultAddresses = 16;

        /// <summary>How long an address's failures are remembered after its last one, ms.</summary>
        public const int DefaultMemoryMs = 15 * 60 * 1000;

        private readonly object _gate = new object();
        private readonly IClock _clock;
        private readonly int _delayMs;
        private readonly int _maxDelayMs;
        private readonly int _memoryMs;
        private readonly int _addresses;
        private string?[]? _address;      // null until the first failure
        private int[]? _failures;
        private long[]? _lastFailureMs;

        /// <summary>Creates the gateway's throttle with the default delays, table size and memory.</summary>
        public AuthThrottle(IClock clock)
            : this(clock, DefaultDelayMs, DefaultMaxDelayMs, DefaultAddresses, DefaultMemoryMs)
        {
        }

        /// <summary>Creates a throttle: first delay <paramref name="delayMs"/>, doubling up to <paramref name="maxDelayMs"/>; <paramref name="addresses"/> remembered for <paramref name="memoryMs"/> after their last failure.</summary>
        public AuthThrottle(IClock clock, int delayMs, int maxDelayMs, int addresses, int memoryMs)
        {
            _clock = clock;
            _delayMs = delayMs < 0 ? 0 : delayMs;
            _maxDelayMs = maxDelayMs < _delayMs ? _delayMs : maxDelayMs;
            _memoryMs = memoryMs;
            _addresses = addresses < 1 ? 1 : addresses;
        }

        /// <summary>Delays handed out so far, ms in total (what the sessions slept).</summary>
        public long TotalDelayMs { get; private set; }

        /// <summary>
        /// Counts a failed authentication from <paramref name="address"/>, the
        /// <paramref name="sessionFailures"/>-th of its session, and returns how long to wait
        /// before answering it, ms.
        /// </summary>
        public int Fail(string address, int sessionFailures)
        {
            long now = _clock.MonotonicMilliseconds;
            lock (_gate)
            {
                if (_address == null || _failures == null || _lastFailureMs == null)
                {
                    try
                    {
                        _failures = new int[_addresses];
                        _lastFailureMs = new long[_addresses];
                        _address = Text.StringArray.New(_addresses);   // on nanoCLR only this gives null slots
                    }
                    catch (System.OutOfMemoryException)
                    {
                        _address = null;   // no table now: the session's own count decides
                        int fallback = DelayFor(sessionFailures);
                        TotalDelayMs += fallback;
                        return fallback;
                    }
                }
                int slot = -1;
                int oldest = 0;   // a free entry, else the one that failed least recently
                for (int i = 0; i < _address.Length; i++)
                {
                    if (_address[i] == address) { slot = i; break; }
                    if (_address[oldest] == null) continue;
                    if (_address[i] == null || _lastFailureMs[i] < _lastFailureMs[oldest]) oldest = i;
                }
                if (slot < 0)
                {
                    slot = oldest;
                    _address[slot] = address;
                    _failures[slot] = 0;
                }
                else if (now - _lastFailureMs[slot] > _memoryMs)
                {
                    _failures[slot] = 0;
                }
                if (_failures[slot] < 1000) _failures[slot]++;
                _lastFailureMs[slot] = now;
                int n = _failures[slot] > sessionFailures ? _failures[slot] : sessionFailures;
                int delay = DelayFor(n);
                TotalDelayMs += delay;
                return delay;
            }
        }

        /// <summary>Forgets the failures of <paramref name="address"/> after a good login.</summary>
        public void Succeed(string address)
        {
            lock (_gate)
            {
                if (_address == null || _failures == null) return;
                for (int i = 0; i < _address.Length; i++)
                {
                    if (_address[i] == address)
                    {
                        _address[i] = null;
                        _failures[i] = 0;
                        return;
                    }
                }
            }
        }

        /// <summary>The delay before the answer to the <paramref name="failures"/>-th failure in a row, ms.</summary>
        public int DelayFor(int failures)
        {
            long d = _delayMs;
            for (int i = 1; i < failures && d < _maxDelayMs; i++) d *= 2;
            return d > _maxDelayMs ? _maxDelayMs : (int)d;
        }
    }
}
