// The flash-backed message queue (ARCHITECTURE.md, Flash format): a log of append-only
// segment files (SegmentLog) holding Data, Commit, Status and Remove records
// (RecordFormat), and a small RAM index of committed messages (QueuedMessage).
//
// Guarantees:
//  - Commit returns only after the message's data pieces and its Commit record are
//    flushed: "250 after DATA" means durable (RFC 5321 §6.1). A message without a
//    durable Commit record is invisible after any crash.
//  - One Sync per accepted message whatever its size: a message that fits one write unit
//    is written whole at commit into the shared segment (data and Commit record, and
//    sessions committing at once share that Sync: group commit, Publish); a longer one
//    goes to a message file of its own from its first full unit (SegmentLog's header) and
//    costs that file's one Sync, taken outside the lock.
//  - Status changes and removals are new records, flushed before the call returns.
//  - Space is counted in whole 4 KiB blocks against the configured capacity; new mail
//    is refused (452 4.3.1, RFC 3463) before the reserve is touched; bounces may use the
//    reserve down to the compaction share; status records and compaction may use all.
//  - The index holds at most MaxMessages entries of outbound mail (committed + being
//    written; ReservedLocalMessages of them only for locally generated mail) plus
//    MailboxMessages of mail that waits only in local mailboxes: unread POP3 mail never
//    takes outbound mail's entries (README, Capacity). The mailbox byte budget is kept by
//    local delivery (it evicts or defers), so outbound mail keeps the rest of the bytes.
// The delivery-facing API is in MessageStore.Delivery.cs; compaction and recovery in
// MessageStore.Compaction.cs and MessageStore.Recovery.cs.
// Thread-safety: one lock around the index and the log (the board has one core and one
// flash), except the Syncs of group commit and of message files, which run outside it
// (Publish) so that the other sessions go on meanwhile.
// Left out on purpose: priorities between messages, per-domain queues, encryption at rest.

using System;
using System.Collections;
using System.Threading;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>The message queue on flash. Thread-safe.</summary>
    public sealed partial class MessageStore : IMessageStore, IClientShare
    {
        /// <summary>Smallest data piece worth putting at the end of a segment, bytes.</summary>
        private const int MinPiece = 64;

        // Recovery and compaction stream records through this many bytes at a time instead
        // of holding a whole write unit (1-2 KB of heap on a board) for the life of the store.
        private const int ScratchSize = 256;

        /// <summary>Longest reply or error text kept in a status, characters (longer is cut).</summary>
        public const int MaxStatusText = 200;

        /// <summary>Longest enhanced status code kept ("x.yyy.zzz" is 11, RFC 3463 §2), characters.</summary>
        public const int MaxStatusCode = 16;

        /// <summary>Longest mailbox name kept in a status, characters.</summary>
        public const int MaxMailboxName = 64;

        /// <summary>Commit record bytes an envelope must leave for the piece list (85 pieces: 170 KB at 2 KB write units).</summary>
        private const int PieceListRoom = 1024;

        private readonly object _gate = new object();
        private readonly IFileStore _files;
        private readonly QueueOptions _options;
        private readonly IClock _clock;
        private SegmentLog _log;               // replaced by Reopen (MessageStore.Reopen.cs)
        private RecordReader _fields;
        private readonly BufferPool _writerBuffers;
        private readonly byte[] _scratch = new byte[ScratchSize]; // recovery scan, compaction copy, piece entries; under _gate
        private readonly ArrayList _messages = new ArrayList();  // QueuedMessage, commit order
        private readonly ArrayList _writers = new ArrayList();   // open MessageWriter
        private readonly bool _readOnly;
        private readonly AutoResetEvent _recordIn = new AutoResetEvent(false);   // a Commit record was written (group commit)
        private int _committing;                                                  // commits begun whose Commit record is not written yet

        private MessageStore(IFileStore files, QueueOptions options, IClock clock, bool readOnly)
        {
            _files = files;
            _options = options;
            _clock = clock;
            _readOnly = readOnly;
            _log = new SegmentLog(files, options.SegmentSize, options.CapacityBytes, options.WriteUnit);
            _fields = new RecordReader(_log);
            _writerBuffers = new BufferPool("queue", options.WriteUnit, readOnly ? 0 : options.MaxWriters);
        }

        /// <summary>Opens the store on <paramref name="files"/>, recovering what is there.</summary>
        /// <exception cref="StorageException">the medium failed during recovery.</exception>
        public static MessageStore Open(IFileStore files, QueueOptions options, IClock clock)
        {
            MessageStore s = new MessageStore(files, options, clock, false);
            s.Recover();
            return s;
        }

        /// <summary>
        /// Opens the store for reading only (mailq): recovers the index without deleting or
        /// writing anything, so it can look at the files of a running gateway.
        /// </summary>
        public static MessageStore OpenReadOnly(IFileStore files, IClock clock)
        {
            QueueOptions o = new QueueOptions(1L << 40, 1048576, 4096, 2 * 1048576 + 4L * QueueOptions.BlockSize, 1 << 20, 1);
            MessageStore s = new MessageStore(files, o, clock, true);
            s.Recover();
            return s;
        }

        /// <summary>The settings.</summary>
        public QueueOptions Options => _options;

        /// <summary>Committed messages in the index.</summary>
        public int Count
        {
            get { lock (_gate) { return _messages.Count; } }
        }

        /// <summary>Bytes in use on flash (whole blocks, including buffered appends).</summary>
        public long UsedBytes
        {
            get { lock (_gate) { return _log.UsedBytes; } }
        }

        /// <summary>Appends (writes to the medium) made since open.</summary>
        public long AppendCount
        {
            get { lock (_gate) { return _log.AppendCount; } }
        }

        /// <summary>Syncs (durability points) made since open.</summary>
        public long SyncCount
        {
            get { lock (_gate) { return _log.SyncCount; } }
        }

        /// <summary>Segment files in use.</summary>
        public int SegmentCount
        {
            get { lock (_gate) { return _log.SegmentCount; } }
        }

        /// <summary>Writers begun and not yet committed or aborted (0 when no message is being written).</summary>
        public int OpenWriters
        {
            get { lock (_gate) { return _writers.Count; } }
        }

        /// <summary>Write-unit buffers rented by writers (0 when idle): a leak here refuses mail for good.</summary>
        public int WriterBuffersInUse
        {
            get { lock (_gate) { return _writerBuffers.InUse; } }
        }

        /// <summary>Messages whose records compaction copied forward since open.</summary>
        public long Relocations { get; private set; }

        /// <summary>Segments deleted since open.</summary>
        public long SegmentsDeleted { get; private set; }

        /// <summary>Records dropped at recovery because they were inconsistent (should stay 0).</summary>
        public int RecoveryDropped { get; private set; }

        /// <summary>Sequence number the next record gets (ids and UIDs are below it).</summary>
        public long NextSequence
        {
            get { lock (_gate) { return _log.NextSequence; } }
        }

        // ---- listener side (IMessageStore) -------------------------------------------------

        /// <inheritdoc/>
        public bool HasRoomFor(long size)
        {
            lock (_gate)
            {
                if (_readOnly) return false;
                if (_log.IsBroken)
                {
                    _work.Set();   // the queue runner reopens the store (MessageStore.Reopen.cs)
                    return false;
                }
                if (!HasEntryFor(false)) return false;
                return RoomFor(size, _options.ReserveBytes);
            }
        }

        /// <inheritdoc/>
        public IMessageWriter? BeginMessage(Envelope envelope)
        {
            return Begin(envelope, false);
        }

        /// <summary>
        /// Starts a locally generated message (a bounce or delay notice from Core, sender ""):
        /// the same writer path, but it may use the index entries and the bytes reserved
        /// for local mail, so bounces go out while the listener answers 452 4.3.1.
        /// Returns null when even the reserve is exhausted.
        /// </summary>
        public IMessageWriter? BeginLocalMessage(Envelope envelope)
        {
            return Begin(envelope, true);
        }

        /// <summary>Closes the files. The store is unusable afterwards.</summary>
        public void Close()
        {
            lock (_gate) { _log.Close(); }
        }

        // ---- writer support (called by MessageWriter) ----------------------------------------

        private IMessageWriter? Begin(Envelope envelope, bool local)
        {
            lock (_gate)
            {
                CheckWritable();
                if (!HasEntryFor(local)) return null;
                long floor = local ? _options.CompactionReserve : _options.ReserveBytes;
                if (!RoomFor(0, floor)) return null;
                // The Commit record must fit in one segment with room for a piece list:
                // refuse a pathological envelope now rather than fail at Commit. About 25
                // bytes per recipient plus its addresses: 16 KB segments take hundreds.
                if (CommitSize(envelope, 0) > _log.MaxRecordPayload - PieceListRoom) return null;
                byte[]? buffer = _writerBuffers.TryRent();
                if (buffer == null) return null;
                bool handedOut = false;
                try
                {
                    MessageWriter w = new MessageWriter(this, _log.TakeSequence(), envelope, buffer, floor);
                    w.Generation = _generation;
                    w.Local = local;
                    _writers.Add(w);
                    handedOut = true;
                    return w;
                }
                finally
                {
                    // An allocation that fails here (OutOfMemoryException) must not keep the buffer.
                    if (!handedOut) _writerBuffers.Return(buffer);
                }
            }
        }

        /// <summary>Appends a full writer buffer as data pieces. False when the store has no room for it.</summary>
        internal bool AppendPieces(MessageWriter w, byte[] buffer, int count)
        {
            lock (_gate)
            {
                CheckWritable(w);
                int commitSize = CommitSize(w.Envelope, w.Pieces.Count + 8);
                if (commitSize > _log.MaxRecordPayload) return false;
                long need = count + 2L * (RecordFormat.Overhead + RecordFormat.DataPrefix) + commitSize + RecordFormat.Overhead + RecordFormat.SegmentHeaderSize;
                // A full unit before the end (Commit hands over the last, partial one): the
                // message is longer than a unit and its data go to a message file. Not a
                // locally made one (a bounce or notice, few): it is written at the delivery
                // thread's deepest point, where a file of its own is heap the esp32-c3 lacks.
                MessageFile? f = w.File;
                bool own = f != null || (!w.Local && count == buffer.Length - RecordFormat.DataHead - 4);
                if (f == null)
                {
                    if (!FitsAfterCleaning(need, w.Floor)) return false;
                }
                else if (!_log.FitsIn(f, need, w.Floor))
                {
                    Compact(true);
                    if (!_log.FitsIn(f, need, w.Floor)) return false;
                }
                if (own)
                {
                    if (f == null)
                    {
                        f = _log.CreateMessageFile(w.Id, _scratch);
                        w.File = f;
                    }
                    w.Pieces.Add(_log.AppendData(f, buffer, count), count);
                    return true;
                }
                // As Data records, split where the active segment ends. In place, not in a
                // method of its own: a bounce is written at the delivery thread's deepest
                // point, where one more frame on nanoCLR is 204 bytes of heap.
                int offset = RecordFormat.DataHead;
                while (count > 0)
                {
                    long loc = BeginData(w.Id, count, out int n);
                    _log.Put(buffer, offset, n);
                    _log.End();
                    w.Pieces.Add(loc, n);
                    offset += n;
                    count -= n;
                }
                return true;
            }
        }

        /// <summary>First half of a commit (MessageWriter.Commit): appends the Commit record, not yet durable nor visible.</summary>
        internal QueuedMessage WriteCommitRecord(MessageWriter w, long size)
        {
            lock (_gate)
            {
                CheckWritable(w);
                MessageFile? f = w.File;
                int len = CommitSize(w.Envelope, w.Pieces.Count);
                if (len > _log.MaxRecordPayload || !(f != null ? _log.FitsIn(f, len + RecordFormat.Overhead, w.Floor / 2) : _log.Fits(len + RecordFormat.Overhead, w.Floor / 2)))
                {
                    throw new StorageException("queue store full");
                }
                w.Envelope.ArrivalUtc = _clock.UtcNow;
                RecipientStatus[] status = new RecipientStatus[w.Envelope.RecipientCount];
                for (int i = 0; i < status.Length; i++) status[i] = RecipientStatus.Initial;
                QueuedMessage m = new QueuedMessage(w.Id, w.Envelope, size, status);
                if (f == null)
                {
                    WriteCommit(m, w.Pieces);
                }
                else
                {
                    // Into its message file, through its unit (its data are all appended).
                    _log.Target(f, w.Unit!);
                    try
                    {
                        WriteCommit(m, w.Pieces);
                    }
                    finally
                    {
                        _log.Untarget();
                    }
                    // Its Status and Remove records go to the shared segments from here on:
                    // it pins them from the active one (Compaction keeps what it pins).
                    m.MinSegment = _log.ActiveNumber >= 0 ? _log.ActiveNumber : _log.NextSegmentNumber;
                }
                CountLive(m, w.Pieces, 1);
                w.Pending = m;
                CommitArrived(w);
                return m;
            }
        }

        /// <summary>Rounds a committer waits for others' Commit records before it syncs alone.</summary>
        private const int GroupRounds = 4;

        /// <summary>Longest wait of one round, ms: small next to a sync (a LittleFS close is tens of ms).</summary>
        private const int GroupWaitMs = 4;

        /// <summary>A writer's Commit has started: group commit waits for its record (see Publish).</summary>
        internal void CommitStarting(MessageWriter w)
        {
            // A message file's Commit record never reaches the shared segment: nobody waits for it.
            if (w.File != null) return;
            // Not under the lock: a committer that waits for the lock must be counted already.
            w.Announced = true;
            Interlocked.Increment(ref _committing);
        }

        /// <summary>The writer's Commit record is written, or its commit failed: it no longer holds a sync back.</summary>
        private void CommitArrived(MessageWriter w)
        {
            if (!w.Announced) return;
            w.Announced = false;
            Interlocked.Decrement(ref _committing);
            _recordIn.Set();
        }

        /// <summary>
        /// Second half of a commit, group commit: returns once the writer's Commit record is
        /// durable, then shows the message to delivery. A committer that finds others half
        /// way through their commit (begun, Commit record not yet written) lets them write it
        /// first, for a few ms at most; then one syncs for all, outside the store lock
        /// (SegmentLog.BeginFlush/FlushShared/EndFlush), so that sessions go on beginning,
        /// receiving and appending meanwhile (with the Sync under the lock they queued for the
        /// lock, not for the Sync, and none found another's record to share), and a committer
        /// whose record came during that Sync waits for it to end and takes the next one. Whoever finds DurableSequence past its record
        /// returns without a Sync. A failed Sync breaks the log, so every committer still
        /// waiting fails too (451 4.3.0, nothing acknowledged). A message file is synced
        /// alone, also outside the lock (only its writer uses it). One method, not two: on
        /// nanoCLR each frame is heap.
        /// </summary>
        internal QueuedMessage Publish(MessageWriter w, QueuedMessage m)
        {
            MessageFile? f = w.File;
            if (f != null)
            {
                // Its own file, its own Sync, outside the lock: only this writer uses the file
                // until the message is published, and the others append meanwhile.
                try
                {
                    _log.SyncFile(f);
                }
                catch (Exception)
                {
                    lock (_gate)
                    {
                        if (w.Generation == _generation) _log.Fail("message file sync failed");
                    }
                    throw;
                }
                lock (_gate)
                {
                    CheckWritable(w);
                    _log.FileSynced(f);
                    _writers.Remove(w);
                    w.Pending = null;
                    _messages.Add(m);
                    _work.Set();
                    return m;
                }
            }
            // Rounds in which nobody's record came (the wait ran out) end the wait, not wakeups:
            // a signal left from an earlier arrival would use the rounds up at once. All rounds
            // together are capped, so a steady stream of arrivals cannot hold a commit long.
            int idle = 0;
            for (int round = 0; ; round++)
            {
                SegmentLog? log = null;
                long upTo = 0;
                lock (_gate)
                {
                    // The writer's generation too: after a reopen its record may be gone.
                    CheckWritable(w);
                    if (_log.DurableSequence >= m.CommitSequence)
                    {
                        _writers.Remove(w);
                        w.Pending = null;
                        _messages.Add(m);
                        _work.Set();   // MessageStore.Signal.cs: delivery starts now, not at its next poll
                        return m;
                    }
                    if (!_log.Flushing && (_committing <= 0 || idle >= GroupRounds || round >= 4 * GroupRounds))
                    {
                        log = _log;
                        upTo = log.BeginFlush();
                    }
                }
                if (log == null)
                {
                    if (!_recordIn.WaitOne(GroupWaitMs, false)) idle++;
                    continue;
                }
                bool ok = false, synced = false;
                try
                {
                    synced = log.FlushShared();
                    ok = true;
                }
                finally
                {
                    lock (_gate) { log.EndFlush(upTo, ok, synced); }
                    _recordIn.Set();   // committers waiting for this flush look again
                }
            }
        }

        /// <summary>Forgets a writer (abort or failed commit) and returns its buffer.</summary>
        internal void EndWriter(MessageWriter w, byte[] buffer)
        {
            lock (_gate)
            {
                CommitArrived(w);
                _writers.Remove(w);
                _writerBuffers.Return(buffer);
                MessageFile? f = w.File;
                w.File = null;
                // Its data are dead: the file goes now. A reopen since has recovered the files
                // itself, and a broken log leaves it to the reopen's recovery.
                if (f == null || w.Generation != _generation || _log.IsBroken) return;
                try
                {
                    _log.DeleteMessageFile(f);
                }
                catch (StorageException)
                {
                    // The log is broken now: the reopen's recovery deletes the file.
                }
            }
        }

        internal void ReturnBuffer(byte[] buffer)
        {
            lock (_gate) { _writerBuffers.Return(buffer); }
        }

        // ---- reader support (called by MessageReader) ------------------------------------------

        /// <summary>Reads piece <paramref name="index"/>'s entry from the message's Commit record.</summary>
        internal void ReadPiece(QueuedMessage m, int index, out int segment, out long offset, out int length)
        {
            lock (_gate)
            {
                CheckReadable(m);
                // The entry is read whole into the scratch buffer and decoded here, not field by
                // field through RecordReader: RETR and FETCH stream a message at the bottom of
                // a session's stack, where each nested frame on nanoCLR is 204 bytes of heap.
                long at = RecordFormat.OffsetOf(m.CommitLocation) + RecordFormat.HeaderSize + m.PiecesOffset + 4 + index * RecordFormat.PieceEntrySize;
                byte[] b = _scratch;
                if (_log.ReadAt(RecordFormat.SegmentOf(m.CommitLocation), at, b, 0, RecordFormat.PieceEntrySize) != RecordFormat.PieceEntrySize)
                {
                    throw new StorageException("record shorter than its fields");
                }
                segment = (int)RecordFormat.GetU32(b, 0);
                offset = RecordFormat.GetU32(b, 4);
                length = (int)RecordFormat.GetU32(b, 8);
            }
        }

        /// <summary>Reads data bytes of a piece; false when the message moved or went away meanwhile.</summary>
        internal int ReadData(QueuedMessage m, int moves, int segment, long position, byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                CheckReadable(m);
                if (m.Moves != moves) return -1;
                return _log.ReadAt(segment, position, buffer, offset, count);
            }
        }

        // ---- internals ---------------------------------------------------------------------------

        private void CheckReadable(QueuedMessage m)
        {
            if (m.IsRemoved) throw new InvalidOperationException("message " + m.QueueId + " was removed");
        }

        private void CheckWritable()
        {
            if (_readOnly) throw new InvalidOperationException("queue store opened read-only");
            if (_log.IsBroken) throw new StorageException("queue store failed earlier; reopen it");
        }

        /// <summary>True when a new outbound message may take an index entry (local: from the reserved ones too).</summary>
        private bool HasEntryFor(bool local)
        {
            int held = 0;
            for (int i = 0; i < _messages.Count; i++) if (((QueuedMessage)_messages[i]!).InMailboxOnly) held++;
            if (held > _options.MailboxMessages) held = _options.MailboxMessages;   // past the budget they count as outbound
            int limit = local ? _options.MaxMessages : _options.MaxMessages - _options.ReservedLocalMessages;
            return _messages.Count - held + _writers.Count < limit;
        }

        /// <summary>Messages waiting only in local mailboxes, and their octets (the mailbox budget's use).</summary>
        public int MailboxUsage(out long bytes)
        {
            lock (_gate)
            {
                int n = 0;
                bytes = 0;
                for (int i = 0; i < _messages.Count; i++)
                {
                    QueuedMessage m = (QueuedMessage)_messages[i]!;
                    if (!m.InMailboxOnly) continue;
                    n++;
                    bytes += m.Size;
                }
                return n;
            }
        }

        /// <inheritdoc/>
        public bool WithinShare(string clientAddress, int percent)
        {
            lock (_gate)
            {
                int n = 0;
                long bytes = 0;
                for (int i = 0; i < _messages.Count; i++)
                {
                    QueuedMessage m = (QueuedMessage)_messages[i]!;
                    if (m.InMailboxOnly || m.Envelope.ClientAddress != clientAddress) continue;
                    n++;
                    bytes += m.Size;
                }
                for (int i = 0; i < _writers.Count; i++)
                {
                    MessageWriter w = (MessageWriter)_writers[i]!;
                    if (w.Envelope.ClientAddress != clientAddress) continue;
                    n++;
                    bytes += w.Length;
                }
                long entries = (long)(_options.MaxMessages - _options.ReservedLocalMessages) * percent / 100;
                long room = (_options.CapacityBytes - _options.ReserveBytes) * percent / 100;
                return n < (entries < 1 ? 1 : entries) && bytes < room;
            }
        }

        /// <summary>Index entries of outbound mail in use (committed or being written), for the capacity warnings.</summary>
        public int OutboundCount
        {
            get
            {
                lock (_gate)
                {
                    int n = _writers.Count;
                    for (int i = 0; i < _messages.Count; i++) if (!((QueuedMessage)_messages[i]!).InMailboxOnly) n++;
                    return n;
                }
            }
        }

        /// <summary>As CheckWritable, and the writer must have begun since the last Reopen: its pieces were in the log before it.</summary>
        private void CheckWritable(MessageWriter w)
        {
            CheckWritable();
            if (w.Generation != _generation) throw new StorageException("queue store was reopened while message " + w.QueueId + " was written");
        }

        /// <summary>True when a message of <paramref name="size"/> bytes fits above <paramref name="floor"/>, after cleaning if need be.</summary>
        private bool RoomFor(long size, long floor)
        {
            // Data records cost their header per write unit; the commit record about 1 KB.
            long pieces = size / (_options.WriteUnit - RecordFormat.Overhead) + 2;
            long need = size + pieces * (RecordFormat.Overhead + RecordFormat.DataPrefix + RecordFormat.PieceEntrySize) + 1024;
            return FitsAfterCleaning(need, floor);
        }

        private QueuedMessage? FindLocked(long id)
        {
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                if (m.Id == id) return m;
            }
            return null;
        }

        private static string Cut(string text, int max)
        {
            return text.Length > max ? text.Substring(0, max) : text;
        }

        /// <summary>
        /// Opens a Data record of message <paramref name="id"/> for up to
        /// <paramref name="count"/> bytes: fewer when the active segment ends sooner (a
        /// record never spans segments), unless that would make a piece smaller than
        /// MinPiece. <paramref name="n"/> is what the record takes; returns its location.
        /// </summary>
        private long BeginData(long id, int count, out int n)
        {
            n = count;
            int room = _log.RoomInActive() - RecordFormat.DataPrefix;
            if (room >= MinPiece && n > room) n = room;
            long loc = _log.Begin(RecordType.Data, RecordFormat.DataPrefix + n);
            _log.PutI64(id);
            return loc;
        }

        /// <summary>Payload size of the first Commit record (all recipients Queued, no texts) for this envelope and piece count.</summary>
        private static int CommitSize(Envelope e, int pieceCount)
        {
            int n = 8 + 8 + 8 + 1 + 1 + 8;
            n += RecordFormat.StringSize(e.Sender) + RecordFormat.StringSize(e.EnvelopeId) + RecordFormat.StringSize(e.ClientAddress)
                + RecordFormat.StringSize(e.ClientHelo) + RecordFormat.StringSize(e.AuthenticatedUser) + 2;
            for (int i = 0; i < e.RecipientCount; i++)
            {
                EnvelopeRecipient r = e.GetRecipient(i);
                n += RecordFormat.StringSize(r.Address) + 1 + 1 + RecordFormat.StringSize(r.OriginalRecipient);
                n += 1 + 2 + 8 + 8 + 3 * 2;   // status fields, empty strings
            }
            return n + 4 + pieceCount * RecordFormat.PieceEntrySize;
        }
    }
}
