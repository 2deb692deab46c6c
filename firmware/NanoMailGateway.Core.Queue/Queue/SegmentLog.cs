// The append side and the file side of the queue log: segment files on the IFileStore,
// one active segment that records are appended to through a write-unit buffer, records
// streamed with their CRC trailer, space accounting in whole 4 KiB blocks.
//
// Rules that make recovery provable (ARCHITECTURE.md, Flash format):
//  - records are only appended, never rewritten; a record never spans segments;
//  - appends are gathered into full write units (the ESP32 driver flushes on every
//    Write); Commit() pushes the partial unit and calls IStoredFile.Sync: the only
//    durability point (on the board's LittleFS a Sync closes and reopens the file and
//    costs a block copy, so callers put several records under one Commit where they can);
//  - a message longer than one write unit gets a message file of its own (MessageFile: a
//    segment of any length, number with RecordFormat.MessageFileFlag) holding its Data
//    records and its Commit record, so that accepting it costs one Sync, of that file,
//    however long it is, and removing it one delete: no shared segment is filled,
//    synced and left per 16 KB of it. Its Data records are built in place in the
//    writer's unit (header in front, CRC behind: one Append per unit, no copy), and its
//    header and Commit record go through the writer's unit as the write buffer
//    (Target/Untarget), so it costs no RAM of its own. It holds records of its message
//    only, never a Status or Remove record, so deleting it out of FIFO order drops
//    nothing that cancels another record;
//  - a segment that is left (full, or at restart) is synced first (unless nothing was
//    appended since its last Sync) and never appended to again, so garbage after a torn
//    write is never followed by good records;
//  - Commit syncs only when something was appended since the last Sync, and records the
//    newest durable sequence number, so that callers whose records another caller's
//    Sync covered skip their own (group commit, MessageStore.Publish);
//  - group commit syncs the shared segment outside the store's lock (BeginFlush,
//    FlushShared, EndFlush), so that other sessions begin, receive and append their
//    records meanwhile and the next Sync covers them all. The flusher holds _fileGate
//    from BeginFlush to the end of its Sync, and whatever touches the shared segment's
//    file under the store's lock meanwhile (an append, a Sync, a read, a roll) first
//    waits for it (AwaitFile), so the file is used by one thread at a time (on the board
//    a Sync closes and reopens it); records buffered in RAM wait for nothing. Only while
//    _flushing: a lock on nanoCLR is heap, and reads and appends are the deepest calls;
//  - any exception half way through a file operation that changes the medium (a
//    StorageException, or an OutOfMemoryException on a board) breaks the log: later calls
//    throw until the store is reopened (recovered), because the state of a half-done
//    append is unknown; so does a record left open by one, and a StorageException from a
//    read (an OutOfMemoryException there changes nothing on the medium). _breaks counts
//    what broke the log: Fail() and Close() add one for good, and each file operation
//    that changes the medium adds one before it and takes it back after, instead of a
//    catch of its own: the log counts as broken while it runs, so an exception leaves it
//    broken by the one path, and taking the one back cannot mend a log that Fail() or
//    Close() broke. Plain stores, not calls: a call is a heap frame on nanoCLR, at the
//    bottom of every append; one field, not two flags: a field is 12 bytes of heap.
// Not thread-safe: MessageStore calls it under its lock, except FlushShared.

using System;
using System.Collections;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Segment files and the record append path. Used under MessageStore's lock.</summary>
    internal sealed class SegmentLog
    {
        private readonly IFileStore _files;
        private readonly int _segmentSize;
        private readonly long _capacity;
        private byte[] _buf;                   // write-unit buffer of the active segment (a writer's unit while Target)
        private readonly byte[] _small = new byte[16];
        private readonly ArrayList _segments = new ArrayList();   // SegmentInfo, ascending numbers
        private readonly ArrayList _messageFiles = new ArrayList();   // MessageFile
        private long _limit;                   // bytes a record may reach in the file appended to (segment size; unbounded in a message file)
        // The shared segment's append state while a message file is the target (Target/Untarget).
        private IStoredFile? _savedFile;
        private SegmentInfo? _savedInfo;
        private byte[]? _savedBuf;
        private int _savedCount;
        private bool _savedDirty;
        private int _bufCount;
        private IStoredFile? _active;
        private SegmentInfo? _activeInfo;
        private readonly object _fileGate = new object();   // held by a flush outside the store's lock (header)
        private IStoredFile? _flushFile;       // the shared segment's file that flush syncs
        // Two read handles: a reader alternates between the segment holding the Commit
        // record (piece list) and the one holding the data; one handle would reopen a
        // file (and allocate) on every piece.
        private readonly IStoredFile?[] _readFile = new IStoredFile?[2];
        private readonly int[] _readNumber = new int[] { -1, -1 };
        private int _readLast;
        private uint _crc;
        private int _recordLeft = -1;          // payload bytes still due in the open record; -1 = none open
        private int _breaks;                   // > 0: broken (see the header)
        private bool _dirty;                   // bytes appended or buffered since the active segment's last Sync

        public SegmentLog(IFileStore files, int segmentSize, long capacity, int writeUnit)
        {
            _files = files;
            _segmentSize = segmentSize;
            _capacity = capacity;
            _buf = new byte[writeUnit];
            _limit = segmentSize;
            NextSequence = 1;
            NextSegmentNumber = 1;
        }

        /// <summary>Sequence number the next record (or message id) gets.</summary>
        public long NextSequence { get; set; }

        /// <summary>Number the next new segment gets.</summary>
        public int NextSegmentNumber { get; set; }

        /// <summary>Appends made (writes to the medium).</summary>
        public long AppendCount { get; private set; }

        /// <summary>Bytes appended.</summary>
        public long BytesAppended { get; private set; }

        /// <summary>Syncs made (durability points).</summary>
        public long SyncCount { get; private set; }

        /// <summary>Every record with a sequence number up to this one is durable.</summary>
        public long DurableSequence { get; private set; }

        /// <summary>A group commit's Sync of the shared segment is under way outside the store's lock.</summary>
        public bool Flushing => _flushing;

        // A field, read in place where the file is touched: an accessor call there would be a
        // heap frame on nanoCLR at the bottom of every read and append.
        private bool _flushing;

        public int SegmentSize => _segmentSize;

        public int SegmentCount => _segments.Count;

        public SegmentInfo GetSegment(int index) { return (SegmentInfo)_segments[index]!; }

        /// <summary>Number of the segment being appended to, or -1.</summary>
        public int ActiveNumber => _activeInfo == null ? -1 : _activeInfo.Number;

        /// <summary>Takes a sequence number for something that is not a record (a message id).</summary>
        public long TakeSequence()
        {
            return NextSequence++;
        }

        /// <summary>Adds a segment found at recovery (ascending order).</summary>
        public void AddRecovered(SegmentInfo info)
        {
            if (info is MessageFile) _messageFiles.Add(info);
            else _segments.Add(info);
        }

        // ---- space ----------------------------------------------------------------

        /// <summary>Bytes in use, whole blocks per segment, counting buffered bytes too.</summary>
        public long UsedBytes
        {
            get
            {
                long used = MessageFileBlocks();
                for (int i = 0; i < _segments.Count; i++) used += Blocks(GetSegment(i).Length);
                return used * QueueOptions.BlockSize;
            }
        }

        public long Capacity => _capacity;

        /// <summary>
        /// True when <paramref name="bytes"/> more bytes of records can be appended and still
        /// leave <paramref name="floor"/> bytes free. Conservative: bytes that do not fit the
        /// active segment are counted as starting a new one.
        /// </summary>
        public bool Fits(long bytes, long floor)
        {
            long used = MessageFileBlocks();
            long activeLen = -1;
            for (int i = 0; i < _segments.Count; i++)
            {
                SegmentInfo s = GetSegment(i);
                if (s == _activeInfo) activeLen = s.Length;
                else used += Blocks(s.Length);
            }
            if (activeLen >= 0 && activeLen + bytes <= _segmentSize)
            {
                used += Blocks(activeLen + bytes);
            }
            else
            {
                if (activeLen >= 0) used += Blocks(activeLen);
                long rest = bytes;
                int room = _segmentSize - RecordFormat.SegmentHeaderSize;
                while (rest > 0)
                {
                    long take = rest < room ? rest : room;
                    used += Blocks(RecordFormat.SegmentHeaderSize + take);
                    rest -= take;
                }
            }
            return used * QueueOptions.BlockSize <= _capacity - floor;
        }

        /// <summary>Payload bytes a record may still have in the active segment without rolling over (0 when none is active).</summary>
        public int RoomInActive()
        {
            if (_activeInfo == null) return 0;
            long room = _segmentSize - _activeInfo.Length - RecordFormat.Overhead;
            if (room < 0) return 0;
            return room > RecordFormat.MaxPayload ? RecordFormat.MaxPayload : (int)room;
        }

        /// <summary>Largest payload any record can have (a fresh segment after its header).</summary>
        public int MaxRecordPayload
        {
            get
            {
                int room = _segmentSize - RecordFormat.SegmentHeaderSize - RecordFormat.Overhead;
                return room > RecordFormat.MaxPayload ? RecordFormat.MaxPayload : room;
            }
        }

        // ---- appending records ---------------------------------------------------------

        /// <summary>
        /// Starts a record of <paramref name="payloadLength"/> bytes in the active segment,
        /// starting a new segment when it does not fit. Returns its location; the sequence
        /// number it got is <see cref="LastSequence"/>. Follow with Put* calls for exactly
        /// the payload, then <see cref="End"/>.
        /// </summary>
        public long Begin(byte type, int payloadLength)
        {
            CheckUsable();
            // A record still open means an earlier append stopped half way (an exception
            // between Begin and End, e.g. OutOfMemoryException on a board): what is on the
            // medium is unknown, so the log is broken like after a failed write.
            if (_recordLeft >= 0) throw Fail("a record was left open by a failed append; reopen the store");
            if (payloadLength < 0 || payloadLength > MaxRecordPayload) throw new ArgumentOutOfRangeException("payloadLength");
            // Roll writes the new segment's header record through this method (a segment
            // just started always has room for it, so that is as deep as it goes).
            if (_activeInfo == null || _activeInfo.Length + RecordFormat.Overhead + payloadLength > _limit) Roll();
            // The header here, not in a method of its own: every record begins at the bottom of
            // the deepest stacks, where one more frame on nanoCLR is 204 bytes of heap.
            long location = RecordFormat.Location(_activeInfo!.Number, _activeInfo.Length);
            LastSequence = NextSequence++;
            _small[0] = RecordFormat.Magic;
            _small[1] = type;
            RecordFormat.PutU16(_small, 2, payloadLength);
            RecordFormat.PutI64(_small, 4, LastSequence);
            _crc = Crc32.Update(Crc32.Initial, _small, 0, RecordFormat.HeaderSize);
            Raw(_small, 0, RecordFormat.HeaderSize);
            _recordLeft = payloadLength;
            return location;
        }

        /// <summary>Sequence number of the record begun last.</summary>
        public long LastSequence { get; private set; }

        public void Put(byte[] b, int offset, int count)
        {
            if (count > _recordLeft) throw new InvalidOperationException("record payload overrun");
            _recordLeft -= count;
            _crc = Crc32.Update(_crc, b, offset, count);
            Raw(b, offset, count);
        }

        public void PutByte(int v)
        {
            _small[0] = (byte)v;
            Put(_small, 0, 1);
        }

        public void PutU16(int v)
        {
            RecordFormat.PutU16(_small, 0, v);
            Put(_small, 0, 2);
        }

        public void PutU32(uint v)
        {
            RecordFormat.PutU32(_small, 0, v);
            Put(_small, 0, 4);
        }

        public void PutI64(long v)
        {
            RecordFormat.PutI64(_small, 0, v);
            Put(_small, 0, 8);
        }

        /// <summary>Puts a string as u16 length + one byte per char (null as 0xFFFF).</summary>
        public void PutString(string? s)
        {
            if (s == null)
            {
                PutU16(0xFFFF);
                return;
            }
            PutU16(s.Length);
            for (int i = 0; i < s.Length; i += _small.Length)
            {
                int n = s.Length - i < _small.Length ? s.Length - i : _small.Length;
                for (int k = 0; k < n; k++)
                {
                    char c = s[i + k];
                    _small[k] = c < (char)256 ? (byte)c : (byte)'?';
                }
                Put(_small, 0, n);
            }
        }

        /// <summary>Ends the open record: writes its CRC trailer.</summary>
        public void End()
        {
            if (_recordLeft != 0) throw new InvalidOperationException("record payload incomplete");
            _recordLeft = -1;
            RecordFormat.PutU32(_small, 0, Crc32.Finish(_crc));
            Raw(_small, 0, 4);
        }

        /// <summary>
        /// Makes every record so far durable: pushes the partial write unit and syncs the
        /// file. Does nothing when nothing was appended since the last Sync (a sync of an
        /// unchanged file still costs the board a close and a metadata commit).
        /// </summary>
        public void Commit()
        {
            CheckUsable();
            if (_active != null && _dirty)
            {
                _breaks++;      // see the header: an exception from here on leaves the log broken
                if (_flushing) AwaitFile();
                Spill();
                _active.Sync();
                _breaks--;
                _dirty = false;
                SyncCount++;
            }
            DurableSequence = NextSequence - 1;
        }

        /// <summary>
        /// Under the store's lock: starts a group commit's flush of the shared segment (pushes
        /// the partial write unit). Returns the sequence number it will make durable; then
        /// <see cref="FlushShared"/> outside the lock and <see cref="EndFlush"/> under it.
        /// </summary>
        public long BeginFlush()
        {
            CheckUsable();
            long upTo = NextSequence - 1;
            _breaks++;          // see the header: an exception from here on leaves the log broken
            Spill();
            _breaks--;
            // _dirty stays set: a Commit before the flush ends must not take these bytes for
            // durable; it syncs itself (after this flush: AwaitFile).
            _flushing = true;
            // The file itself, not _active read later: outside the lock, _active may be a
            // message file another session is writing its Commit record to (Target).
            _flushFile = _active;
            Monitor.Enter(_fileGate);   // released by FlushShared, whatever happens there
            return upTo;
        }

        /// <summary>Outside the store's lock, after <see cref="BeginFlush"/>: syncs the shared segment. True when a Sync was made.</summary>
        public bool FlushShared()
        {
            try
            {
                IStoredFile? f = _flushFile;
                if (f == null) return false;
                f.Sync();
                return true;
            }
            finally
            {
                _flushFile = null;
                Monitor.Exit(_fileGate);
            }
        }

        /// <summary>Under the store's lock, after <see cref="FlushShared"/> (<paramref name="ok"/>) or its failure (the log breaks).</summary>
        public void EndFlush(long upTo, bool ok, bool synced)
        {
            _flushing = false;
            if (!ok)
            {
                _breaks++;
                return;
            }
            if (synced) SyncCount++;
            if (upTo > DurableSequence) DurableSequence = upTo;
            // Nothing begun since (NextSequence), nothing buffered: the file is clean.
            if (NextSequence - 1 == upTo && _bufCount == 0) _dirty = false;
        }

        // ---- reading ------------------------------------------------------------------

        /// <summary>Reads appended bytes of a segment (not the unappended buffer tail).</summary>
        public int ReadAt(int segment, long position, byte[] buffer, int offset, int count)
        {
            CheckUsable();
            if (_flushing) AwaitFile();
            try
            {
                IStoredFile f = FileFor(segment);
                int total = 0;
                while (total < count)
                {
                    int n = f.Read(position + total, buffer, offset + total, count - total);
                    if (n <= 0) break;
                    total += n;
                }
                return total;
            }
            catch (StorageException)
            {
                _breaks++;           // see the header: a read breaks the log on a medium fault only
                throw;
            }
        }

        /// <summary>Names of every file in the store (recovery picks the segment files).</summary>
        public string[] ListSegmentFiles()
        {
            return _files.List();
        }

        /// <summary>Length of a segment file as stored (for recovery).</summary>
        public long FileLength(int segment)
        {
            return FileFor(segment).Length;
        }

        // ---- deleting -------------------------------------------------------------------

        /// <summary>Deletes the segment at <paramref name="index"/> of the list (cleaning may take any but the active one).</summary>
        public void DeleteAt(int index)
        {
            CheckUsable();
            SegmentInfo s = GetSegment(index);
            if (s == _activeInfo) throw new InvalidOperationException("cannot delete the active segment");
            DropReadHandle(s.Number);
            _breaks++;          // see the header: an exception from here on leaves the log broken
            _files.Delete(RecordFormat.SegmentName(s.Number));
            _breaks--;
            _segments.RemoveAt(index);
        }

        /// <summary>Index in the list of the segment numbered <paramref name="number"/>, or -1.</summary>
        public int IndexOf(int number)
        {
            for (int i = 0; i < _segments.Count; i++) if (GetSegment(i).Number == number) return i;
            return -1;
        }

        /// <summary>Deletes a segment file by number (recovery: segments without a valid header).</summary>
        public void DeleteFile(int number)
        {
            DropReadHandle(number);
            _files.Delete(RecordFormat.SegmentName(number));
        }

        /// <summary>Closes the files (the store is done).</summary>
        public void Close()
        {
            DropReadHandle(_readNumber[0]);
            DropReadHandle(_readNumber[1]);
            for (int i = 0; i < _messageFiles.Count; i++) CloseFile((MessageFile)_messageFiles[i]!);
            if (_flushing) AwaitFile();
            if (_active != null) _active.Close();
            _active = null;
            _activeInfo = null;
            _breaks++;
        }

        /// <summary>Breaks the log (as a failed write does) and returns the exception to throw.</summary>
        public StorageException Fail(string why)
        {
            _breaks++;
            return new StorageException(why);
        }

        public bool IsBroken => _breaks != 0;

        // ---- message files ----------------------------------------------------------------

        public int MessageFileCount => _messageFiles.Count;

        public MessageFile GetMessageFile(int index) { return (MessageFile)_messageFiles[index]!; }

        /// <summary>The message file with this number, or null.</summary>
        public MessageFile? FindMessageFile(int number)
        {
            for (int i = 0; i < _messageFiles.Count; i++)
            {
                if (GetMessageFile(i).Number == number) return GetMessageFile(i);
            }
            return null;
        }

        /// <summary>The message file of message <paramref name="owner"/>, or null.</summary>
        public MessageFile? MessageFileOf(long owner)
        {
            for (int i = 0; i < _messageFiles.Count; i++)
            {
                if (GetMessageFile(i).Owner == owner) return GetMessageFile(i);
            }
            return null;
        }

        /// <summary>True when <paramref name="bytes"/> more bytes in message file <paramref name="f"/> leave <paramref name="floor"/> bytes free.</summary>
        public bool FitsIn(MessageFile f, long bytes, long floor)
        {
            long used = UsedBytes / QueueOptions.BlockSize - Blocks(f.Length) + Blocks(f.Length + bytes);
            return used * QueueOptions.BlockSize <= _capacity - floor;
        }

        /// <summary>
        /// Creates the message file of message <paramref name="owner"/> and appends its
        /// segment header (one write, through <paramref name="unit"/>, a free buffer of at
        /// least a header record). Not durable until <see cref="SyncFile"/>.
        /// </summary>
        public MessageFile CreateMessageFile(long owner, byte[] unit)
        {
            CheckUsable();
            if (_recordLeft >= 0) throw Fail("a record was left open by a failed append; reopen the store");
            _breaks++;          // see the header: an exception from here on leaves the log broken
            int number = RecordFormat.MessageFileFlag | NextSegmentNumber++;
            IStoredFile? f = _files.Open(RecordFormat.SegmentName(number), true);
            if (f == null) throw new StorageException("cannot create message file " + RecordFormat.SegmentName(number));
            MessageFile m = new MessageFile(number, owner);
            m.File = f;
            _messageFiles.Add(m);
            _breaks--;
            Target(m, unit);
            Begin(RecordType.SegmentHeader, RecordFormat.SegmentHeaderPayload);
            for (int i = 0; i < RecordFormat.SegmentMagic.Length; i++) PutByte(RecordFormat.SegmentMagic[i]);
            PutByte(RecordFormat.Version);
            PutU32((uint)number);
            End();
            Untarget();
            return m;
        }

        /// <summary>
        /// Appends <paramref name="count"/> bytes of message data as one Data record in
        /// message file <paramref name="f"/>, built in place: the data are at
        /// <paramref name="b"/>[DataHead..], the header goes in front and the CRC behind it
        /// (so the unit holds count + DataHead + 4 bytes). One write for a full unit; the
        /// last, partial one stays in the unit and goes out with the Commit record (Target).
        /// Returns its location.
        /// </summary>
        public long AppendData(MessageFile f, byte[] b, int count)
        {
            CheckUsable();
            if (_recordLeft >= 0) throw Fail("a record was left open by a failed append; reopen the store");
            long location = RecordFormat.Location(f.Number, f.Length);
            LastSequence = NextSequence++;
            b[0] = RecordFormat.Magic;
            b[1] = RecordType.Data;
            RecordFormat.PutU16(b, 2, RecordFormat.DataPrefix + count);
            RecordFormat.PutI64(b, 4, LastSequence);
            RecordFormat.PutI64(b, RecordFormat.HeaderSize, f.Owner);
            int end = RecordFormat.DataHead + count;
            RecordFormat.PutU32(b, end, Crc32.Finish(Crc32.Update(Crc32.Initial, b, 0, end)));
            if (end + 4 < b.Length)
            {
                f.Held = end + 4;
                f.Length += end + 4;
                return location;
            }
            _breaks++;
            f.File!.Append(b, 0, end + 4);
            _breaks--;
            f.Length += end + 4;
            AppendCount++;
            BytesAppended += end + 4;
            return location;
        }

        /// <summary>
        /// Makes Begin/Put/End append to message file <paramref name="f"/> through
        /// <paramref name="unit"/> (a writer's free unit) until <see cref="Untarget"/>; the
        /// shared segment's buffered bytes wait untouched.
        /// </summary>
        public void Target(MessageFile f, byte[] unit)
        {
            _savedFile = _active;
            _savedInfo = _activeInfo;
            _savedBuf = _buf;
            _savedCount = _bufCount;
            _savedDirty = _dirty;
            _active = f.File;
            _activeInfo = f;
            _buf = unit;
            _bufCount = f.Held;
            f.Held = 0;
            _limit = long.MaxValue;
        }

        /// <summary>Writes what the message file's records left in the unit and goes back to the shared segment.</summary>
        public void Untarget()
        {
            IStoredFile? file = _active;
            byte[] unit = _buf;
            int n = _bufCount;
            _active = _savedFile;
            _activeInfo = _savedInfo;
            _buf = _savedBuf!;
            _bufCount = _savedCount;
            _dirty = _savedDirty;
            _limit = _segmentSize;
            _savedFile = null;
            _savedInfo = null;
            _savedBuf = null;
            // Back on the shared segment first, whatever happens: after a failed or half-done
            // record (the log is broken, or Begin finds the record open) nothing more is written.
            if (n == 0 || _breaks != 0 || _recordLeft >= 0) return;
            _breaks++;          // see the header: an exception from here on leaves the log broken
            file!.Append(unit, 0, n);
            _breaks--;
            AppendCount++;
            BytesAppended += n;
        }

        /// <summary>
        /// Makes message file <paramref name="f"/> durable. Not under the store's lock: only
        /// its writer uses the file until its message is published. A failure breaks the log.
        /// </summary>
        public void SyncFile(MessageFile f)
        {
            f.File!.Sync();
        }

        /// <summary>After <see cref="SyncFile"/>, under the lock: counts it and closes the writer's handle (readers open their own).</summary>
        public void FileSynced(MessageFile f)
        {
            SyncCount++;
            CloseFile(f);
        }

        /// <summary>Deletes message file <paramref name="f"/>: its message is removed durably, or was never committed.</summary>
        public void DeleteMessageFile(MessageFile f)
        {
            DropReadHandle(f.Number);
            _breaks++;          // see the header: an exception from here on leaves the log broken
            CloseFile(f);
            _files.Delete(RecordFormat.SegmentName(f.Number));
            _breaks--;
            _messageFiles.Remove(f);
        }

        private static void CloseFile(MessageFile f)
        {
            IStoredFile? file = f.File;
            f.File = null;
            if (file != null) file.Close();
        }

        private long MessageFileBlocks()
        {
            long used = 0;
            for (int i = 0; i < _messageFiles.Count; i++) used += Blocks(GetMessageFile(i).Length);
            return used;
        }

        // ---- internals ------------------------------------------------------------------

        /// <summary>Leaves the active segment (synced, never appended again) and starts a new one with its header.</summary>
        private void Roll()
        {
            _breaks++;          // see the header: an exception from here on leaves the log broken
            if (_flushing) AwaitFile();
            if (_active != null)
            {
                if (_dirty)
                {
                    Spill();
                    _active.Sync();
                    _dirty = false;
                    SyncCount++;
                    DurableSequence = NextSequence - 1;
                }
                _active.Close();
                _active = null;
                _activeInfo = null;
            }
            int number = NextSegmentNumber++;
            IStoredFile? f = _files.Open(RecordFormat.SegmentName(number), true);
            if (f == null) throw new StorageException("cannot create segment " + RecordFormat.SegmentName(number));
            _active = f;
            _activeInfo = new SegmentInfo(number, 0);
            _segments.Add(_activeInfo);
            _breaks--;
            Begin(RecordType.SegmentHeader, RecordFormat.SegmentHeaderPayload);
            for (int i = 0; i < RecordFormat.SegmentMagic.Length; i++) PutByte(RecordFormat.SegmentMagic[i]);
            PutByte(RecordFormat.Version);
            PutU32((uint)_activeInfo.Number);
            End();
        }

        private void Raw(byte[] b, int offset, int count)
        {
            _activeInfo!.Length += count;
            _dirty = true;
            while (count > 0)
            {
                int n = _buf.Length - _bufCount;
                if (n > count) n = count;
                Array.Copy(b, offset, _buf, _bufCount, n);
                _bufCount += n;
                offset += n;
                count -= n;
                if (_bufCount == _buf.Length)
                {
                    // Spill's work in place: one heap frame less at the bottom of every
                    // append on nanoCLR (204 bytes or more each).
                    _bufCount = 0;
                    _breaks++;
                    if (_flushing) AwaitFile();
                    _active!.Append(_buf, 0, _buf.Length);
                    _breaks--;
                    AppendCount++;
                    BytesAppended += _buf.Length;
                }
            }
        }

        /// <summary>Waits until a flush outside the store's lock has finished with the shared segment's file.</summary>
        private void AwaitFile()
        {
            lock (_fileGate)
            {
            }
        }

        private void Spill()
        {
            if (_bufCount == 0) return;
            int n = _bufCount;
            _bufCount = 0;
            _active!.Append(_buf, 0, n);
            AppendCount++;
            BytesAppended += n;
        }

        private IStoredFile FileFor(int segment)
        {
            if (_activeInfo != null && segment == _activeInfo.Number) return _active!;
            for (int i = 0; i < 2; i++)
            {
                if (_readNumber[i] == segment)
                {
                    _readLast = i;
                    return _readFile[i]!;
                }
            }
            int slot = 1 - _readLast;          // the one used less recently
            DropReadHandle(_readNumber[slot]);
            IStoredFile? f = _files.Open(RecordFormat.SegmentName(segment), false);
            if (f == null) throw new StorageException("segment missing: " + RecordFormat.SegmentName(segment));
            _readFile[slot] = f;
            _readNumber[slot] = segment;
            _readLast = slot;
            return f;
        }

        private void DropReadHandle(int segment)
        {
            if (segment < 0) return;
            for (int i = 0; i < 2; i++)
            {
                if (_readNumber[i] != segment) continue;
                _readFile[i]!.Close();
                _readFile[i] = null;
                _readNumber[i] = -1;
            }
        }

        private void CheckUsable()
        {
            if (_breaks != 0) throw new StorageException("queue store failed earlier; reopen it");
        }

        private static long Blocks(long length)
        {
            return (length + QueueOptions.BlockSize - 1) / QueueOptions.BlockSize;
        }
    }

    /// <summary>One segment file: number and length (including bytes still in the write buffer).</summary>
    internal class SegmentInfo
    {
        public SegmentInfo(int number, long length)
        {
            Number = number;
            Length = length;
        }

        public int Number { get; }

        public long Length { get; set; }

        /// <summary>Bytes from the start that hold whole records with good CRCs (recovery); Length for new segments.</summary>
        public long ValidEnd { get; set; } = long.MaxValue;

        /// <summary>Bytes of the data pieces and latest Commit records of messages in the index (MessageStore keeps it).</summary>
        public long Live { get; set; }
    }

    /// <summary>A message file: the segment of one message longer than a write unit (SegmentLog's header).</summary>
    internal sealed class MessageFile : SegmentInfo
    {
        public MessageFile(int number, long owner)
            : base(number, 0)
        {
            Owner = owner;
        }

        /// <summary>Id of the message whose records it holds (0 while recovery has not seen one).</summary>
        public long Owner { get; set; }

        /// <summary>Bytes of its last Data record waiting in the writer's unit for the Commit record.</summary>
        public int Held { get; set; }

        /// <summary>The writer's handle until the message is published; null afterwards.</summary>
        public IStoredFile? File { get; set; }
    }
}
