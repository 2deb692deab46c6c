// Turns one attempt's DeliveryStatus for one recipient into the queue's record, the
// Postfix-style log line and, when the sender asked for it, an entry of the batch's
// RFC 3464 report:
//   - 2xx: Delivered ("relayed" is reported for NOTIFY=SUCCESS when the next hop did
//     not take the DSN parameters, RFC 3461 §5.2.2);
//   - transient: Deferred with the backoff of RetrySchedule, or, past queue_lifetime,
//     failed with 4.4.7 (RFC 3463);
//   - permanent: Failed, reported per NOTIFY (RFC 3461 §4.1). A recipient owed a report
//     is first recorded Bouncing and becomes Failed only once the report is committed
//     (SettleBounces): after 250 the message is delivered or reported (RFC 5321 §6.1),
//     so a report that cannot be written now (queue full, OutOfMemoryException) is tried
//     again later, from the stored status, after a restart too (AddOwedBounces).
// A message with the null reverse-path is never bounced (RFC 5321 §4.5.5, §6.1): its
// failed recipients go to the postmaster mailbox instead, and if that fails too
// (no postmaster account, mailbox full) the recipient is dropped with a log line.
// Statuses are buffered (SetStatus durable:false); the batch flushes once per message.

using System;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Records outcomes. Thread-safe (the store locks; each MessageWork belongs to one thread).</summary>
    internal sealed class OutcomeRecorder
    {
        /// <summary>The relay= value for local delivery and for decisions made without a server.</summary>
        public const string RelayLocal = "local";

        /// <summary>The relay= value when no server was reached.</summary>
        public const string RelayNone = "none";

        private readonly MessageStore _store;
        private readonly MailboxStore _mailboxes;
        private readonly LocalRecipientMap _local;
        private readonly DeliveryAgentOptions _options;
        private readonly RetrySchedule _schedule;
        private readonly IClock _clock;
        private readonly ILog _log;

        public OutcomeRecorder(MessageStore store, MailboxStore mailboxes, LocalRecipientMap local, DeliveryAgentOptions options,
            RetrySchedule schedule, IClock clock, ILog log)
        {
            _store = store;
            _mailboxes = mailboxes;
            _local = local;
            _options = options;
            _schedule = schedule;
            _clock = clock;
            _log = log;
        }

        /// <summary>The schedule (expiry, warnings).</summary>
        public RetrySchedule Schedule => _schedule;

        /// <summary>
        /// Records <paramref name="status"/> for recipient <paramref name="index"/> of the work's message.
        /// </summary>
        /// <param name="relay">"host[ip]:port", "local" or "none" for the log.</param>
        /// <param name="remoteMta">The server's name for Remote-MTA, or null.</param>
        /// <param name="dsnPassedOn">The server took NOTIFY/ORCPT: it sends success notices itself.</param>
        /// <exception cref="StorageException">the queue could not record it.</exception>
        public void Apply(MessageWork work, int index, DeliveryStatus status, string relay, string? remoteMta, bool dsnPassedOn, int session)
        {
            QueuedMessage m = work.Message;
            EnvelopeRecipient rcpt = m.Envelope.GetRecipient(index);
            DateTime now = _clock.UtcNow;
            int attempts = m.GetStatus(index).Attempts + 1;
            string component = relay == RelayLocal ? "local" : "smtp";
            if (status.Outcome == DeliveryOutcome.Transient && _schedule.IsExpired(m.ArrivalUtc, now))
            {
                status = RetrySchedule.Expired(status);   // RFC 3463 4.4.7: queue_lifetime is over
            }
            if (status.Outcome == DeliveryOutcome.Permanent && m.Envelope.Sender.Length == 0)
            {
                Log(component, session, work, rcpt, relay, status, status.Describe(), now);
                ToPostmaster(work, index, status, session);
                return;
            }
            RecipientState state;
            DateTime next = DateTime.MinValue;
            DsnAction action = DsnAction.Failed;
            bool report;
            if (status.Outcome == DeliveryOutcome.Sent)
            {
                state = RecipientState.Delivered;
                action = DsnAction.Relayed;
                report = !dsnPassedOn && DsnPolicy.ShouldNotify(m.Envelope.Sender, rcpt.Notify, action, false);
            }
            else if (status.Outcome == DeliveryOutcome.Transient)
            {
                state = Pending(m, index);
                if (state == RecipientState.Deferred)
                {
                    next = new DateTime(now.Ticks + _schedule.NextDelayMs(attempts) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                }
                report = false;   // delay notices are decided per message, once (DeliveryAgent)
            }
            else
            {
                report = DsnPolicy.ShouldNotify(m.Envelope.Sender, rcpt.Notify, action, false);
                state = report ? RecipientState.Bouncing : RecipientState.Failed;
            }
            string described = status.Describe();   // once, for the record and the line
            _store.SetStatus(m, index, new RecipientStatus(state, attempts, next, status.EnhancedCode, described, "", 0), false);
            work.Dirty = true;
            Log(component, session, work, rcpt, relay, status, described, now);
            if (report) work.Reports.Add(new DsnRecipient(rcpt, action, status, remoteMta, now, _schedule.GiveUpTime(m.ArrivalUtc)));
        }

        /// <summary>Deferred, or Held when the operator's hold came while this attempt was under way (QueueControl).</summary>
        private static RecipientState Pending(QueuedMessage m, int index)
        {
            return m.GetStatus(index).State == RecipientState.Held ? RecipientState.Held : RecipientState.Deferred;
        }

        /// <summary>Files the message for recipient <paramref name="index"/> in <paramref name="mailbox"/>
        /// (state InMailbox; the store assigns the UID) and logs it.</summary>
        public void FileInMailbox(MessageWork work, int index, string mailbox, string why, int session)
        {
            QueuedMessage m = work.Message;
            EnvelopeRecipient rcpt = m.Envelope.GetRecipient(index);
            DateTime now = _clock.UtcNow;
            int attempts = m.GetStatus(index).Attempts + 1;
            RecipientStatus s = _store.SetStatus(m, index,
                new RecipientStatus(RecipientState.InMailbox, attempts, DateTime.MinValue, "2.0.0", why, mailbox, 0), false);
            work.Dirty = true;
            DeliveryStatus sent = new DeliveryStatus(DeliveryOutcome.Sent, 0, "2.0.0", why + ", uid " + s.Uid.ToString());
            Log("local", session, work, rcpt, RelayLocal, sent, sent.Describe(), now);
            if (DsnPolicy.ShouldNotify(m.Envelope.Sender, rcpt.Notify, DsnAction.Delivered, false))
            {
                work.Reports.Add(new DsnRecipient(rcpt, DsnAction.Delivered, sent, null, now, _schedule.GiveUpTime(m.ArrivalUtc)));
            }
        }

        /// <summary>
        /// Adds a report entry for every Bouncing recipient that has none in this batch: one whose
        /// report failed on an earlier pass or before a restart. It is rebuilt from the stored
        /// status (Status and reason; the Remote-MTA and the time of the failure are not stored).
        /// </summary>
        public void AddOwedBounces(MessageWork work, DateTime now)
        {
            QueuedMessage m = work.Message;
            for (int r = 0; r < m.RecipientCount; r++)
            {
                RecipientStatus s = m.GetStatus(r);
                if (s.State != RecipientState.Bouncing) continue;
                EnvelopeRecipient rcpt = m.Envelope.GetRecipient(r);
                if (HasReport(work, rcpt)) continue;
                work.Reports.Add(new DsnRecipient(rcpt, DsnAction.Failed, DeliveryStatus.LocalPermanent(s.Code, s.Text), null, now,
                    _schedule.GiveUpTime(m.ArrivalUtc)));
            }
        }

        /// <summary>
        /// After the batch's report: every Bouncing recipient becomes Failed when the report was
        /// <paramref name="queued"/> (buffered after its Commit: a power cut in between sends it
        /// twice, never not at all), or stays Bouncing until the next retry time.
        /// </summary>
        public void SettleBounces(MessageWork work, bool queued, DateTime now)
        {
            QueuedMessage m = work.Message;
            DateTime next = DateTime.MinValue;
            for (int r = 0; r < m.RecipientCount; r++)
            {
                RecipientStatus s = m.GetStatus(r);
                if (s.State != RecipientState.Bouncing) continue;
                if (!queued && next == DateTime.MinValue)
                {
                    // Backs off like a first failed attempt (retry_min), so a heap that stays short does not spin.
                    next = new DateTime(now.Ticks + _schedule.NextDelayMs(1) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                }
                _store.SetStatus(m, r, new RecipientStatus(queued ? RecipientState.Failed : RecipientState.Bouncing, s.Attempts,
                    next, s.Code, s.Text, "", 0), false);
                work.Dirty = true;
            }
        }

        private static bool HasReport(MessageWork work, EnvelopeRecipient rcpt)
        {
            for (int i = 0; i < work.Reports.Count; i++)
            {
                if (((DsnRecipient)work.Reports[i]!).Recipient == rcpt) return true;
            }
            return false;
        }

        /// <summary>
        /// True when <paramref name="mailbox"/> can take the work's message: within mailbox_quota
        /// and within the mailboxes' own budget (mailbox_max_messages, mailbox_capacity). When
        /// either is full, the oldest messages the gateway composed itself (reports, notices:
        /// sender &lt;&gt;) give way first, each with a log line (README, Capacity).
        /// </summary>
        public bool HasRoom(MessageWork work, string mailbox, int session)
        {
            QueuedMessage m = work.Message;
            QueueOptions o = _store.Options;
            while (true)
            {
                bool quota = _options.MailboxQuota <= 0 || _mailboxes.UsedBytes(mailbox) + m.Size <= _options.MailboxQuota;
                int held = _store.MailboxUsage(out long bytes);
                if (quota && held < o.MailboxMessages && bytes + m.Size <= o.MailboxBytes) return true;
                QueuedMessage? victim = _mailboxes.OldestGenerated(quota ? null : mailbox, m);
                if (victim == null) return false;
                _mailboxes.Evict(victim);
                _log.Write("local", session, victim.QueueId + ": removed unread from the mailboxes to make room for " + m.QueueId
                    + (quota ? " (mailbox budget full: " + held.ToString() + " messages, " + bytes.ToString() + " bytes)" : " (mailbox " + mailbox + " full)"));
            }
        }

        /// <summary>A failed message from &lt;&gt; (a bounce that could not be delivered): into the
        /// postmaster mailbox; if that cannot take it, dropped with a log line (never bounced).</summary>
        private void ToPostmaster(MessageWork work, int index, DeliveryStatus status, int session)
        {
            QueuedMessage m = work.Message;
            string? postmaster = _local.MailboxFor("postmaster@" + _options.HostName);
            string? own = m.Envelope.GetRecipient(index).IsLocal ? _local.MailboxFor(m.Envelope.GetRecipient(index).Address) : null;
            if (postmaster != null && postmaster != own && HasRoom(work, postmaster, session))
            {
                FileInMailbox(work, index, postmaster, "undeliverable mail from <> kept for postmaster: " + status.Describe(), session);
                return;
            }
            int attempts = m.GetStatus(index).Attempts + 1;
            _store.SetStatus(m, index, new RecipientStatus(RecipientState.Failed, attempts, DateTime.MinValue, status.EnhancedCode, status.Describe(), "", 0), false);
            work.Dirty = true;
            _log.Write("local", session, m.QueueId + ": undeliverable mail from <> dropped: postmaster mailbox "
                + (postmaster == null ? "does not exist" : "cannot take it") + " (" + status.Describe() + ")");
        }

        private void Log(string component, int session, MessageWork work, EnvelopeRecipient rcpt, string relay, DeliveryStatus status, string described, DateTime now)
        {
            long delay = (now.Ticks - work.Message.ArrivalUtc.Ticks) / TimeSpan.TicksPerSecond;
            if (delay < 0) delay = 0;
            _log.Write(component, session, DeliveryLogLine.Format(work.Message.QueueId, rcpt.Address, relay, delay, status, described));
        }
    }
}
