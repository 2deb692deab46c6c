// The seam through which delivery and the bounce composer read a queued message:
// random access by position, so the queue can serve it straight from its segment
// files in chunks (ARCHITECTURE.md, Memory: nothing holds a whole message in RAM).
// Tests use a byte[]-backed implementation.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>
    /// A stored message: header and body, CRLF line ends, not dot-stuffed (as the
    /// listener wrote it through IMessageWriter). One reader at a time.
    /// </summary>
    public interface IMessageContent
    {
        /// <summary>Size in bytes (the RFC 1870 SIZE= value).</summary>
        long Length { get; }

        /// <summary>
        /// Copies up to <paramref name="count"/> bytes from <paramref name="position"/> and
        /// returns how many were copied (0 only at the end).
        /// </summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the medium failed.</exception>
        int Read(long position, byte[] buffer, int offset, int count);
    }
}
