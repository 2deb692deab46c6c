// Streams one message into the queue for a listener session (IMessageWriter): bytes are
// gathered in one write-unit buffer from the store's pool and appended as Data records
// each time it fills, so DATA never holds more than one write unit of the message in
// RAM (ARCHITECTURE.md, Memory). The listener puts content straight into that buffer
// (GetBuffer/Advance); Write copies into it for everyone else. Commit appends the rest
// and the Commit record and flushes; Abort just forgets: pieces without a Commit are dead
// and compaction reclaims them (a message file is deleted at once).
// The unit keeps RecordFormat.DataHead bytes free in front of the data and 4 behind it, so
// that a message longer than one unit has its Data records built in place and appended to
// its message file in one write each (SegmentLog's header); a full unit's Data record in a
// shared segment is then exactly one write unit too.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>One message being written. Used by one session thread.</summary>
    internal sealed class MessageWriter : IMessageWriter
    {
        private readonly MessageStore _store;
        private byte[]? _buffer;
        private int _count;                     // data bytes in the unit, from RecordFormat.DataHead
        private bool _failed;

        internal MessageWriter(MessageStore store, long id, Envelope envelope, byte[] buffer, long floor)
        {
            _store = store;
            Id = id;
            QueueId = Queue.QueueId.Format(id);
            Envelope = envelope;
            _buffer = buffer;
            Floor = floor;
            Pieces = new PieceList();
        }

        internal long Id { get; }

        /// <summary>The store's reopen count when this writer began (MessageStore.Reopen.cs).</summary>
        internal int Generation { get; set; }

        internal Envelope Envelope { get; }

        /// <summary>Bytes that must stay free after this message's appends (listener or local reserve).</summary>
        internal long Floor { get; }

        /// <summary>Data pieces appended so far.</summary>
        internal PieceList Pieces { get; }

        /// <summary>The message once committed.</summary>
        internal QueuedMessage? Committed { get; private set; }

        /// <summary>The message once its Commit record is written and until it is durable (group commit).</summary>
        internal QueuedMessage? Pending { get; set; }

        /// <summary>Made by the gateway itself (a bounce or notice): it stays in the shared segments.</summary>
        internal bool Local { get; set; }

        /// <summary>Its message file once the message is longer than one unit (SegmentLog's header).</summary>
        internal MessageFile? File { get; set; }

        /// <summary>The write unit, for the message file's header and Commit record (free once its data are appended).</summary>
        internal byte[]? Unit => _buffer;

        /// <summary>Counted among the commits under way (group commit) until its Commit record is written.</summary>
        internal bool Announced { get; set; }

        /// <inheritdoc/>
        public string QueueId { get; }

        /// <inheritdoc/>
        public long Length { get; private set; }

        /// <inheritdoc/>
        public bool Write(byte[] buffer, int offset, int count)
        {
            if (_failed) return false;
            byte[] b = Buffer();
            int room = b.Length - RecordFormat.DataHead - 4;
            while (count > 0)
            {
                int n = room - _count;
                if (n > count) n = count;
                System.Array.Copy(buffer, offset, b, RecordFormat.DataHead + _count, n);
                offset += n;
                count -= n;
                _count += n;
                // The store is called from here, not through Advance or a helper: on nanoCLR
                // each nested call is a heap frame of 204 bytes or more, and a bounce is
                // written at the delivery thread's deepest point (README, On-device self-test).
                if (_count == room && !Spilled(_store.AppendPieces(this, b, _count))) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public byte[] GetBuffer(out int offset, out int count)
        {
            byte[] b = Buffer();
            offset = RecordFormat.DataHead + _count;
            count = b.Length - RecordFormat.DataHead - 4 - _count;
            return b;
        }

        /// <inheritdoc/>
        public bool Advance(int count)
        {
            if (_failed) return false;
            byte[] b = Buffer();
            int room = b.Length - RecordFormat.DataHead - 4;
            if (count < 0 || count > room - _count) throw new System.ArgumentOutOfRangeException("count");
            _count += count;
            // A full unit goes to the log at once: the Data records are the same whichever way the bytes came.
            return _count < room || Spilled(_store.AppendPieces(this, b, _count));
        }

        private byte[] Buffer()
        {
            byte[]? b = _buffer;
            if (b == null) throw new System.InvalidOperationException("message " + QueueId + " is already committed or aborted");
            return b;
        }

        /// <inheritdoc/>
        public void Commit()
        {
            byte[] b = Buffer();
            bool committed = false;
            _store.CommitStarting(this);
            try
            {
                // A writer whose Write was refused (store full) is finished here too: it frees
                // its slot and buffer, and its pieces stop pinning their segment.
                if (_failed || (_count > 0 && !Spilled(_store.AppendPieces(this, b, _count)))) throw new StorageException("queue store full: message " + QueueId + " cannot be committed");
                // The two halves of MessageStore's group commit, called from here (not through
                // one method of the store) so that the Commit record is written no deeper on
                // the stack than before: on nanoCLR each frame is heap.
                Committed = _store.Publish(this, _store.WriteCommitRecord(this, Length));
                committed = true;
            }
            finally
            {
                // Whatever was thrown (StorageException, or OutOfMemoryException on a small heap),
                // the writer slot and its write-unit buffer go back now: a caller that only
                // expects StorageException must not leak them (they are few: smtp_sessions + 1).
                if (!committed)
                {
                    _failed = true;
                    Abort();
                }
            }
            Release();
        }

        /// <summary>Gives the write unit back after a successful commit.</summary>
        internal void Release()
        {
            byte[]? b = _buffer;
            if (b == null) return;
            _buffer = null;
            _store.ReturnBuffer(b);
        }

        /// <inheritdoc/>
        public void Abort()
        {
            byte[]? b = _buffer;
            if (b == null) return;
            _buffer = null;
            _store.EndWriter(this, b);
        }

        /// <summary>
        /// Accounts for the store's answer to appending the whole write unit: false (the store
        /// is full) fails the writer; true empties the unit. Called after AppendPieces has
        /// returned, so that it adds no frame under the append.
        /// </summary>
        private bool Spilled(bool appended)
        {
            if (!appended)
            {
                _failed = true;
                return false;
            }
            Length += _count;
            _count = 0;
            return true;
        }
    }
}
