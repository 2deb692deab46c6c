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
//  - Evict makes room under the mailbox budget (QueueOptions.MailboxMessages/Bytes):
//    local delivery takes the oldest message the gateway made itself (a report or notice,
//    sender <>) out of the mailboxes before it defers new mail there (README, Capacity).
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
            // The view is the maildrop too: no second object per session (ARCHITECTURE.md, Memory).
            return OpenView(mailbox);
        }

        /// <summary>
        /// The messages of <paramref name="mailbox"/> in UID order, for an IMAP session
        /// (MailboxView). An unknown or empty mailbox is an empty view.
        /// </summary>
        public MailboxView OpenView(string mailbox)
        {
            QueuedMessage[] messages = Collect(mailbox, out int[] recipients);
            return new MailboxView(_store, messages, recipients);
        }

        /// <summary>The messages in <paramref name="mailbox"/>, one entry per recipient there, and which recipient.</summary>
        private QueuedMessage[] Collect(string mailbox, out int[] recipients)
        {
            QueuedMessage[] all = _store.GetMessages();
            int n = 0;
            for (int i = 0; i < all.Length; i++) n += CountIn(all[i], mailbox);
            QueuedMessage[] messages = new QueuedMessage[n];
            recipients = new int[n];
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
            return messages;
        }

        /// <summary>Bumped by each change to any mailbox's content or flags (MessageStore.MailboxChanges).</summary>
        public int Changes => _store.MailboxChanges;

        /// <summary>A number above every UID given so far (IMAP UIDNEXT, RFC 9051 §7.1): the store's next sequence number.</summary>
        public long NextUid => _store.NextSequence;

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

        /// <summary>
        /// The oldest message from &lt;&gt; (a report or notice the gateway composed) that waits only in
        /// local mailboxes (in <paramref name="mailbox"/> when not null), other than
        /// <paramref name="keep"/>; null when there is none.
        /// </summary>
        public QueuedMessage? OldestGenerated(string? mailbox, QueuedMessage? keep)
        {
            QueuedMessage[] all = _store.GetMessages();
            for (int i = 0; i < all.Length; i++)
            {
                QueuedMessage m = all[i];
                if (m == keep || m.Envelope.Sender.Length != 0 || !m.InMailboxOnly) continue;
                if (mailbox == null || CountIn(m, mailbox) > 0) return m;
            }
            return null;
        }

        /// <summary>
        /// True when the mailboxes together cannot take <paramref name="size"/> more octets
        /// (mailbox_max_messages or mailbox_capacity reached) and no gateway-made message could
        /// give way: the listener answers 452 4.2.2 at RCPT (RFC 3463 mailbox full).
        /// </summary>
        public bool BudgetFull(long size)
        {
            int held = _store.MailboxUsage(out long bytes);
            QueueOptions o = _store.Options;
            if (held < o.MailboxMessages && bytes + size <= o.MailboxBytes) return false;
            return OldestGenerated(null, null) == null;
        }

        /// <summary>Takes <paramref name="message"/> out of every mailbox (Expunged, as a POP3 DELE would) and out of the queue.</summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the medium failed.</exception>
        public void Evict(QueuedMessage message)
        {
            for (int r = 0; r < message.RecipientCount; r++)
            {
                RecipientStatus s = message.GetStatus(r);
                if (s.State != RecipientState.InMailbox || message.IsRemoved) continue;
                _store.SetStatus(message, r, new RecipientStatus(RecipientState.Expunged, s.Attempts, s.NextAttemptUtc, s.Code, s.Text, s.Mailbox, s.Uid), false);
            }
            if (!_store.Remove(message)) _store.Flush();   // Remove syncs what is before it
        }

        private static int CountIn(QueuedMessage m, string mailbox)
        {
            int n = 0;
            for (int r = 0; r < m.RecipientCount; r++) if (IsIn(m.GetStatus(r), mailbox)) n++;
            return n;
        }

        // Mailbox names are account names, and those match without regard to case everywhere
        // (AccountDirectory, the POP3 lock): "USER Alerts" opens the mailbox filed as "alerts".
        private static bool IsIn(RecipientStatus s, string mailbox)
        {
            return s.State == RecipientState.InMailbox && s.Mailbox != null && Text.Ascii.EqualsIgnoreCase(s.Mailbox, mailbox);
        }
    }
}
