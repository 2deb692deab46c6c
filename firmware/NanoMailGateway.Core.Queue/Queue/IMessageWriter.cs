// Streams one message into the queue chunk by chunk while DATA arrives, then commits or
// aborts it. A message that was not committed is invisible after any crash.
// Two ways in: Write copies from the caller's buffer; GetBuffer/Advance let the caller
// put bytes straight into the writer's own write unit, so the SMTP listener needs no
// DATA buffer of its own (ARCHITECTURE.md, Memory).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>One message being written. Used by one session thread.</summary>
    public interface IMessageWriter
    {
        /// <summary>The queue id this message will have ("4XkT9bQ2"), for the log and the 250 reply.</summary>
        string QueueId { get; }

        /// <summary>Bytes written so far.</summary>
        long Length { get; }

        /// <summary>
        /// Appends message bytes (CRLF line ends, already dot-unstuffed). Returns false when
        /// the store ran out of room: the message cannot be committed, the caller keeps
        /// reading to the end of DATA and then answers 452 4.3.1 and aborts.
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the medium failed.</exception>
        bool Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// The writer's own buffer for the next bytes: the caller puts up to
        /// <paramref name="count"/> (at least 1) bytes at <paramref name="offset"/>, then calls
        /// <see cref="Advance"/> with how many. Valid until the next Advance, Write, Commit or Abort.
        /// </summary>
        byte[] GetBuffer(out int offset, out int count);

        /// <summary>
        /// Appends the <paramref name="count"/> bytes put into <see cref="GetBuffer"/>'s buffer;
        /// returns false as <see cref="Write"/> does.
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the medium failed.</exception>
        bool Advance(int count);

        /// <summary>
        /// Makes the message and its envelope durable (written and flushed, ARCHITECTURE.md, Flash format) and
        /// hands it to delivery. Only after this returns may the listener answer 250.
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the commit failed: answer 451 4.3.0; nothing is kept.</exception>
        void Commit();

        /// <summary>Drops the message. Safe after a failed Write or Commit, and safe twice.</summary>
        void Abort();
    }
}
