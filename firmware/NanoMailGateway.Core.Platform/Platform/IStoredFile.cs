// One open file of an IFileStore. Appends may sit in the adapter's or the operating
// system's cache until Flush returns; only then are they durable. A power cut may keep
// any prefix of unflushed appends, and the last of them may be torn (partly written or
// followed by garbage): the queue's record CRCs exist for that.

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

        /// <summary>Makes every append so far durable (fsync on the host).</summary>
        /// <exception cref="StorageException">the medium failed.</exception>
        void Flush();

        /// <summary>Closes the file. Safe to call twice.</summary>
        void Close();
    }
}
