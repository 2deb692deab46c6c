// The seam between the POP3 server and the mailbox storage: it opens the maildrop of
// one mailbox. The flash mailbox store implements it (integration step); tests use an
// in-memory double. Locking is not the store's job: the POP3 server holds the
// one-session-per-mailbox lock (RFC 1939 §8, "exclusive-access lock") before it calls
// Open, so a store sees at most one open maildrop per mailbox from POP3.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Opens maildrops by mailbox name. Thread-safe (sessions run on their own threads).</summary>
    public interface IMaildropStore
    {
        /// <summary>
        /// Takes a snapshot of the mailbox <paramref name="mailbox"/> (the login name the
        /// authenticator accepted) and returns it, or null when no such mailbox exists.
        /// Messages delivered after the snapshot are not in it (RFC 1939 §8: the maildrop
        /// is fixed for the session).
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the storage failed.</exception>
        IMaildrop? Open(string mailbox);
    }
}
