// Space reclaim for the queue log, LittleFS-style but simpler because the log is FIFO:
// only the oldest segment (the head) is ever deleted, and only when no live record is
// in it. That one rule keeps Remove records safe (a Remove is always newer than every
// record of its message, so it is deleted only after them) and keeps the newest
// sequence number on flash (the newest segment is never deleted).
// When the store is nearly full (new mail would touch the reserve) and at least one
// segment's worth of bytes is dead, the live records of the head are copied forward: its data pieces are appended
// again and a new Commit record (with the current recipient states folded in and the
// new piece list) is written and flushed; only then is the head deleted. A crash
// before the new Commit is durable leaves the old one in force; after it, recovery
// finds both and keeps the one with the higher sequence number.
// Left out on purpose: choosing a victim other than the head (needs tombstone
// tracking), wear levelling (LittleFS does it below us).

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    public sealed partial class MessageStore
    {
        // Reused by every relocation, so that compaction allocates nothing once they have grown.
        private readonly PieceList _oldPieces = new PieceList();
        private readonly PieceList _movedPieces = new PieceList();

        /// <summary>
        /// Deletes dead head segments; relocates the head's live records when worth it.
        /// <paramref name="pressure"/>: new mail is being refused, so one dead segment is enough reason.
        /// </summary>
        private void Compact(bool pressure)
        {
            if (_readOnly || _log.IsBroken) return;
            // Bounded work per call: one pass over the log, two when new mail is refused (live
            // data in front of dead data must move to the tail first: a FIFO log's price).
            int relocations = pressure ? 2 * _log.SegmentCount : _log.SegmentCount;
            while (_log.SegmentCount >= 2)
            {
                SegmentInfo head = _log.GetSegment(0);
                if (head.Number == _log.ActiveNumber) return;
                // A message being written has pieces in the head: they must stay.
                if (WriterHasRecordsIn(head.Number)) return;
                if (!HasLiveIn(head.Number))
                {
                    // Whatever supersedes the head's records is flushed first.
                    _log.Commit();
                    _log.DeleteOldest();
                    SegmentsDeleted++;
                    continue;
                }
                if (relocations-- <= 0) return;
                // Copy only when space is short: the longer dead bytes are left to pile up,
                // the fewer live bytes the head still holds when it is copied (LFS cleaning
                // cost), and at least one segment's worth must be dead to gain anything.
                long used = _log.UsedBytes;
                bool nearFull = used > _options.CapacityBytes - _options.ReserveBytes - _options.SegmentSize;
                if (!(pressure || nearFull) || used - LiveBytes() < _options.SegmentSize) return;
                if (!RelocateHead(head.Number)) return;
            }
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

        /// <summary>Deletes oldest segments while they hold nothing live (never the newest).</summary>
        private void DeleteDeadHeads()
        {
            if (_readOnly) return;
            while (_log.SegmentCount >= 2)
            {
                SegmentInfo head = _log.GetSegment(0);
                if (head.Number == _log.ActiveNumber || HasLiveIn(head.Number)) return;
                if (WriterHasRecordsIn(head.Number)) return;
                _log.Commit();
                _log.DeleteOldest();
                SegmentsDeleted++;
            }
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

        private bool HasLiveIn(int segment)
        {
            for (int i = 0; i < _messages.Count; i++)
            {
                if (((QueuedMessage)_messages[i]!).MinSegment <= segment) return true;
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
        /// Appends <paramref name="count"/> bytes of data, read from the head's pieces
        /// <paramref name="old"/>[<paramref name="first"/>..] in order, as data records of
        /// message <paramref name="id"/> (split where the active segment ends, as
        /// AppendPieces does), adding each new piece to <paramref name="moved"/>.
        /// </summary>
        private void CopyPieces(long id, int head, PieceList old, int first, int count, PieceList moved)
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
                    if (_log.ReadAt(head, dataAt, _scratch, 0, c) != c) throw _log.Fail("data piece cut short");
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
                moved.Add(loc, n);
                count -= n;
            }
        }

        /// <summary>Copies every live record of segment <paramref name="head"/> forward and flushes. False when there is no room.</summary>
        private bool RelocateHead(int head)
        {
            // A copy that frees less than it writes (a head full of live data, in front of
            // dead segments) must leave one segment free: otherwise a run of such copies
            // could eat the space every later copy needs, and the store would be stuck.
            long total = 0;
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                if (m.MinSegment <= head) total += RelocationNeed(m, head, ReadPieceList(m, _oldPieces));
            }
            long floor = total >= _log.GetSegment(0).Length ? _options.SegmentSize : 0;
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage m = (QueuedMessage)_messages[i]!;
                if (m.MinSegment > head) continue;
                PieceList old = ReadPieceList(m, _oldPieces);
                long need = RelocationNeed(m, head, old);
                if (need < 0 || !_log.Fits(need, floor))
                {
                    // Messages already copied point at their new Commit: it must be on flash
                    // before anyone reads it (the head stays, so nothing else changes).
                    _log.Commit();
                    return false;
                }
                // Consecutive pieces in the head are gathered into whole write units again,
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
                    if (old.SegmentAt(k) != head)
                    {
                        if (fill > 0) CopyPieces(m.Id, head, old, first, fill, moved);
                        fill = 0;
                        moved.Add(loc, len);
                        continue;
                    }
                    if (fill > 0 && fill + len > _options.WriteUnit)
                    {
                        CopyPieces(m.Id, head, old, first, fill, moved);
                        fill = 0;
                    }
                    if (fill == 0) first = k;
                    fill += len;
                }
                if (fill > 0) CopyPieces(m.Id, head, old, first, fill, moved);
                WriteCommit(m, moved);
                // One commit point per message: after a crash the copies made so far count,
                // and only the rest of the head is copied again.
                _log.Commit();
                Relocations++;
            }
            return true;
        }

        /// <summary>Bytes relocating <paramref name="m"/>'s records out of <paramref name="head"/> appends; -1 when its Commit cannot fit a record.</summary>
        private long RelocationNeed(QueuedMessage m, int head, PieceList old)
        {
            long inHead = 0;
            int headPieces = 0;
            for (int k = 0; k < old.Count; k++)
            {
                if (old.SegmentAt(k) != head) continue;
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
            m.CommitLocation = loc;
            m.CommitSequence = _log.LastSequence;
            m.CommitLength = len;
            m.PiecesOffset = len - 4 - pieces.Count * RecordFormat.PieceEntrySize;
            m.PieceCount = pieces.Count;
            int commitSegment = RecordFormat.SegmentOf(loc);
            m.MinSegment = pieces.MinSegment < commitSegment ? pieces.MinSegment : commitSegment;
            m.Moves++;
        }
    }
}
