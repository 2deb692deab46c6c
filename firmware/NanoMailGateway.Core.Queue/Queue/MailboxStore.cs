// Local mailboxes inside the queue (ARCHITECTURE.md, Flash format: POP3 mailboxes live in the same flash
// log). A message delivered to a local mailbox stays in the store with its recipient in
// state InMailbox (mailbox name + UID); this class shows those recipients to the POP3
// server as maildrops (IMaildropStore / IMaildrop, RFC 1939).
//  - UniqueId is the UID in the queue-id alphabet: taken from the store's sequence
//    counter when the message was put in the mailbox, so stable across restarts and
//    never reused (RFC 1939 §7, UIDL).
//  - Commit (DELE then QUIT, RFC 1939 §6) appends an Expunged status per message and syncs
//    them together (each record has its CRC): after a power cut every message is wholly
//    present with its old UID or gone. A message whose recipients are then all final
//    leaves the queue.
// Which mailboxes exist is the configuration's business: Open never returns null here,
// an unknown or empty mailbox is an empty maildrop.
// Left out on purpose: the one-session-per-mailbox lock (the POP3 server holds it).


namespace NanoMailGateway.Core.Queue
{
    /// <summary>Maildrops over the recipients of a <see cref="MessageStore"/> that sit in local mailboxes. Thread-safe.</summary>
    public sealed class MailboxStore : IMaildropStore
    {
        private readonly MessageStore _store;

        /// <summary>Shows the local mailboxes of <paramref name="store"/>.</summary>
        public MailboxStore(MessageStore store)
        {
            _store = store;
        }

        /// <inheritdoc/>
        public IMaildrop? Open(string mailbox)
        {
            QueuedMessage[] all = _store.GetMessages();
            int n = 0;
            for (int i = 0; i < all.Length; i++) n += CountIn(all[i], mailbox);
            QueuedMessage[] messages = new QueuedMessage[n];
            int[] recipients = new int[n];
            n = 0;
            for (int i = 0; i < all.Length; i++)
            {
                for (int r = 0; r < all[i].RecipientCount; r++)
                {
                    if (!IsIn(all[i].GetStatus(r), mailbox)) continue;
                    messages[n] = all[i];
                    recipients[n] = r;
                    n++;
                }
            }
            return new Maildrop(_store, messages, recipients);
        }

        /// <summary>
        /// Octets held in <paramref name="mailbox"/> (the sum of its messages' sizes), for the
        /// per-mailbox quota: the listener answers 452 4.2.2 and local delivery defers when
        /// a message would take the mailbox past it (RFC 3463 4.2.2 mailbox full).
        /// </summary>
        public long UsedBytes(string mailbox)
        {
            QueuedMessage[] all = _store.GetMessages();
            long used = 0;
            for (int i = 0; i < all.Length; i++) used += CountIn(all[i], mailbox) * all[i].Size;
            return used;
        }

        private static int CountIn(QueuedMessage m, string mailbox)
        {
            int n = 0;
            for (int r = 0; r < m.RecipientCount; r++) if (IsIn(m.GetStatus(r), mailbox)) n++;
            return n;
        }

        private static bool IsIn(RecipientStatus s, string mailbox)
        {
            return s.State == RecipientState.InMailbox && s.Mailbox == mailbox;
        }

        /// <summary>One session's snapshot of a mailbox.</summary>
        private sealed class Maildrop : IMaildrop
        {
            private readonly MessageStore _store;
            private readonly QueuedMessage[] _messages;
            private readonly int[] _recipients;
            private readonly RecipientStatus[] _status;   // as at the snapshot: UID and mailbox
            private MessageReader? _reader;
            private int _readerIndex = -1;

            internal Maildrop(MessageStore store, QueuedMessage[] messages, int[] recipients)
            {
                _store = store;
                _messages = messages;
                _recipients = recipients;
                _status = new RecipientStatus[messages.Length];
                for (int i = 0; i < messages.Length; i++) _status[i] = messages[i].GetStatus(recipients[i]);
            }

            public int Count => _messages.Length;

            public long SizeOf(int index)
            {
                return _messages[index].Size;
            }

            public string UniqueId(int index)
            {
                return QueueId.Format(_status[index].Uid);
            }

            public int Read(int index, long position, byte[] buffer, int offset, int count)
            {
                if (_readerIndex != index)
                {
                    _reader = _store.OpenReader(_messages[index]);
                    _readerIndex = index;
                }
                return _reader!.Read(position, buffer, offset, count);
            }

            public bool Commit(bool[] deleted)
            {
                // The Expunged records of one UPDATE share a sync (a sync costs a flash block on
                // the board): a power cut leaves each deletion whole or absent, never half.
                bool all = true;
                bool unsynced = false;
                for (int i = 0; i < _messages.Length; i++)
                {
                    if (!deleted[i]) continue;
                    QueuedMessage m = _messages[i];
                    RecipientStatus s = _status[i];
                    if (m.IsRemoved)
                    {
                        all = false;
                        continue;
                    }
                    _store.SetStatus(m, _recipients[i], new RecipientStatus(RecipientState.Expunged, s.Attempts, s.NextAttemptUtc, s.Code, s.Text, s.Mailbox, s.Uid), false);
                    unsynced = true;
                    if (m.AllFinal && _store.Remove(m)) unsynced = false;   // Remove syncs what is before it
                }
                if (unsynced) _store.Flush();
                return all;
            }

            public void Close()
            {
                _reader = null;
                _readerIndex = -1;
            }
        }
    }
}
