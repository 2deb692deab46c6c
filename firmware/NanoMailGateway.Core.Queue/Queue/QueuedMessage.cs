// One entry of the queue's RAM index: what delivery, mailq and POP3 need to decide
// without touching flash (id, size, arrival, envelope, recipient states) plus where the
// message's latest Commit record is. The data pieces are not kept here: a reader finds
// them through the Commit record on flash, so an entry costs the same for 1 KB and 1 MB.
// Entries are created and changed only by MessageStore, under its lock.

using System;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>A committed message in the queue. Read-only for callers; thread-safe to read.</summary>
    public sealed class QueuedMessage
    {
        private readonly RecipientStatus[] _status;

        internal QueuedMessage(long id, Envelope envelope, long size, RecipientStatus[] status)
        {
            Id = id;
            QueueId = Queue.QueueId.Format(id);
            Envelope = envelope;
            Size = size;
            _status = status;
        }

        /// <summary>The message's sequence number (unique for the life of the store).</summary>
        public long Id { get; }

        /// <summary>The queue id shown in the 250 reply, the log and mailq.</summary>
        public string QueueId { get; }

        /// <summary>The envelope (sender, recipients, DSN parameters, client); ArrivalUtc is set.</summary>
        public Envelope Envelope { get; }

        /// <summary>Message size in bytes as stored (CRLF line ends).</summary>
        public long Size { get; }

        /// <summary>When the message was committed (UTC).</summary>
        public DateTime ArrivalUtc => Envelope.ArrivalUtc;

        /// <summary>Number of recipients (same as the envelope's).</summary>
        public int RecipientCount => _status.Length;

        /// <summary>True once the message was removed from the queue.</summary>
        public bool IsRemoved { get; internal set; }

        /// <summary>The latest committed status of recipient <paramref name="index"/>.</summary>
        public RecipientStatus GetStatus(int index)
        {
            lock (_status) { return _status[index]; }
        }

        /// <summary>True when every recipient is final (Delivered, Failed or Expunged).</summary>
        public bool AllFinal
        {
            get
            {
                lock (_status)
                {
                    for (int i = 0; i < _status.Length; i++) if (!_status[i].IsFinal) return false;
                    return true;
                }
            }
        }

        /// <summary>True when the message waits only in local mailboxes (a recipient InMailbox, the
        /// others final): it counts against the mailbox budget, not the outbound index entries.</summary>
        public bool InMailboxOnly
        {
            get
            {
                bool held = false;
                lock (_status)
                {
                    for (int i = 0; i < _status.Length; i++)
                    {
                        RecipientState s = _status[i].State;
                        if (s == RecipientState.InMailbox) held = true;
                        else if (!_status[i].IsFinal) return false;
                    }
                }
                return held;
            }
        }

        /// <summary>Earliest time a recipient is due for delivery or for its bounce (MinValue when one is
        /// Queued, MaxValue when none will be). A Bouncing recipient counts, so that the queue runner
        /// claims the message again, after a restart too, until its report is queued.</summary>
        public DateTime NextDueUtc
        {
            get
            {
                DateTime next = DateTime.MaxValue;
                lock (_status)
                {
                    for (int i = 0; i < _status.Length; i++)
                    {
                        RecipientStatus s = _status[i];
                        if (s.State == RecipientState.Queued) return DateTime.MinValue;
                        if ((s.State == RecipientState.Deferred || s.State == RecipientState.Bouncing) && s.NextAttemptUtc < next) next = s.NextAttemptUtc;
                    }
                }
                return next;
            }
        }

        internal void SetStatus(int index, RecipientStatus status)
        {
            lock (_status) { _status[index] = status; }
        }

        /// <summary>Takes the state <paramref name="recovered"/> (the same message as found by a reopen's
        /// recovery): callers that hold this entry keep working with it; readers drop cached locations.</summary>
        internal void Adopt(QueuedMessage recovered)
        {
            lock (_status)
            {
                for (int i = 0; i < _status.Length; i++) _status[i] = recovered.GetStatus(i);
            }
            CommitLocation = recovered.CommitLocation;
            CommitSequence = recovered.CommitSequence;
            PiecesOffset = recovered.PiecesOffset;
            CommitLength = recovered.CommitLength;
            PieceCount = recovered.PieceCount;
            MinSegment = recovered.MinSegment;
            Moves++;
        }

        /// <summary>Location of the latest Commit record (RecordFormat.Location).</summary>
        internal long CommitLocation { get; set; }

        /// <summary>Sequence number of the latest Commit record: older Status records are folded into it.</summary>
        internal long CommitSequence { get; set; }

        /// <summary>Offset of the piece count inside the Commit payload.</summary>
        internal int PiecesOffset { get; set; }

        /// <summary>Payload length of the latest Commit record.</summary>
        internal int CommitLength { get; set; }

        /// <summary>Number of data pieces.</summary>
        internal int PieceCount { get; set; }

        /// <summary>Oldest segment that may hold a record of this message (a data piece, its latest Commit or an
        /// older Commit copy): cleaning looks for it between here and its Commit, and its Remove names it.</summary>
        internal int MinSegment { get; set; }

        /// <summary>Bumped whenever the message's records move (relocation), so readers drop cached locations.</summary>
        internal int Moves { get; set; }
    }
}
