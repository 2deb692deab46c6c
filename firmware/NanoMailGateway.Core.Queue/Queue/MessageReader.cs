// Reads a queued message's data (RFC 5322 text, CRLF line ends) at any position, chunk
// by chunk into the caller's buffer, for delivery (SMTP DATA out) and POP3 (RETR/TOP).
// It keeps only the location of the current piece; the piece list stays on flash in
// the Commit record. Sequential reads cost one small flash read per piece; a read after
// compaction moved the message looks the piece up again.

using System;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>
    /// A cursor over one message's data; delivery and the bounce composer read it as an
    /// <see cref="IMessageContent"/>. Not thread-safe; one per delivery or POP3 session.
    /// </summary>
    public sealed class MessageReader : IMessageContent
    {
        private readonly MessageStore _store;
        private readonly QueuedMessage _message;
        private int _moves = -1;
        private int _piece = -1;         // index of the cached piece, -1 = none
        private long _pieceStart;        // message position of the cached piece's first byte
        private int _segment;
        private long _offset;            // record offset of the cached piece in its segment
        private int _length;

        internal MessageReader(MessageStore store, QueuedMessage message)
        {
            _store = store;
            _message = message;
        }

        /// <summary>Message size in bytes.</summary>
        public long Length => _message.Size;

        /// <summary>
        /// Reads up to <paramref name="count"/> bytes at <paramref name="position"/> into
        /// <paramref name="buffer"/>. Returns the bytes read: fewer than asked at a piece
        /// boundary (call again), 0 at the end of the message.
        /// </summary>
        /// <exception cref="Platform.StorageException">the medium failed.</exception>
        /// <exception cref="InvalidOperationException">the message was removed.</exception>
        public int Read(long position, byte[] buffer, int offset, int count)
        {
            if (position < 0) throw new ArgumentOutOfRangeException("position");
            if (position >= _message.Size || count <= 0) return 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                int moves = _message.Moves;
                if (moves != _moves || position < _pieceStart || _piece < 0)
                {
                    _moves = moves;
                    _piece = -1;
                    _pieceStart = 0;
                    _length = 0;
                }
                while (position >= _pieceStart + _length)
                {
                    _pieceStart += _length;
                    _piece++;
                    if (_piece >= _message.PieceCount) return 0;
                    _store.ReadPiece(_message, _piece, out _segment, out _offset, out _length);
                }
                long into = position - _pieceStart;
                long left = _length - into;
                int n = left < count ? (int)left : count;
                long at = _offset + RecordFormat.HeaderSize + RecordFormat.DataPrefix + into;
                int got = _store.ReadData(_message, _moves, _segment, at, buffer, offset, n);
                if (got >= 0) return got;
                _moves = -1;    // compaction moved the message: look it up again
            }
            throw new InvalidOperationException("message " + _message.QueueId + " keeps moving");
        }
    }
}
