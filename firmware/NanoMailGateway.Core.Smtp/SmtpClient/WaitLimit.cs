// How long one wait of a delivery session may last while mail for other destinations is
// waiting: the defence against head-of-line blocking on boards with one delivery session
// (README, "Delivery"). RFC 5321 §4.5.3.2 gives each stage minutes; with one session, a
// server that drips its greeting or never answers the final dot would hold all other
// mail, alarms included, for that long. So a reply wait, a send, a connect or a TLS
// handshake that passes LimitMs asks the owner whether other mail waits: if so it gives
// up (a timeout: the recipients are deferred, RFC 5321 §4.5.4.1, and a message whose
// final dot was sent may come twice, §6.1); if not it goes on to the stage's own timeout,
// asking again each second. A healthy server answers each step in well under LimitMs,
// so only a slow one is cut, and only when someone else is waiting.
// The owner (the delivery agent) knows what "other mail" means; the question is asked at
// most once a second (it scans the queue).

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>The limit on one wait while other mail waits. Used by one session's thread.</summary>
    public abstract class WaitLimit
    {
        /// <summary>Least time between two looks at the queue, ms.</summary>
        public const int RecheckMs = 1000;

        private readonly IClock _clock;
        private long _checkedAt;
        private bool _checked;
        private bool _waiting;

        /// <summary>Creates the limit; <paramref name="limitMs"/> is the longest wait while others wait.</summary>
        protected WaitLimit(IClock clock, int limitMs)
        {
            _clock = clock;
            LimitMs = limitMs;
        }

        /// <summary>The longest wait while other mail waits, ms.</summary>
        public int LimitMs { get; }

        /// <summary>True when mail for another destination is due (asked at most once per RecheckMs).</summary>
        public bool OthersWaiting()
        {
            long now = _clock.MonotonicMilliseconds;
            if (!_checked || now - _checkedAt >= RecheckMs)
            {
                _waiting = AskOthersWaiting();
                _checked = true;
                _checkedAt = now;
            }
            return _waiting;
        }

        /// <summary>The timeout for one send, connect or handshake of <paramref name="timeoutMs"/>:
        /// LimitMs when that is shorter and other mail waits now.</summary>
        public int Cap(int timeoutMs)
        {
            return timeoutMs > LimitMs && OthersWaiting() ? LimitMs : timeoutMs;
        }

        /// <summary>Whether mail for another destination is due now (the owner's answer).</summary>
        protected abstract bool AskOthersWaiting();
    }
}
