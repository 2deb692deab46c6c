// One IMAP session's view of a mailbox (RFC 9051 §2.3.1): the messages of one mailbox
// in UID order, so that message sequence numbers ascend with UIDs as the RFC requires.
// The UID is the one POP3's UIDL shows (RecipientStatus.Uid, from the store's sequence
// counter when the message was filed): one source of truth, so a message deleted by
// either protocol is gone for both and UIDs never repeat within the mailbox's life.
// Flags: \Seen and \Deleted only, kept in the recipient's Status record
// (RecipientStatus.FlagSeen); each change is one durable record with its own CRC, so a
// power cut leaves the old or the new flags, never a mix. Expunge appends an Expunged
// status per message (as POP3's UPDATE does) and syncs them together.
// A view is a snapshot: the session makes a new one to learn of new or vanished
// messages (MailboxStore.OpenView) and reports the difference itself.
// The same object is POP3's maildrop (IMaildrop): UniqueId is the UID in the queue-id
// alphabet, Commit is Expunge.
// Left out on purpose: other flags and keywords (not stored), more than one folder.

using System;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>A snapshot of a mailbox for IMAP. Used by one session thread; index 0-based.</summary>
    public sealed class MailboxView : IMaildrop
    {
        private readonly MessageStore _store;
        private readonly QueuedMessage[] _messages;
        private readonly int[] _recipients;
        private MessageReader? _reader;
        private int _readerIndex = -1;

        internal MailboxView(MessageStore store, QueuedMessage[] messages, int[] recipients)
        {
            _store = store;
            _messages = messages;
            _recipients = recipients;
            // Insertion sort by UID: mailboxes hold tens of messages, and the queue's own
            // order is by arrival, which a retried local delivery can overtake.
            for (int i = 1; i < messages.Length; i++)
            {
                QueuedMessage m = messages[i];
                int r = recipients[i];
                long u = m.GetStatus(r).Uid;
                int j = i - 1;
                while (j >= 0 && messages[j].GetStatus(recipients[j]).Uid > u)
                {
                    messages[j + 1] = messages[j];
                    recipients[j + 1] = recipients[j];
                    j--;
                }
                messages[j + 1] = m;
                recipients[j + 1] = r;
            }
        }

        /// <summary>Messages in the snapshot.</summary>
        public int Count => _messages.Length;

        /// <summary>The UID of message <paramref name="index"/> (the POP3 UIDL's number).</summary>
        public long Uid(int index)
        {
            return _messages[index].GetStatus(_recipients[index]).Uid;
        }

        /// <summary>POP3's unique-id: the UID in the queue-id alphabet (RFC 1939 §7).</summary>
        public string UniqueId(int index)
        {
            return QueueId.Format(Uid(index));
        }

        /// <summary>POP3's UPDATE (RFC 1939 §6): true when every marked message is out of the mailbox now.</summary>
        public bool Commit(bool[] deleted)
        {
            int marked = 0;
            for (int i = 0; i < deleted.Length; i++) if (deleted[i]) marked++;
            return Expunge(deleted) == marked;
        }

        /// <summary>Drops the cached reader; the view stays usable.</summary>
        public void Close()
        {
            _reader = null;
            _readerIndex = -1;
        }

        /// <summary>Flag bits now (RecipientStatus.FlagSeen, FlagDeleted); 0 once the message left the mailbox.</summary>
        public int Flags(int index)
        {
            return _messages[index].GetStatus(_recipients[index]).MailboxFlags;
        }

        /// <summary>True while the message is still in the mailbox (not expunged by this or another session, or by POP3).</summary>
        public bool IsPresent(int index)
        {
            QueuedMessage m = _messages[index];
            return !m.IsRemoved && m.GetStatus(_recipients[index]).State == RecipientState.InMailbox;
        }

        /// <summary>Exact size in octets, CRLF line ends (RFC822.SIZE).</summary>
        public long SizeOf(int index)
        {
            return _messages[index].Size;
        }

        /// <summary>When the gateway accepted the message (INTERNALDATE, RFC 9051 §2.3.3), UTC.</summary>
        public DateTime ArrivalUtc(int index)
        {
            return _messages[index].ArrivalUtc;
        }

        /// <summary>Copies up to <paramref name="count"/> octets from <paramref name="position"/>; 0 at the end.</summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the storage failed.</exception>
        public int Read(int index, long position, byte[] buffer, int offset, int count)
        {
            if (_readerIndex != index)
            {
                _reader = _store.OpenReader(_messages[index]);
                _readerIndex = index;
            }
            return _reader!.Read(position, buffer, offset, count);
        }

        /// <summary>
        /// Sets the flag bits of message <paramref name="index"/> durably (one Status record,
        /// synced). Returns false when the message is no longer in the mailbox.
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the storage failed.</exception>
        public bool SetFlags(int index, int flags)
        {
            if (!IsPresent(index)) return false;
            QueuedMessage m = _messages[index];
            RecipientStatus s = m.GetStatus(_recipients[index]);
            flags &= RecipientStatus.FlagSeen | RecipientStatus.FlagDeleted;
            if (s.MailboxFlags == flags) return true;
            int attempts = (s.Attempts & ~(RecipientStatus.FlagSeen | RecipientStatus.FlagDeleted)) | flags;
            try
            {
                _store.SetStatus(m, _recipients[index], new RecipientStatus(RecipientState.InMailbox, attempts, s.NextAttemptUtc, s.Code, s.Text, s.Mailbox, s.Uid));
            }
            catch (InvalidOperationException)
            {
                return false;   // removed meanwhile by another session
            }
            return true;
        }

        /// <summary>
        /// Removes every message whose <paramref name="expunge"/> entry is true, all under one
        /// sync, each all-or-nothing (POP3's UPDATE uses it too: IMaildrop.Commit). Returns how
        /// many of them are out of the mailbox now (a removed message is not counted).
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the storage failed.</exception>
        public int Expunge(bool[] expunge)
        {
            int gone = 0;
            bool unsynced = false;
            for (int i = 0; i < _messages.Length; i++)
            {
                if (!expunge[i]) continue;
                QueuedMessage m = _messages[i];
                if (m.IsRemoved) continue;
                RecipientStatus s = m.GetStatus(_recipients[i]);
                if (s.State != RecipientState.InMailbox) { gone++; continue; }   // another session took it out
                try
                {
                    _store.SetStatus(m, _recipients[i], new RecipientStatus(RecipientState.Expunged, s.Attempts, s.NextAttemptUtc, s.Code, s.Text, s.Mailbox, s.Uid), false);
                }
                catch (InvalidOperationException)
                {
                    continue;
                }
                unsynced = true;
                gone++;
                if (m.AllFinal && _store.Remove(m)) unsynced = false;   // Remove syncs what is before it
            }
            if (unsynced) _store.Flush();
            return gone;
        }
    }
}
