// Counters since start for the status page and /metrics, read off the gateway's own
// event lines (ILog) the way Postfix's log summarisers read its log: each event the
// counters need is already logged exactly once, in one fixed form (README, "Delivery":
// "status=sent|deferred|bounced"; smtpd's "from=<...>, size=, nrcpt=" at 250 and
// "reject: RCPT ... 554|550|452"; "rejected after DATA"; the listener's "refused").
// So no protocol module needs a counter of its own, and a board without the admin
// endpoint pays nothing.
// Left out on purpose: per-destination or per-client counters (unbounded tables).

using System.Threading;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Event counters. Observe is thread-safe; reads are unlocked snapshots of ints.</summary>
    public sealed class MailCounters
    {
        private int _accepted;
        private int _delivered;
        private int _deferred;
        private int _bounced;
        private int _rejectRelay;
        private int _rejectMailbox;
        private int _rejectFull;
        private int _rejectContent;
        private int _refusedBusy;

        /// <summary>Messages answered 250 after DATA.</summary>
        public int Accepted => _accepted;

        /// <summary>Recipient deliveries accepted by the next hop or a local mailbox.</summary>
        public int Delivered => _delivered;

        /// <summary>Recipient attempts that failed temporarily.</summary>
        public int Deferred => _deferred;

        /// <summary>Recipients that failed for good.</summary>
        public int Bounced => _bounced;

        /// <summary>RCPT refused with 554 5.7.1 (relay access denied).</summary>
        public int RejectedRelay => _rejectRelay;

        /// <summary>RCPT refused with 550 5.1.1 (no such mailbox).</summary>
        public int RejectedMailbox => _rejectMailbox;

        /// <summary>RCPT refused with 452 4.2.2 (mailbox full).</summary>
        public int RejectedFull => _rejectFull;

        /// <summary>Messages refused after DATA (size, line length, loops, queue full).</summary>
        public int RejectedContent => _rejectContent;

        /// <summary>Connections turned away busy (no slot or no buffers).</summary>
        public int RefusedBusy => _refusedBusy;

        /// <summary>Counts what one log event says.</summary>
        public void Observe(string component, string text)
        {
            if (text.IndexOf("status=") > 0)
            {
                if (text.IndexOf("status=sent") > 0) Interlocked.Increment(ref _delivered);
                else if (text.IndexOf("status=deferred") > 0) Interlocked.Increment(ref _deferred);
                else if (text.IndexOf("status=bounced") > 0) Interlocked.Increment(ref _bounced);
                return;
            }
            if (text.StartsWith("reject: RCPT"))
            {
                if (text.IndexOf("]: 554 ") > 0) Interlocked.Increment(ref _rejectRelay);
                else if (text.IndexOf("]: 550 ") > 0) Interlocked.Increment(ref _rejectMailbox);
                else if (text.IndexOf("]: 452 ") > 0) Interlocked.Increment(ref _rejectFull);
                return;
            }
            if (component != "smtpd" && component != "pop3d") return;
            if (text.IndexOf(": from=<") > 0 && text.IndexOf(", nrcpt=") > 0) Interlocked.Increment(ref _accepted);
            else if (text.IndexOf(": rejected after DATA") > 0) Interlocked.Increment(ref _rejectContent);
            else if (text.StartsWith("connect from ") && text.IndexOf(": refused") > 0) Interlocked.Increment(ref _refusedBusy);
        }
    }
}
