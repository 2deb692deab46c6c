// The storage seam: a flat directory of files that can only grow at the end, be read
// anywhere, be made durable, and be deleted. That is all LittleFS does cheaply and
// safely (ARCHITECTURE.md, Flash format), so it is all the queue and the mailboxes may use.
// Three implementations: host files with fsync (emulator), nanoFramework files on I:
// (board), and the in-memory simulator with power cuts (tests).
// Left out on purpose: rewrite in the middle, truncate, rename-over (File.Move cannot
// replace on the board), free-space queries (GetSizeInfo returns -1 on ESP32).

namespace NanoMailGateway.Core.Platform
{
    /// <summary>
    /// A flat directory of append-only files. Names are short ASCII ("q000012.seg").
    /// Thread-safety: calls on different files may come from different threads;
    /// one file is used by one thread at a time.
    /// </summary>
    public interface IFileStore
    {
        /// <summary>Opens a file; creates it empty when <paramref name="create"/> is set and it is missing.
        /// Returns null when it is missing and <paramref name="create"/> is false.</summary>
        /// <exception cref="StorageException">the medium failed.</exception>
        IStoredFile? Open(string name, bool create);

        /// <summary>Deletes a file; nothing happens when it does not exist.</summary>
        /// <exception cref="StorageException">the medium failed.</exception>
        void Delete(string name);

        /// <summary>Names of all files, in no particular order.</summary>
        string[] List();
    }
}
