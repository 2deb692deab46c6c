// Recovery at start (ARCHITECTURE.md, Flash format): scan the segment files in number order and,
// in each, every record from the start while the magic, the length and the CRC-32 hold.
// The first bad record ends the segment (a torn or garbage tail; nothing good can follow
// it because a left segment is never appended to again). A segment whose first record
// is not a valid header was never made durable and is deleted.
// Message files (one message each, SegmentLog's header) are scanned first: every record
// of their message in the shared segments is newer than its Commit there. A message file
// whose message is not live afterwards (never committed, or removed) is deleted.
// Records apply in sequence order, which is scan order:
//   Commit  -> the message enters (or replaces an older copy of itself: relocation);
//              its data pieces must lie inside the good part of their segments
//   Status  -> newer than the message's Commit: the recipient's latest state
//   Remove  -> the message leaves
//   other   -> skipped (future record types; a good CRC says they are whole)
// The highest sequence number seen continues, so ids and UIDs are never reused.
// Cost: one pass over the bytes on flash plus one parse per Commit (measured by
// QueueBench: "recovery").

using System;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    public sealed partial class MessageStore
    {
        private int _firstSegment;     // oldest shared segment found at recovery (a message file's message pins from there)

        private void Recover()
        {
            lock (_gate)
            {
                string[] names = _log.ListSegmentFiles();
                int[] numbers = new int[names.Length];
                int count = 0;
                for (int i = 0; i < names.Length; i++)
                {
                    int n = RecordFormat.ParseSegmentName(names[i]);
                    if (n > 0) numbers[count++] = n;
                }
                Sort(numbers, count);
                long maxSeq = 0;
                int maxNumber = 0;
                _firstSegment = 0;
                for (int i = 0; i < count; i++)
                {
                    int plain = numbers[i] & ~RecordFormat.MessageFileFlag;
                    if (plain > maxNumber) maxNumber = plain;
                    if (_firstSegment == 0 && plain == numbers[i]) _firstSegment = plain;
                }
                if (_firstSegment == 0) _firstSegment = maxNumber + 1;
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int i = 0; i < count; i++)
                    {
                        int number = numbers[i];
                        if (RecordFormat.IsMessageFile(number) != (pass == 0)) continue;
                        SegmentInfo info = pass == 0 ? new MessageFile(number, 0) : new SegmentInfo(number, 0);
                        info.Length = _log.FileLength(number);
                        long validEnd = ScanSegment(info, ref maxSeq);
                        if (validEnd == 0)
                        {
                            if (!_readOnly) _log.DeleteFile(number);
                            continue;
                        }
                        info.ValidEnd = validEnd;
                        _log.AddRecovered(info);
                    }
                }
                _log.NextSequence = maxSeq + 1;
                _log.NextSegmentNumber = maxNumber + 1;
                for (int i = _log.MessageFileCount - 1; i >= 0 && !_readOnly; i--)
                {
                    MessageFile f = _log.GetMessageFile(i);
                    if (FindLocked(f.Owner) == null) _log.DeleteMessageFile(f);
                }
                // A message in its message file pins the shared segments from the oldest one
                // found; when that one had no valid header and was deleted, from the oldest that
                // stays (no record of any message is in a segment that is gone; a number below
                // every segment would pin the oldest for good: MessageStore.Compaction.cs).
                int first = _log.SegmentCount > 0 ? _log.GetSegment(0).Number : _log.NextSegmentNumber;
                for (int i = 0; i < _messages.Count && first != _firstSegment; i++)
                {
                    QueuedMessage m = (QueuedMessage)_messages[i]!;
                    if (m.MinSegment < first) m.MinSegment = first;
                }
                // Live bytes per segment, for cleaning (MessageStore.Compaction.cs).
                if (!_readOnly) for (int i = 0; i < _messages.Count; i++) CountStoredLive((QueuedMessage)_messages[i]!, 1);
                // Only dead segments go at start; copying waits until space is short, so a
                // board that keeps rebooting does not spend its flash copying at every boot.
                DeleteDeadHeads();
            }
        }

        /// <summary>Scans one segment; returns the end of its good records (0 when its header is bad).</summary>
        private long ScanSegment(SegmentInfo info, ref long maxSeq)
        {
            long length = info.Length;
            long pos = 0;
            byte[] b = _scratch;
            while (pos + RecordFormat.Overhead <= length)
            {
                if (_log.ReadAt(info.Number, pos, b, 0, RecordFormat.HeaderSize) != RecordFormat.HeaderSize) break;
                if (b[0] != RecordFormat.Magic) break;
                byte type = b[1];
                int payload = RecordFormat.GetU16(b, 2);
                long seq = RecordFormat.GetI64(b, 4);
                if (pos + RecordFormat.Overhead + payload > length) break;
                uint crc = Crc32.Update(Crc32.Initial, b, 0, RecordFormat.HeaderSize);
                long at = pos + RecordFormat.HeaderSize;
                int left = payload;
                while (left > 0)
                {
                    int n = left < b.Length ? left : b.Length;
                    if (_log.ReadAt(info.Number, at, b, 0, n) != n) return pos;
                    crc = Crc32.Update(crc, b, 0, n);
                    at += n;
                    left -= n;
                }
                if (_log.ReadAt(info.Number, at, b, 0, 4) != 4) break;
                if (RecordFormat.GetU32(b, 0) != Crc32.Finish(crc)) break;
                long loc = RecordFormat.Location(info.Number, pos);
                if (pos == 0 && !IsHeaderOf(info.Number, type, payload, loc)) return 0;
                MessageFile? file = info as MessageFile;
                if (file != null && file.Owner == 0 && (type == RecordType.Data || type == RecordType.Commit))
                {
                    // Both start with the message id.
                    if (_log.ReadAt(info.Number, pos + RecordFormat.HeaderSize, b, 0, 8) != 8) break;
                    file.Owner = RecordFormat.GetI64(b, 0);
                }
                if (seq > maxSeq) maxSeq = seq;
                if (type == RecordType.Commit) ApplyCommit(loc, payload, seq, info.Number, pos);
                else if (type == RecordType.Status) ApplyStatus(loc, payload, seq);
                else if (type == RecordType.Remove) ApplyRemove(loc, payload);
                pos += RecordFormat.Overhead + payload;
            }
            return pos;
        }

        private bool IsHeaderOf(int number, byte type, int payload, long loc)
        {
            if (type != RecordType.SegmentHeader || payload != RecordFormat.SegmentHeaderPayload) return false;
            _fields.Open(loc, payload, 0);
            for (int i = 0; i < RecordFormat.SegmentMagic.Length; i++) if (_fields.ReadByte() != RecordFormat.SegmentMagic[i]) return false;
            if (_fields.ReadByte() != RecordFormat.Version) return false;
            return _fields.ReadU32() == (uint)number;
        }

        private void ApplyCommit(long loc, int payload, long seq, int scanSegment, long scanPos)
        {
            _fields.Open(loc, payload, 0);
            long id = _fields.ReadI64();
            long arrival = _fields.ReadI64();
            long size = _fields.ReadI64();
            int flags = _fields.ReadByte();
            int ret = _fields.ReadByte();
            long declared = _fields.ReadI64();
            Envelope e = new Envelope(_fields.ReadText());
            e.EnvelopeId = _fields.ReadString();
            e.ClientAddress = _fields.ReadText();
            e.ClientHelo = _fields.ReadText();
            e.AuthenticatedUser = _fields.ReadString();
            e.EightBitMime = (flags & 1) != 0;
            e.Return = (DsnReturn)ret;
            e.DeclaredSize = declared;
            e.ArrivalUtc = new DateTime(arrival, DateTimeKind.Utc);
            int rcpts = _fields.ReadU16();
            RecipientStatus[] status = new RecipientStatus[rcpts];
            for (int i = 0; i < rcpts; i++)
            {
                string address = _fields.ReadText();
                bool local = _fields.ReadByte() != 0;
                DsnNotify notify = (DsnNotify)_fields.ReadByte();
                string? orcpt = _fields.ReadString();
                e.AddRecipient(new EnvelopeRecipient(address, local, notify, orcpt));
                status[i] = ReadStatusFields();
            }
            int pieces = (int)_fields.ReadU32();
            int piecesOffset = payload - 4 - pieces * RecordFormat.PieceEntrySize;
            if (pieces < 0 || piecesOffset < 0)
            {
                RecoveryDropped++;
                return;
            }
            int minSegment = RecordFormat.SegmentOf(loc);
            long total = 0;
            for (int i = 0; i < pieces; i++)
            {
                int seg = (int)_fields.ReadU32();
                long off = _fields.ReadU32();
                int len = (int)_fields.ReadU32();
                long end = off + RecordFormat.Overhead + RecordFormat.DataPrefix + len;
                if (seg != scanSegment && _log.IndexOf(seg) < 0 && _log.FindMessageFile(seg) == null)
                {
                    // Cleaning deleted the segment after copying this message forward: a
                    // newer Commit of it follows in the log and is the one that counts (or
                    // the message was removed since, and its Remove follows).
                    return;
                }
                if (!PieceIsWhole(seg, end, scanSegment, scanPos))
                {
                    // A message file goes once its message's Remove is durable: that Remove follows.
                    if (RecordFormat.IsMessageFile(seg) && _log.FindMessageFile(seg) == null) return;
                    // Cannot happen when pieces are flushed before their Commit; counted, not hidden.
                    RecoveryDropped++;
                    return;
                }
                if (seg < minSegment) minSegment = seg;
                total += len;
            }
            if (total != size)
            {
                RecoveryDropped++;
                return;
            }
            // Only in message files: its Status records are in the shared segments from the
            // oldest one there (where exactly is not known here; a copy forward narrows it).
            if (RecordFormat.IsMessageFile(minSegment)) minSegment = _firstSegment;
            QueuedMessage m = new QueuedMessage(id, e, size, status);
            m.CommitLocation = loc;
            m.CommitSequence = seq;
            m.CommitLength = payload;
            m.PiecesOffset = piecesOffset;
            m.PieceCount = pieces;
            m.MinSegment = minSegment;
            for (int i = 0; i < _messages.Count; i++)
            {
                QueuedMessage older = (QueuedMessage)_messages[i]!;
                if (older.Id != id) continue;
                // A relocated copy: the newer Commit wins; the older copy is still on flash,
                // so the message's oldest segment stays (MessageStore.Compaction.cs).
                if (older.MinSegment < m.MinSegment) m.MinSegment = older.MinSegment;
                _messages[i] = m;
                return;
            }
            _messages.Add(m);
        }

        private bool PieceIsWhole(int segment, long end, int scanSegment, long scanPos)
        {
            if (segment == scanSegment) return end <= scanPos;
            MessageFile? file = _log.FindMessageFile(segment);
            if (file != null) return end <= file.ValidEnd;
            for (int i = 0; i < _log.SegmentCount; i++)
            {
                SegmentInfo s = _log.GetSegment(i);
                if (s.Number == segment) return end <= s.ValidEnd;
            }
            return false;
        }

        private RecipientStatus ReadStatusFields()
        {
            RecipientState state = (RecipientState)_fields.ReadByte();
            int attempts = _fields.ReadU16();
            long next = _fields.ReadI64();
            string code = _fields.ReadText();
            string text = _fields.ReadText();
            string mailbox = _fields.ReadText();
            long uid = _fields.ReadI64();
            return new RecipientStatus(state, attempts, new DateTime(next, DateTimeKind.Utc), code, text, mailbox, uid);
        }

        private void ApplyStatus(long loc, int payload, long seq)
        {
            _fields.Open(loc, payload, 0);
            QueuedMessage? m = FindLocked(_fields.ReadI64());
            int recipient = _fields.ReadU16();
            if (m == null || seq < m.CommitSequence || recipient >= m.RecipientCount) return;
            m.SetStatus(recipient, ReadStatusFields());
        }

        private void ApplyRemove(long loc, int payload)
        {
            _fields.Open(loc, payload, 0);
            QueuedMessage? m = FindLocked(_fields.ReadI64());
            if (m != null) _messages.Remove(m);
        }

        private static void Sort(int[] a, int count)
        {
            for (int i = 1; i < count; i++)
            {
                int v = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > v)
                {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }
    }
}
