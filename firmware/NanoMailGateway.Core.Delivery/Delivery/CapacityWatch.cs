// Warns before the queue is full (README, Capacity). After each delivery pass the queue
// runner looks at the listener's share of the store: outbound index entries against
// queue_max_messages, bytes against storage_capacity less the reserve (new mail gets
// 452 4.3.1 at 100 %). Passing 75 % and 90 % each logs a warning once; the first rise past
// 75 % starts an episode and queues one notice to notify_to (the postmaster by default),
// composed by LocalSubmission (from <>, Auto-Submitted: auto-generated). Every rise past 90 %
// raises the QueueAlarm health notice, which notify_interval rate-limits (README, Notices). The
// episode ends when use falls below 60 %, so a queue that hovers at 75 % sends one notice,
// not one per message. A notice that cannot be queued (reserve used up) is not retried in
// that episode: the log line stays.
// Left out on purpose: a 75 % notice per level (the log has them), notices by another channel.

using System;
using NanoMailGateway.Core.Notices;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Capacity warnings and the notices to notify_to. Thread-safe (one lock; notices are rare).</summary>
    internal sealed class CapacityWatch
    {
        /// <summary>Levels, percent of the listener's share: the first warning and the start of an episode
        /// (Warn), the second warning (Alarm), and below Clear the episode is over.</summary>
        public const int WarnPercent = 75, AlarmPercent = 90, ClearPercent = 60;

        private const string Component = "qmgr";
        private const string Crlf = "\r\n";

        private readonly DeliveryAgent _agent;   // its store, log and host name; its Submission composes and queues the notices
        private int _level;          // 0, WarnPercent or AlarmPercent

        public CapacityWatch(DeliveryAgent agent)
        {
            _agent = agent;
        }

        /// <summary>Notices queued since start (one per episode at most).</summary>
        public int NoticesSent { get; private set; }

        /// <summary>Compares the queue's use with the levels; logs and queues the notice on a rise.</summary>
        public void Check(int session)
        {
            MessageStore store = _agent._store;
            QueueOptions o = store.Options;
            int entries = store.OutboundCount;
            long bytes = store.QueuedBytes;   // not UsedBytes: dead records wait there for cleaning
            long share = o.CapacityBytes - o.ReserveBytes;
            long percent = (long)entries * 100 / o.MaxMessages;
            long bytePercent = bytes * 100 / share;
            if (bytePercent > percent) percent = bytePercent;
            bool notice;
            int level;
            lock (this)
            {
                level = percent >= AlarmPercent ? AlarmPercent : percent >= WarnPercent ? WarnPercent
                    : percent >= ClearPercent && _level > 0 ? WarnPercent : 0;
                if (level == _level) return;   // the usual case: nothing allocated
                notice = level > _level && _level == 0;
                bool falling = level < _level;
                _level = level;
                if (falling && level > 0) return;
            }
            string use = entries.ToString() + " of " + o.MaxMessages.ToString() + " messages, "
                + bytes.ToString() + " of " + share.ToString() + " bytes";
            if (level == 0)
            {
                _agent._log.Write(Component, session, "queue below " + ClearPercent.ToString() + "% again: " + use);
                return;
            }
            _agent._log.Write(Component, session, "warning: queue " + level.ToString() + "% full: " + use
                + "; new mail gets 452 4.3.1 at 100%");
            if (notice) SendNotice(level, use);
            // Past 90 %: the health notice, rate-limited by notify_interval (README, Notices).
            if (level == AlarmPercent) _agent.Notices.Raise(HealthNotices.QueueAlarm, AlarmPercent, use);
        }

        private void SendNotice(int percent, string use)
        {
            LocalSubmission submission = _agent.Submission;
            bool queued = submission.Submit(submission.NotifyRecipients(), "Mail queue " + percent.ToString() + "% full on " + _agent._options.HostName,
                "The mail queue of " + _agent._options.HostName + " is " + percent.ToString() + "% full: " + use + "." + Crlf
                + "At 100% new mail is refused with 452 4.3.1 until delivery or POP3 makes room." + Crlf
                + "This is the only notice until the queue falls below " + ClearPercent.ToString() + "%." + Crlf);
            if (queued) NoticesSent++;
        }
    }
}
