// Slows down password guessing: after each failed authentication in a session the
// session sleeps, and the sleep doubles per failure up to a cap; after a set number of
// failures the protocol drops the session. The delay is a plain Thread.Sleep on the
// session's own thread (other sessions keep running) and is counted, so tests can
// observe it with a small base delay instead of waiting seconds.
// Left out on purpose: throttling across sessions per client address (needs a bounded
// table; the session limit already caps parallel guessing).

using System.Threading;

namespace NanoMailGateway.Core.Auth
{
    /// <summary>Per-session failed-authentication counter and delay. Not thread-safe.</summary>
    public sealed class AuthThrottle
    {
        private readonly int _baseDelayMs;
        private readonly int _maxDelayMs;
        private readonly int _limit;

        /// <summary>Creates a throttle: first delay <paramref name="baseDelayMs"/>, doubling, capped at <paramref name="maxDelayMs"/>; <paramref name="limit"/> failures end the session.</summary>
        public AuthThrottle(int baseDelayMs, int maxDelayMs, int limit)
        {
            _baseDelayMs = baseDelayMs < 0 ? 0 : baseDelayMs;
            _maxDelayMs = maxDelayMs < _baseDelayMs ? _baseDelayMs : maxDelayMs;
            _limit = limit < 1 ? 1 : limit;
        }

        /// <summary>Failures so far in this session.</summary>
        public int Failures { get; private set; }

        /// <summary>Milliseconds slept in total in this session.</summary>
        public long TotalDelayMs { get; private set; }

        /// <summary>True once the failure limit is reached: the session must end.</summary>
        public bool LimitReached => Failures >= _limit;

        /// <summary>The delay the next failure will cost, in ms.</summary>
        public int NextDelayMs
        {
            get
            {
                long d = _baseDelayMs;
                for (int i = 0; i < Failures && d < _maxDelayMs; i++) d *= 2;
                return d > _maxDelayMs ? _maxDelayMs : (int)d;
            }
        }

        /// <summary>Counts a failure and sleeps its delay; returns the delay in ms.</summary>
        public int Fail()
        {
            int d = NextDelayMs;
            Failures++;
            TotalDelayMs += d;
            if (d > 0) Thread.Sleep(d);
            return d;
        }
    }
}
