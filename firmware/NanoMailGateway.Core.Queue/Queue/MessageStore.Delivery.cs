// The delivery-facing side of the queue: which messages and recipients are due (by the
// next-attempt time, wall clock UTC from IClock, so that it survives a restart), their
// envelope and states, a streaming reader for the data, status changes (appended as
// Status records, never rewritten), removal once every recipient is final, and the
// compaction hook for the queue runner. POP3 will use the same reader and the
// InMailbox/Expunged states (the UID comes from the store's sequence counter).

using System;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    public sealed partial class MessageStore
    {
        // ---- delivery side -----------------------------------------------------------------

        /// <summary>A snapshot of the committed messages in arrival order (one array per call).</summary>
        public QueuedMessage[] GetMessages()
        {
            lock (_gate)
            {
                QueuedMessage[] a = new QueuedMessage[_messages.Count];
                _messages.CopyTo(a);
                return a;
            }
        }

        /// <summary>The message with this queue id, or null.</summary>
        public QueuedMessage? Find(string queueId)
        {
            long id = QueueId.Parse(queueId);
            lock (_gate) { return id < 0 ? null : FindLocked(id); }
        }

        /// <summary>Messages with at least one recipient due at <paramref name="nowUtc"/>, oldest first.</summary>
        public QueuedMessage[] GetDue(DateTime nowUtc)
        {
            lock (_gate)
            {
                int n = 0;
                for (int i = 0; i < _messages.Count; i++) if (((QueuedMessage)_messages[i]!).NextDueUtc <= nowUtc) n++;
                QueuedMessage[] a = new QueuedMessage[n];
                n = 0;
                for (int i = 0; i < _messages.Count; i++)
                {
                    QueuedMessage m = (QueuedMessage)_messages[i]!;
                    if (m.NextDueUtc <= nowUtc) a[n++] = m;
                }
                return a;
            }
        }

        /// <summary>Earliest time any recipient is due (MaxValue when none will be): when the runner should wake.</summary>
        public DateTime NextDueUtc()
        {
            lock (_gate)
            {
                DateTime next = DateTime.MaxValue;
                for (int i = 0; i < _messages.Count; i++)
                {
                    DateTime d = ((QueuedMessage)_messages[i]!).NextDueUtc;
                    if (d < next) next = d;
                }
                return next;
            }
        }

        /// <summary>A reader for the message's data (RFC 5322 text with CRLF), chunk by chunk.</summary>
        public MessageReader OpenReader(QueuedMessage message)
        {
            return new MessageReader(this, message);
        }

        /// <summary>
        /// Records a new status for recipient <paramref name="recipient"/>: appends a Status
        /// record and flushes it before returning. For InMailbox the UID is assigned here
        /// (the record's sequence number) and is in the returned status.
        /// </summary>
        /// <exception cref="StorageException">the medium failed or is completely full.</exception>
        /// <exception cref="InvalidOperationException">the message was removed.</exception>
        public RecipientStatus SetStatus(QueuedMessage message, int recipient, RecipientStatus status)
        {
            return SetStatus(message, recipient, status, true);
        }

        /// <summary>
        /// As <see cref="SetStatus(QueuedMessage, int, RecipientStatus)"/>; with
        /// <paramref name="durable"/> false the record is only buffered, so that several
        /// recipients of one attempt cost one flush: call <see cref="Flush"/> after the last.
        /// Until then a power cut may forget the change (the recipient is tried again: a
        /// duplicate, never a loss, RFC 5321 §6.1).
        /// </summary>
        public RecipientStatus SetStatus(QueuedMessage message, int recipient, RecipientStatus status, bool durable)
        {
            lock (_gate)
            {
                CheckWritable();
                if (message.IsRemoved) throw new InvalidOperationException("message " + message.QueueId + " was removed");
                if (recipient < 0 || recipient >= message.RecipientCount) throw new ArgumentOutOfRangeException("recipient");
                string text = Cut(status.Text, MaxStatusText);
                string code = Cut(status.Code, MaxStatusCode);
                string mailbox = Cut(status.Mailbox, MaxMailboxName);
                int len = 8 + 2 + 1 + 2 + 8 + RecordFormat.StringSize(code) + RecordFormat.StringSize(text)
                    + RecordFormat.StringSize(mailbox) + 8;
                if (!_log.Fits(len + RecordFormat.Overhead, 0)) throw new StorageException("queue store full");
                _log.Begin(RecordType.Status, len);
                long uid = status.State == RecipientState.InMailbox && status.Uid == 0 ? _log.LastSequence : status.Uid;
                RecipientStatus s = new RecipientStatus(status.State, status.Attempts, status.NextAttemptUtc, code, text, mailbox, uid);
                _log.PutI64(message.Id);
                _log.PutU16(recipient);
                _log.PutByte((int)s.State);
                _log.PutU16(s.Attempts);
                _log.PutI64(s.NextAttemptUtc.Ticks);
                _log.PutString(s.Code);
                _log.PutString(s.Text);
                _log.PutString(s.Mailbox);
                _log.PutI64(s.Uid);
                _log.End();
                if (durable) _log.Commit();
                RecipientState before = message.GetStatus(recipient).State;
                message.SetStatus(recipient, s);
                if (before == RecipientState.InMailbox || s.State == RecipientState.InMailbox) Interlocked.Increment(ref _mailboxChanges);
                return s;
            }
        }

        /// <summary>Makes every buffered record durable (after SetStatus with durable false).</summary>
        public void Flush()
        {
            lock (_gate)
            {
                CheckWritable();
                _log.Commit();
            }
        }

        /// <summary>Recipient deferred until <paramref name="nextAttemptUtc"/> after a temporary failure.</summary>
        public RecipientStatus Defer(QueuedMessage message, int recipient, DateTime nextAttemptUtc, string code, string text)
        {
            int attempts = message.GetStatus(recipient).Attempts + 1;
            return SetStatus(message, recipient, new RecipientStatus(RecipientState.Deferred, attempts, nextAttemptUtc, code, text, "", 0));
        }

        /// <summary>Recipient accepted by the next hop.</summary>
        public RecipientStatus MarkDelivered(QueuedMessage message, int recipient, string code, string text)
        {
            int attempts = message.GetStatus(recipient).Attempts + 1;
            return SetStatus(message, recipient, new RecipientStatus(RecipientState.Delivered, attempts, DateTime.MinValue, code, text, "", 0));
        }

        /// <summary>Recipient failed for good.</summary>
        public RecipientStatus MarkFailed(QueuedMessage message, int recipient, string code, string text)
        {
            int attempts = message.GetStatus(recipient).Attempts + 1;
            return SetStatus(message, recipient, new RecipientStatus(RecipientState.Failed, attempts, DateTime.MinValue, code, text, "", 0));
        }

        /// <summary>
        /// Removes a message whose recipients are all final: appends a Remove record, flushes,
        /// drops it from the index and reclaims segments that became dead. Returns false
        /// (and does nothing) while a recipient is not final.
        /// </summary>
        public bool Remove(QueuedMessage message)
        {
            lock (_gate)
            {
                CheckWritable();
                if (message.IsRemoved) return true;
                if (!message.AllFinal) return false;
                if (!_log.Fits(RecordFormat.RemovePayload + RecordFormat.Overhead, 0)) throw new StorageException("queue store full");
                // A Commit only in its message file (which goes right after this Remove is
                // durable) is in no shared segment: an empty range, nothing to carry.
                int latest = RecordFormat.SegmentOf(message.CommitLocation);
                WriteRemove(message.Id, message.MinSegment, RecordFormat.IsMessageFile(latest) ? message.MinSegment - 1 : latest);
                _log.Commit();
                CountStoredLive(message, -1);
                _messages.Remove(message);
                message.IsRemoved = true;
                // Its message file, if it has one, goes once the Remove is durable, as a
                // queue file goes in one unlink (only its records are in it).
                MessageFile? f = _log.MessageFileOf(message.Id);
                if (f != null) _log.DeleteMessageFile(f);
                Compact(false);
                return true;
            }
        }

        /// <summary>Deletes dead segments (copying live records waits until space is short: MessageStore.Compaction.cs).</summary>
        public void Maintain()
        {
            lock (_gate)
            {
                CheckWritable();
                Compact(false);
            }
        }
    }
}
