// Space reclaim for the queue log: cost-benefit cleaning, the policy of the log-structured
// file system of Rosenblum and Ousterhout. Dead bytes are left to pile up until new mail
// (or an append, a bounce) would not fit; then the segment that frees the most space per
// byte copied, weighted by how long it has stayed unchanged, is cleaned: its live records
// are appended again at the tail, made durable with one sync, and the segment file is
// deleted. Score of a segment with live share u (live bytes / length) and age a (segments
// written since it, the newest counting 1):
//   benefit / cost = (1 - u) * a / (1 + u)
// (reading it costs 1 and writing its live share back u; it frees 1 - u; data that has
// stayed long is likely to stay, so an old half-live segment goes before a young, slightly
// emptier one whose messages are still being delivered). The longer cleaning waits, the
// fewer live bytes a victim still holds. Before that, an oldest segment with nothing live
// goes at once without a copy (a FIFO delivery order costs no cleaning; if a message whose
// Commit is in its message file may have a Status record there, it is cleaned instead, see
// below), and when the store
// is near full so does any segment with nothing live (its Remove records carried, see below).
// Live bytes per segment are counted in SegmentInfo.Live: the data pieces and the latest
// Commit record of every message in the index, kept at commit, relocation and removal and
// rebuilt at recovery. Status and Remove records are not counted (small). The counters are
// one field per segment; a cleaning pass allocates nothing (the piece lists are reused).
//
// Why recovery stays right when any segment may go, not only the oldest. Recovery replays
// the segments in number order, which is sequence order (deleting one reorders nothing), so
// a record still wins over every older one. What deleting a segment V must not lose, per
// kind of record in V:
//  - Data pieces and the latest Commit of a message in the index: the message is copied
//    (its pieces in V appended again, a new Commit with the current recipient states and
//    the new piece list), durable before V is deleted.
//  - Status records newer than their message's latest Commit (found by walking V's record
//    headers): the message gets a new Commit, which folds the states in. A message in a
//    message file (SegmentLog's header) has its Commit there and its Status records in the
//    shared segments, so even the oldest segment may hold one of them: its MinSegment
//    names the first segment that may, and a dead oldest segment at or after it is cleaned
//    (walked) rather than just deleted; the new Commit goes to the shared segments.
//  - Remove records. Under FIFO a Remove outlived every Commit of its message because it
//    was newer. Out of order, a Commit of a removed message X that is still on flash with
//    all its pieces would bring X back if the Remove went first. So a Remove names the
//    segments where a Commit of X may still be: from QueuedMessage.MinSegment (the oldest
//    segment that may hold a record of X, older Commit copies included: a relocation never
//    raises it, since the copied-from Commit stays until its segment goes; deleting that
//    segment does; a recovery that finds two copies keeps the lower) to the segment of X's
//    latest Commit. Cleaning V keeps a Remove while another segment in that range exists:
//    it appends a copy (same range, 32 bytes) before V goes, else drops it. An 8-byte
//    Remove of the first format names no range: every segment older than its own counts.
//  - Older Commit copies, Status records older than a Commit, records of removed messages,
//    segment headers: dead. A Commit with a piece in a segment that is gone was superseded
//    (its message was copied, then that segment was cleaned): recovery skips it.
//  - The newest sequence number: the newest segment is never a victim, so ids and UIDs are
//    never reused.
// A power cut anywhere leaves V on flash (it is deleted last, after the sync): copies made
// so far are durable or lost; either way recovery sees a whole Commit of each message (the
// newer wins, MinSegment the lower of the two) and at worst two copies of a Remove.
// Left out on purpose: sorting copied data by age into segments of its own (one tail here),
// wear levelling (LittleFS does it below us).

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    public sealed partial class MessageStore
    {
        // Reused by every relocation, so that cleaning allocates nothing once they have grown.
        private readonly PieceList _oldPieces = new PieceList();
        private readonly PieceList _movedPieces = new PieceList();

        /// <summary>Segments deleted by cleaning (what was live in them copied forward first) since open.</summary>
        public long SegmentsCleaned { get; private set; }

        /// <summary>Segments deleted while an older one stayed (cleaning out of order) since open.</summary>
        public long DeletedOutOfOrder { get; private set; }

        /// <summary>Of those, segments a live message was copied out of.</summary>
        public long CopiedOutOfOrder { get; private set; }

        /// <summary>Of the relocations, Commits copied out of a message file into the shared segments (to fold in Status records there) since open.</summary>
        public long FileCommitsCopied { get; private set; }

        /// <summary>Remove records copied forward by cleaning since open.</summary>
        public long RemovesCarried { get; private set; }

        /// <summary>Bytes of records cleaning appended (copied pieces, new Commits, carried Removes) since open.</summary>
        public long CleaningBytes { get; private set; }

        /// <summary>
        /// Bytes the queued messages and open writers take on flash (records, without the dead
        /// ones cleaning has not reclaimed yet): what new mail is refused at, since copying
        /// waits until space is short and UsedBytes then stays near the limit.
        /// </summary>
        public long QueuedBytes
        {
            get { lock (_gate) { return LiveBytes(); } }
        }

        /// <summary>
        /// True when <paramref name="need"/> bytes fit above <paramref name="floor"/>: when they
        /// do not, cleans victims one at a time until they do (new mail would be refused).
        /// </summary>
        private bool FitsAfterCleaning(long need, long floor)
        {
            if (_log.Fits(need, floor)) return true;
            // Cleaning frees at most the dead bytes: when they are fewer than asked, copying
            // would only wear the flash (a full queue refusing mail must not rewrite itself).
            if (_log.UsedBytes - LiveBytes() < need) return false;
            for (int budget = _log.SegmentCount; budget > 0; budget--)
            {
                if (!Compact(true)) return false;
                if (_log.Fits(need, floor)) return true;
            }
            return false;
        }

        /// <summary>
        /// Deletes dead oldest segments. Copying waits until space is short: with
        /// <paramref name="pressure"/> (new mail or an append would be refused) the best
        /// segment by cost and benefit is cleaned; before that, when the store is near full,
        /// only a segment with nothing live (its Remove records carried, a few bytes). The
        /// longer dead bytes are left to pile up, the fewer live bytes a victim still holds
        /// (LFS cleaning cost). Returns true when it cleaned a segment.
        /// </summary>
        private bool Compact(bool pressure)
        {
            if (_readOnly || _log.IsBroken) return false;
            DeleteDeadHeads();
            if (!pressure && _log.UsedBytes <= _options.CapacityBytes - _options.ReserveBytes - _options.SegmentSize) return false;
            int victim = PickVictim(!pressure);
            if (victim < 0 || !Clean(victim)) return false;
            DeleteDeadHeads();
            return true;
        }

        /// <summary>Deletes oldest segments while they hold nothing live (never the newest): no copy needed.</summary>
        private void DeleteDeadHeads()
        {
            if (_readOnly) return;
            // The oldest segment can hold no Status newer than a Commit elsewhere (that Commit
            // would be older still) and no Remove whose range names another segment. Except
            // the Status records of a message whose Commit is in its message file (it has no
            // older shared segment): while one may be in the head, the head is cleaned, which
            // gives such a message a new Commit folding its states in.
            while (_log.SegmentCount >= 2)
            {
                SegmentInfo head = _log.GetSegment(0);
                if (head.Number == _log.ActiveNumber || head.Live > 0 || WriterHasRecordsIn(head.Number)) return;
                if (MessageFilePins(head.Number))
                {
                    if (!Clean(0)) return;
                    continue;
                }
                _log.Commit();
                DeleteSegment(0);
            }
        }

        /// <summary>True when a message whose latest Commit is in its message file may have a
        /// Status record in <paramref name="segment"/> (its MinSegment is there or before).</summary>
        private bool MessageFilePins(int segment)
        {
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                if (m.MinSegment <= segment && RecordFormat.IsMessageFile(RecordFormat.SegmentOf(m.CommitLocation))) return true;
            }
            return false;
        }

        /// <summary>Index of the segment with the best benefit/cost (<paramref name="deadOnly"/>: among
        /// those with nothing live), or -1 when none may be cleaned.</summary>
        private int PickVictim(bool deadOnly)
        {
            int newest = _log.SegmentCount - 1;
            if (newest < 1) return -1;
            int top = _log.GetSegment(newest).Number;
            int best = -1;
            double bestScore = 0;
            for (int i = 0; i < newest; i++)
            {
                SegmentInfo s = _log.GetSegment(i);
                if (s.Number == _log.ActiveNumber || WriterHasRecordsIn(s.Number)) continue;
                if (s.Live > 0 && (deadOnly || s.Live >= s.Length)) continue;
                double score = (double)(s.Length - s.Live) * (top - s.Number + 1) / (s.Length + s.Live);
                if (score <= bestScore) continue;
                bestScore = score;
                best = i;
            }
            return best;
        }

        /// <summary>
        /// Copies what is live in the segment at <paramref name="index"/> to the tail, syncs
        /// once, deletes it. False (the segment stays, copies made so far count) when there is no room.
        /// </summary>
        private bool Clean(int index)
        {
            SegmentInfo v = _log.GetSegment(index);
            int victim = v.Number;
            long copied = Relocations;
            // A copy that frees less than it writes must leave one segment free: otherwise a
            // run of such copies could eat the space every later copy needs.
            long floor = v.Live >= v.Length - QueueOptions.BlockSize ? _options.SegmentSize : 0;
            bool done = true;
            for (int i = 0; i < _messages.Count && done; i++)
            {
                // A message's records lie between its oldest segment and its Commit's.
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                if (m.MinSegment > victim || RecordFormat.SegmentOf(m.CommitLocation) < victim) continue;
                PieceList old = ReadPieceList(m, _oldPieces);
                if (RecordFormat.SegmentOf(m.CommitLocation) != victim && !HasPieceIn(old, victim)) continue;
                done = Relocate(m, victim, old, floor);
            }
            // Then what else the victim holds: Status records newer than a Commit, Remove records still needed.
            done = done && CopyRecordsOut(v, floor);
            // Messages copied point at their new Commit: it must be on flash before anyone
            // reads it, and before the segment goes.
            _log.Commit();
            if (!done) return false;
            if (index != 0) DeletedOutOfOrder++;
            if (index != 0 && Relocations > copied) CopiedOutOfOrder++;
            DeleteSegment(_log.IndexOf(victim));
            SegmentsCleaned++;
            return true;
        }

        private static bool HasPieceIn(PieceList list, int segment)
        {
            for (int k = 0; k < list.Count; k++) if (list.SegmentAt(k) == segment) return true;
            return false;
        }

        /// <summary>
        /// Walks the records of <paramref name="v"/>: a message with a Status newer than its
        /// Commit gets a new Commit; a Remove still needed is copied forward.
        /// </summary>
        private bool CopyRecordsOut(SegmentInfo v, long floor)
        {
            int victim = v.Number;
            long end = v.ValidEnd < v.Length ? v.ValidEnd : v.Length;
            long pos = 0;
            byte[] b = _scratch;
            while (pos + RecordFormat.Overhead <= end)
            {
                int got = _log.ReadAt(victim, pos, b, 0, RecordFormat.HeaderSize + RecordFormat.RemovePayload);
                if (got < RecordFormat.HeaderSize) break;
                byte type = b[1];
                int payload = RecordFormat.GetU16(b, 2);
                long seq = RecordFormat.GetI64(b, 4);
                pos += RecordFormat.Overhead + payload;
                if (type != RecordType.Status && type != RecordType.Remove) continue;
                long id = RecordFormat.GetI64(b, RecordFormat.HeaderSize);
                if (type == RecordType.Status)
                {
                    QueuedMessage? m = FindLocked(id);
                    if (m == null || seq < m.CommitSequence) continue;
                    if (!Relocate(m, victim, ReadPieceList(m, _oldPieces), floor)) return false;
                    continue;
                }
                // An older-format Remove names no range: every segment before its own counts.
                int low = 0, high = victim;
                if (payload >= RecordFormat.RemovePayload)
                {
                    low = (int)RecordFormat.GetU32(b, RecordFormat.HeaderSize + 8);
                    high = (int)RecordFormat.GetU32(b, RecordFormat.HeaderSize + 12);
                }
                if (!SegmentBetween(low, high, victim)) continue;
                if (!_log.Fits(RecordFormat.RemovePayload + RecordFormat.Overhead, floor)) return false;
                WriteRemove(id, low, high);
                RemovesCarried++;
                CleaningBytes += RecordFormat.RemovePayload + RecordFormat.Overhead;
            }
            return true;
        }

        /// <summary>True when a segment other than <paramref name="except"/> with a number in [low, high] exists.</summary>
        private bool SegmentBetween(int low, int high, int except)
        {
            for (int i = 0; i < _log.SegmentCount; i++)
            {
                int n = _log.GetSegment(i).Number;
                if (n != except && n >= low && n <= high) return true;
            }
            return false;
        }

        /// <summary>
        /// Appends a Remove record: the message id, then the oldest segment that may hold a
        /// Commit of it and the segment of its latest Commit (see the header). Not flushed.
        /// </summary>
        private void WriteRemove(long id, int low, int high)
        {
            _log.Begin(RecordType.Remove, RecordFormat.RemovePayload);
            _log.PutI64(id);
            _log.PutU32((uint)low);
            _log.PutU32((uint)high);
            _log.End();
        }

        /// <summary>Deletes the segment at <paramref name="index"/>; a message's oldest segment moves past it.</summary>
        private void DeleteSegment(int index)
        {
            int number = _log.GetSegment(index).Number;
            _log.DeleteAt(index);
            SegmentsDeleted++;
            int next = index < _log.SegmentCount ? _log.GetSegment(index).Number : _log.NextSegmentNumber;
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                if (m.MinSegment == number) m.MinSegment = next;
            }
        }

        /// <summary>Adds <paramref name="sign"/> × the bytes of <paramref name="list"/>'s pieces and
        /// <paramref name="m"/>'s Commit record to their segments' live counts.</summary>
        private void CountLive(QueuedMessage m, PieceList list, int sign)
        {
            for (int k = 0; k < list.Count; k++) AddLive(list.SegmentAt(k), sign * (RecordFormat.Overhead + RecordFormat.DataPrefix + list.LengthAt(k)));
            AddLive(RecordFormat.SegmentOf(m.CommitLocation), sign * (m.CommitLength + RecordFormat.Overhead));
        }

        /// <summary>As CountLive, reading the piece list from the message's Commit record on flash.</summary>
        private void CountStoredLive(QueuedMessage m, int sign)
        {
            _fields.Open(m.CommitLocation, m.CommitLength, m.PiecesOffset);
            int count = (int)_fields.ReadU32();
            for (int i = 0; i < count; i++)
            {
                int seg = (int)_fields.ReadU32();
                _fields.ReadU32();
                AddLive(seg, sign * (RecordFormat.Overhead + RecordFormat.DataPrefix + (int)_fields.ReadU32()));
            }
            AddLive(RecordFormat.SegmentOf(m.CommitLocation), sign * (m.CommitLength + RecordFormat.Overhead));
        }

        private void AddLive(int segment, int bytes)
        {
            int i = _log.IndexOf(segment);
            if (i >= 0) _log.GetSegment(i).Live += bytes;
        }

        /// <summary>Characters of status text a Commit copy keeps when the whole texts do not fit.</summary>
        private const int ShortText = 32;

        /// <summary>Longest status text (-1 whole, ShortText, 0) with which a Commit of <paramref name="m"/> fits one record.</summary>
        private int TextLimitFor(QueuedMessage m, int pieceCount)
        {
            if (CommitLength(m, pieceCount, -1) <= _log.MaxRecordPayload) return -1;
            if (CommitLength(m, pieceCount, ShortText) <= _log.MaxRecordPayload) return ShortText;
            return 0;
        }

        private static string CutText(string text, int limit)
        {
            return limit < 0 || text.Length <= limit ? text : text.Substring(0, limit);
        }

        /// <summary>True when a message being written or committed (Commit record not yet
        /// durable) has records in <paramref name="segment"/> or before it.</summary>
        private bool WriterHasRecordsIn(int segment)
        {
            for (int i = 0; i < _writers.Count; i++)
            {
                MessageWriter w = (MessageWriter)_writers[i]!;
                if (w.Pieces.MinSegment <= segment) return true;
                if (w.Pending != null && w.Pending.MinSegment <= segment) return true;
            }
            return false;
        }

        /// <summary>Bytes the live messages and open writers occupy on flash (estimate without block rounding).</summary>
        private long LiveBytes()
        {
            long n = 0;
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                n += m.Size + (long)m.PieceCount * (RecordFormat.Overhead + RecordFormat.DataPrefix) + m.CommitLength + RecordFormat.Overhead;
            }
            for (int i = 0; i < _writers.Count; i++)
            {
                MessageWriter w = (MessageWriter)_writers[i]!;
                n += w.Length + (long)w.Pieces.Count * (RecordFormat.Overhead + RecordFormat.DataPrefix);
            }
            return n;
        }

        /// <summary>
        /// Appends <paramref name="count"/> bytes of data, read from the victim's pieces
        /// <paramref name="old"/>[<paramref name="first"/>..] in order, as data records of
        /// message <paramref name="id"/> (split where the active segment ends, as
        /// AppendPieces does), adding each new piece to <paramref name="moved"/>.
        /// </summary>
        private void CopyPieces(long id, int victim, PieceList old, int first, int count, PieceList moved)
        {
            int k = first;
            int inPiece = 0;
            while (count > 0)
            {
                long loc = BeginData(id, count, out int n);
                for (int left = n; left > 0;)
                {
                    int c = old.LengthAt(k) - inPiece;
                    if (c > left) c = left;
                    if (c > _scratch.Length) c = _scratch.Length;
                    long dataAt = old.OffsetAt(k) + RecordFormat.HeaderSize + RecordFormat.DataPrefix + inPiece;
                    // A record is open: a short read here must break the log (recovery
                    // then drops the torn record), not leave it half written.
                    if (_log.ReadAt(victim, dataAt, _scratch, 0, c) != c) throw _log.Fail("data piece cut short");
                    _log.Put(_scratch, 0, c);
                    inPiece += c;
                    left -= c;
                    if (inPiece == old.LengthAt(k))
                    {
                        k++;
                        inPiece = 0;
                    }
                }
                _log.End();
                CleaningBytes += RecordFormat.Overhead + RecordFormat.DataPrefix + n;
                moved.Add(loc, n);
                count -= n;
            }
        }

        /// <summary>
        /// Copies <paramref name="m"/>'s pieces in <paramref name="victim"/> (<paramref name="old"/>:
        /// its piece list) to the tail and writes a new Commit. Not flushed. False when there is no room.
        /// </summary>
        private bool Relocate(QueuedMessage m, int victim, PieceList old, long floor)
        {
            long need = RelocationNeed(m, victim, old);
            if (need < 0 || !_log.Fits(need, floor)) return false;
            // Consecutive pieces in the victim are gathered into whole write units again,
            // so that repeated relocation does not split a message into ever more pieces.
            // The bytes are streamed through the small scratch buffer, not gathered in
            // RAM: a unit-sized copy buffer would hold a write unit of heap for good.
            PieceList moved = _movedPieces;
            moved.Clear();
            int first = 0, fill = 0;
            for (int k = 0; k < old.Count; k++)
            {
                long loc = RecordFormat.Location(old.SegmentAt(k), old.OffsetAt(k));
                int len = old.LengthAt(k);
                if (old.SegmentAt(k) != victim)
                {
                    if (fill > 0) CopyPieces(m.Id, victim, old, first, fill, moved);
                    fill = 0;
                    moved.Add(loc, len);
                    continue;
                }
                if (fill > 0 && fill + len > _options.WriteUnit)
                {
                    CopyPieces(m.Id, victim, old, first, fill, moved);
                    fill = 0;
                }
                if (fill == 0) first = k;
                fill += len;
            }
            if (fill > 0) CopyPieces(m.Id, victim, old, first, fill, moved);
            CountLive(m, old, -1);
            if (RecordFormat.IsMessageFile(RecordFormat.SegmentOf(m.CommitLocation))) FileCommitsCopied++;
            WriteCommit(m, moved);
            CountLive(m, moved, 1);
            CleaningBytes += m.CommitLength + RecordFormat.Overhead;
            Relocations++;
            return true;
        }

        /// <summary>Bytes relocating <paramref name="m"/>'s records out of <paramref name="victim"/> appends; -1 when its Commit cannot fit a record.</summary>
        private long RelocationNeed(QueuedMessage m, int victim, PieceList old)
        {
            long inHead = 0;
            int headPieces = 0;
            for (int k = 0; k < old.Count; k++)
            {
                if (old.SegmentAt(k) != victim) continue;
                inHead += old.LengthAt(k);
                headPieces++;
            }
            // Regathering may split each copied write unit once at a segment end.
            int pieces = old.Count + headPieces + 1;
            if (CommitLength(m, pieces, 0) > _log.MaxRecordPayload) return -1;
            int commitLen = CommitLength(m, pieces, TextLimitFor(m, pieces));
            return inHead + 2L * (headPieces + 1) * (RecordFormat.Overhead + RecordFormat.DataPrefix) + commitLen + RecordFormat.Overhead;
        }

        /// <summary>The message's piece list, read from its Commit record.</summary>
        private PieceList ReadPieceList(QueuedMessage m, PieceList list)
        {
            list.Clear();
            _fields.Open(m.CommitLocation, m.CommitLength, m.PiecesOffset);
            int count = (int)_fields.ReadU32();
            for (int i = 0; i < count; i++)
            {
                int seg = (int)_fields.ReadU32();
                long off = _fields.ReadU32();
                int len = (int)_fields.ReadU32();
                list.Add(RecordFormat.Location(seg, off), len);
            }
            return list;
        }

        /// <summary>
        /// Exact payload length of the Commit record of <paramref name="m"/> with
        /// <paramref name="pieceCount"/> pieces and status texts cut to <paramref name="textLimit"/>
        /// characters (-1: whole).
        /// </summary>
        private static int CommitLength(QueuedMessage m, int pieceCount, int textLimit)
        {
            Envelope e = m.Envelope;
            int n = 8 + 8 + 8 + 1 + 1 + 8;
            n += RecordFormat.StringSize(e.Sender) + RecordFormat.StringSize(e.EnvelopeId) + RecordFormat.StringSize(e.ClientAddress)
                + RecordFormat.StringSize(e.ClientHelo) + RecordFormat.StringSize(e.AuthenticatedUser) + 2;
            for (int i = 0; i < e.RecipientCount; i++)
            {
                EnvelopeRecipient r = e.GetRecipient(i);
                RecipientStatus s = m.GetStatus(i);
                n += RecordFormat.StringSize(r.Address) + 1 + 1 + RecordFormat.StringSize(r.OriginalRecipient);
                n += 1 + 2 + 8 + RecordFormat.StringSize(s.Code) + RecordFormat.StringSize(CutText(s.Text, textLimit)) + RecordFormat.StringSize(s.Mailbox) + 8;
            }
            return n + 4 + pieceCount * RecordFormat.PieceEntrySize;
        }

        /// <summary>Appends a Commit record for <paramref name="m"/> (envelope, current states, pieces) and points the index at it. Not flushed.</summary>
        private void WriteCommit(QueuedMessage m, PieceList pieces)
        {
            // Many recipients with long last-error texts may not fit one record: the copy
            // then keeps shorter texts (the state, attempts and next attempt always fit,
            // BeginMessage checked that); the text is for people, the rest for delivery.
            int textLimit = TextLimitFor(m, pieces.Count);
            int len = CommitLength(m, pieces.Count, textLimit);
            if (len > _log.MaxRecordPayload) throw new StorageException("envelope too large for a segment");
            Envelope e = m.Envelope;
            long loc = _log.Begin(RecordType.Commit, len);
            _log.PutI64(m.Id);
            _log.PutI64(e.ArrivalUtc.Ticks);
            _log.PutI64(m.Size);
            _log.PutByte(e.EightBitMime ? 1 : 0);
            _log.PutByte((int)e.Return);
            _log.PutI64(e.DeclaredSize);
            _log.PutString(e.Sender);
            _log.PutString(e.EnvelopeId);
            _log.PutString(e.ClientAddress);
            _log.PutString(e.ClientHelo);
            _log.PutString(e.AuthenticatedUser);
            _log.PutU16(e.RecipientCount);
            for (int i = 0; i < e.RecipientCount; i++)
            {
                EnvelopeRecipient r = e.GetRecipient(i);
                RecipientStatus s = m.GetStatus(i);
                _log.PutString(r.Address);
                _log.PutByte(r.IsLocal ? 1 : 0);
                _log.PutByte((int)r.Notify);
                _log.PutString(r.OriginalRecipient);
                _log.PutByte((int)s.State);
                _log.PutU16(s.Attempts);
                _log.PutI64(s.NextAttemptUtc.Ticks);
                _log.PutString(s.Code);
                _log.PutString(CutText(s.Text, textLimit));
                _log.PutString(s.Mailbox);
                _log.PutI64(s.Uid);
            }
            _log.PutU32((uint)pieces.Count);
            for (int i = 0; i < pieces.Count; i++)
            {
                _log.PutU32((uint)pieces.SegmentAt(i));
                _log.PutU32(pieces.OffsetAt(i));
                _log.PutU32((uint)pieces.LengthAt(i));
            }
            _log.End();
            // The oldest segment that may hold a Commit of the message: a copy leaves the
            // older Commit on flash until its segment goes, so a relocation never raises it
            // (DeleteSegment does; the header says why a Remove needs it).
            int oldest = RecordFormat.SegmentOf(loc);
            if (pieces.MinSegment < oldest) oldest = pieces.MinSegment;
            if (m.CommitSequence == 0 || oldest < m.MinSegment) m.MinSegment = oldest;
            m.CommitLocation = loc;
            m.CommitSequence = _log.LastSequence;
            m.CommitLength = len;
            m.PiecesOffset = len - 4 - pieces.Count * RecordFormat.PieceEntrySize;
            m.PieceCount = pieces.Count;
            m.Moves++;
        }
    }
}
