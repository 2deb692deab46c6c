// Warns before the queue is full (README, Capacity). After each delivery pass the queue
// runner looks at the listener's share of the store: outbound index entries against
// queue_max_messages, bytes against storage_capacity less the reserve (new mail gets
// 452 4.3.1 at 100 %). Passing 75 % and 90 % each logs a warning once; the first rise past
// 75 % starts an episode and queues one notice to the postmaster, composed by the gateway
// from <> (RFC 5321 §4.5.5) with Auto-Submitted: auto-generated (RFC 3834 §5). The
// episode ends when use falls below 60 %, so a queue that hovers at 75 % sends one notice,
// not one per message. A notice that cannot be queued (reserve used up) is not retried in
// that episode: the log line stays.
// Left out on purpose: a notice per level (the log has them), notices by another channel.

using System;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Capacity warnings and the postmaster notice. Thread-safe (one lock; notices are rare).</summary>
    internal sealed class CapacityWatch
    {
        /// <summary>Levels, percent of the listener's share: the first warning and the start of an episode
        /// (Warn), the second warning (Alarm), and below Clear the episode is over.</summary>
        public const int WarnPercent = 75, AlarmPercent = 90, ClearPercent = 60;

        private const string Component = "qmgr";
        private const string Crlf = "\r\n";

        private readonly MessageStore _store;
        private readonly DsnComposer _composer;   // writes the notice; shared with the reports, under its lock
        private readonly Mailbox.LocalRecipientMap _local;
        private readonly string _host;
        private readonly IClock _clock;
        private readonly ILog _log;
        private int _level;          // 0, WarnPercent or AlarmPercent

        public CapacityWatch(MessageStore store, DsnComposer composer, Mailbox.LocalRecipientMap local, string hostName, IClock clock, ILog log)
        {
            _store = store;
            _composer = composer;
            _local = local;
            _host = hostName;
            _clock = clock;
            _log = log;
        }

        /// <summary>Notices queued since start (one per episode at most).</summary>
        public int NoticesSent { get; private set; }

        /// <summary>Compares the queue's use with the levels; logs and queues the notice on a rise.</summary>
        /// <exception cref="StorageException">the queue failed while writing the notice.</exception>
        public void Check(int session)
        {
            QueueOptions o = _store.Options;
            int entries = _store.OutboundCount;
            long bytes = _store.UsedBytes;
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
                _log.Write(Component, session, "queue below " + ClearPercent.ToString() + "% again: " + use);
                return;
            }
            _log.Write(Component, session, "warning: queue " + level.ToString() + "% full: " + use
                + "; new mail gets 452 4.3.1 at 100%");
            if (notice) SendNotice(level, use, session);
        }

        private bool Compose(IMessageWriter w, string text)
        {
            lock (_composer) { return _composer.ComposeText(w, text); }
        }

        private void SendNotice(int percent, string use, int session)
        {
            string postmaster = "postmaster@" + _host;
            Envelope env = new Envelope("");
            env.AddRecipient(new EnvelopeRecipient(postmaster, _local.IsLocal(postmaster), DsnNotify.Never, null));
            IMessageWriter? w = _store.BeginLocalMessage(env);
            bool committed = false;
            try
            {
                DateTime now = _clock.UtcNow;
                if (w != null && Compose(w, "From: Mail Delivery System <MAILER-DAEMON@" + _host + ">" + Crlf
                    + "To: <" + postmaster + ">" + Crlf
                    + "Subject: Mail queue " + percent.ToString() + "% full on " + _host + Crlf
                    + "Date: " + Text.Rfc5322Date.Format(now) + Crlf
                    + "Message-ID: <" + now.Ticks.ToString() + ".capacity@" + _host + ">" + Crlf
                    + "Auto-Submitted: auto-generated" + Crlf + Crlf
                    + "The mail queue of " + _host + " is " + percent.ToString() + "% full: " + use + "." + Crlf
                    + "At 100% new mail is refused with 452 4.3.1 until delivery or POP3 makes room." + Crlf
                    + "This is the only notice until the queue falls below " + ClearPercent.ToString() + "%." + Crlf))
                {
                    w.Commit();
                    committed = true;
                    NoticesSent++;
                    _log.Write(Component, session, "capacity notice to <" + postmaster + ">: " + w.QueueId);
                    return;
                }
                _log.Write(Component, session, "cannot queue the capacity notice to <" + postmaster + ">: queue full");
            }
            finally
            {
                if (w != null && !committed) w.Abort();
            }
        }
    }
}
