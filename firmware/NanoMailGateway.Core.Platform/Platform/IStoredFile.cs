// One open file of an IFileStore. Appends are durable only once Sync returns: before that
// they may sit in the adapter's, the driver's or the operating system's cache. What a power
// cut leaves of appends made since the last Sync depends on the medium: on the board's
// LittleFS (I:) none of them (a file's new data reaches flash when the file is closed or
// synced, and the driver's own flush is only fflush); on the host and on FAT any prefix,
// the last append possibly torn (partly written or followed by garbage). The queue's
// record CRCs exist for the second case, and it never relies on more than Sync
// (ARCHITECTURE.md, Flash format).

namespace NanoMailGateway.Core.Platform
{
    /// <summary>An open append-only file. Not thread-safe.</summary>
    public interface IStoredFile
    {
        /// <summary>Current length in bytes, including unflushed appends.</summary>
        long Length { get; }

        /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>;
        /// returns how many were read (0 at the end).</summary>
        /// <exception cref="StorageException">the medium failed.</exception>
        int Read(long position, byte[] buffer, int offset, int count);

        /// <summary>Appends bytes at the end. One call is one write to the medium.</summary>
        /// <exception cref="StorageException">the medium failed or is full.</exception>
        void Append(byte[] buffer, int offset, int count);

        /// <summary>Makes every append so far durable before it returns, by the medium's rule:
        /// fsync on the host, close and reopen on the board's LittleFS. It may cost a flash block
        /// (LittleFS copies the partial last block on the next append), so callers group records
        /// under one Sync where their protocol allows.</summary>
        /// <exception cref="StorageException">the medium failed.</exception>
        void Sync();

        /// <summary>Closes the file. Safe to call twice.</summary>
        void Close();
    }
}
