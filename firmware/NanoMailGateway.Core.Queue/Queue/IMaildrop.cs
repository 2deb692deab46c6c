// One POP3 session's view of a mailbox (RFC 1939 §3, "maildrop"): a snapshot taken at
// login. Message indexes here are 0-based; POP3 message numbers (1-based) are the
// session's business.
// Contract for implementers:
// - A stored message ends with CRLF and uses CRLF line ends throughout. SizeOf is the
//   exact number of octets Read yields, which is what RETR sends before dot-stuffing
//   (RFC 1939 §11: "exact size" in LIST/STAT). The session still terminates a message
//   that breaks the rule correctly, but its LIST size would then be off by two.
// - UniqueId is 1..70 characters in 0x21..0x7E (RFC 1939 §7), assigned at delivery,
//   stable across sessions and restarts, never reused for another message.
// - Commit removes the marked messages durably, all-or-nothing per message: after a
//   power cut during Commit each message is either wholly present with its old unique
//   id or gone. Unmarked messages keep their ids.
// Left out on purpose: writes (delivery goes through the mailbox store, not POP3).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>
    /// A snapshot of a maildrop, used by one session thread only. The session calls
    /// <see cref="Close"/> exactly once at its end, after <see cref="Commit"/> or without it.
    /// </summary>
    public interface IMaildrop
    {
        /// <summary>Messages in the snapshot (deleted-marked ones included; marks are the session's).</summary>
        int Count { get; }

        /// <summary>Exact size in octets of message <paramref name="index"/> (0-based), CRLF line ends, before dot-stuffing.</summary>
        long SizeOf(int index);

        /// <summary>The unique-id of message <paramref name="index"/>: 1..70 characters in 0x21..0x7E (RFC 1939 §7).</summary>
        string UniqueId(int index);

        /// <summary>
        /// Copies up to <paramref name="count"/> octets of message <paramref name="index"/>,
        /// starting at octet <paramref name="position"/>, into the buffer. Returns the number
        /// copied, 0 at the end of the message. May return fewer than asked before the end.
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the storage failed.</exception>
        int Read(int index, long position, byte[] buffer, int offset, int count);

        /// <summary>
        /// Durably removes every message whose <paramref name="deleted"/> entry is true
        /// (array length = <see cref="Count"/>), all-or-nothing per message. Returns true
        /// when every marked message is gone; false when some could not be removed
        /// (those stay wholly present with their old unique ids).
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the storage failed (treated like false).</exception>
        bool Commit(bool[] deleted);

        /// <summary>Releases what the snapshot holds. Called once; never throws.</summary>
        void Close();
    }
}
