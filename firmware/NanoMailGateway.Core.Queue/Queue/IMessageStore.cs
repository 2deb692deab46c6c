// What a listener needs from the queue: room checks and a streaming writer. Data flows
// one way (listener -> queue), so this is the whole listener-facing surface; delivery
// and POP3 use the queue's own reading API.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>The listener-facing side of the queue. Thread-safe.</summary>
    public interface IMessageStore
    {
        /// <summary>
        /// True when a message of <paramref name="size"/> bytes (0 = unknown) can be taken
        /// now while keeping the reserve for status records, bounces and compaction.
        /// False means: answer 452 4.3.1 (RFC 3463: mail system full).
        /// </summary>
        bool HasRoomFor(long size);

        /// <summary>
        /// Starts a message for <paramref name="envelope"/>. Returns null when the store is
        /// full (452 4.3.1). Nothing is visible to delivery until Commit returns.
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the medium failed (451 4.3.0).</exception>
        IMessageWriter? BeginMessage(Envelope envelope);
    }
}
