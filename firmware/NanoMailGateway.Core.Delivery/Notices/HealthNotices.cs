// The gateway's health notices to notify_to (README, Notices), composed by LocalSubmission:
//   UnexpectedStop    the gateway started and found its previous run had not stopped cleanly
//                     (the host or the board reports it: RunMarker, Core.Gateway);
//   QueueAlarm        the queue rose past 90 % (CapacityWatch.AlarmPercent);
//   StorageRecovered  the store was reopened after a storage fault (DeliveryAgent, README, Storage faults);
//   UplinkBack        the network uplink (the board's Wi-Fi) was down and is back; the value
//                     is the outage in ms.
// Rate limit per kind: at most one notice per notify_interval. An event inside the interval
// is only counted (no allocation: a counter and the last value); the next notice of that
// kind, or the summary Poll sends once the interval is over, reports how many there were
// ("Wi-Fi went down 37 times since the last notice"). So a flapping condition sends one
// notice an interval, not hundreds. The interval runs on the monotonic clock.
// The DeliveryAgent makes this object (with its three small arrays) and its LocalSubmission
// at the first notice: a gateway that never sends one pays nothing.
// Left out on purpose: keeping the counts across a restart (a board in a boot loop sends a
// notice per boot; its log says why), notices for a condition that ends (the queue falling
// again is in the log).

using System;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Notices
{
    /// <summary>Rate-limited health notices. Thread-safe (one lock; sending happens outside it).</summary>
    public sealed class HealthNotices
    {
        /// <summary>Notice kinds (an index: nanoFramework has no enum names to print).</summary>
        public const int UnexpectedStop = 0, QueueAlarm = 1, StorageRecovered = 2, UplinkBack = 3, Kinds = 4;

        private readonly IClock _clock;
        private readonly long[] _sentMs = new long[Kinds];   // monotonic ms of each kind's last notice; -1 = none yet
        private readonly int[] _missed = new int[Kinds];     // events counted since that notice
        private readonly long[] _last = new long[Kinds];     // the value of the latest counted event

        /// <param name="submission">Composes and queues them; notify_interval and hostname are read from its configuration.</param>
        public HealthNotices(LocalSubmission submission, IClock clock)
        {
            Submission = submission;
            _clock = clock;
            for (int k = 0; k < Kinds; k++) _sentMs[k] = -1;
        }

        /// <summary>What composes and queues the notices.</summary>
        public LocalSubmission Submission { get; }

        /// <summary>
        /// Reports an event of <paramref name="kind"/> with its value (the percent, the reopen
        /// attempts, the outage in ms) and an optional detail line. Sends a notice when the kind's
        /// interval is over (true when it was queued); otherwise counts the event and returns false.
        /// Never throws for a full or failed queue (LocalSubmission.Submit logs it). Any thread.
        /// </summary>
        public bool Raise(int kind, long value, string? detail)
        {
            int missed;
            lock (this)
            {
                long now = _clock.MonotonicMilliseconds;
                if (_sentMs[kind] >= 0 && now - _sentMs[kind] < Submission.Config.NotifyIntervalSeconds * 1000L)
                {
                    _missed[kind]++;
                    _last[kind] = value;
                    return false;
                }
                missed = _missed[kind];
                _missed[kind] = 0;
                _sentMs[kind] = now;
            }
            return Send(kind, value, detail, missed, false);
        }

        /// <summary>Counts an event of <paramref name="kind"/> for the next <see cref="Poll"/> to report, sending
        /// nothing now (for a caller deep in error handling). Any thread.</summary>
        public void Defer(int kind, long value)
        {
            lock (this)
            {
                _missed[kind]++;
                _last[kind] = value;
            }
        }

        /// <summary>Sends the summary of each kind whose interval is over with events counted in it.
        /// Cheap when there is none (no allocation): the delivery workers call it after every pass.</summary>
        public void Poll()
        {
            for (int kind = 0; kind < Kinds; kind++)
            {
                int missed;
                long value;
                lock (this)
                {
                    long now = _clock.MonotonicMilliseconds;
                    if (_missed[kind] == 0 || (_sentMs[kind] >= 0 && now - _sentMs[kind] < Submission.Config.NotifyIntervalSeconds * 1000L)) continue;
                    missed = _missed[kind];
                    value = _last[kind];
                    _missed[kind] = 0;
                    _sentMs[kind] = now;
                }
                Send(kind, value, null, missed, true);
            }
        }

        private bool Send(int kind, long value, string? detail, int missed, bool summary)
        {
            if (summary && missed == 1)
            {
                summary = false;   // one event (Defer, or one left over) reads as a notice of its own
                missed = 0;
            }
            string host = Submission.Config.Hostname;
            string subject;
            string text;
            string times = missed == 1 ? "once" : missed.ToString() + " times";
            if (kind == UnexpectedStop)
            {
                subject = "Gateway " + host + " started after an unexpected stop";
                text = "The gateway " + host + " started and found that its previous run did not stop cleanly"
                    + " (a power cut, a crash, a reset or its own last-resort reboot; the log says which).\r\n"
                    + "Mail accepted with 250 before is still queued; a delivery under way may be made twice.";
            }
            else if (kind == QueueAlarm)
            {
                subject = "Mail queue " + value.ToString() + "% full on " + host;
                text = summary ? "The mail queue of " + host + " rose past " + value.ToString() + "% " + times + " since the last notice."
                    : "The mail queue of " + host + " is " + value.ToString() + "% full" + (detail == null ? "" : ": " + detail) + ".\r\n"
                    + "At 100% new mail is refused with 452 4.3.1 until delivery or POP3 makes room.";
            }
            else if (kind == StorageRecovered)
            {
                subject = "Storage of " + host + " recovered";
                text = summary ? "The queue's storage of " + host + " failed and was recovered " + times + " since the last notice;"
                    + " the last reopen took " + value.ToString() + " attempt(s)."
                    : "The queue's storage of " + host + " failed and was reopened after " + value.ToString() + " attempt(s)"
                    + (detail == null ? "" : ": " + detail) + ".\r\nNothing that got 250 is lost; a delivery under way may be made twice.";
            }
            else
            {
                subject = "Network of " + host + " back" + (summary ? "" : " after " + (value / 1000).ToString() + " s");
                text = summary ? "The network (Wi-Fi) of " + host + " went down " + times + " since the last notice; the last outage lasted "
                    + (value / 1000).ToString() + " s" + "."
                    : "The network (Wi-Fi) of " + host + " was down for " + (value / 1000).ToString() + " s" + " and is back. Mail waited in the queue.";
            }
            if (!summary && missed > 0) text += "\r\nEvents of this kind since the last notice, not sent then: " + missed.ToString() + ".";
            return Submission.Submit(Submission.NotifyRecipients(), subject, text + "\r\n");
        }

    }
}
