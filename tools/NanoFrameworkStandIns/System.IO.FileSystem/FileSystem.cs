// COMPILE-ONLY STAND-IN for nanoFramework.System.IO.FileSystem 1.1.93 (assembly
// System.IO.FileSystem). Declares members of the real package with its signatures (its
// sources at tag v1.1.93; StandInSignatureTests holds the list they are checked against);
// every body throws.
// Never deployed: the board build (NanoMailGateway.nfproj) uses the real package.

namespace System.IO
{
    /// <summary>Stand-in: nanoFramework's System.IO.FileMode.</summary>
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    /// <summary>Stand-in: nanoFramework's System.IO.FileAccess.</summary>
    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    /// <summary>Stand-in: nanoFramework's System.IO.FileShare.</summary>
    [Flags]
    public enum FileShare
    {
        None = 0,
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    /// <summary>Stand-in: nanoFramework's System.IO.FileStream.</summary>
    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) => throw new NotImplementedException();

        public FileStream(string path, FileMode mode, FileAccess access) => throw new NotImplementedException();

        public FileStream(string path, FileMode mode, FileAccess access, FileShare share) => throw new NotImplementedException();

        public FileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize) => throw new NotImplementedException();

        public override bool CanRead => throw new NotImplementedException();

        public override bool CanSeek => throw new NotImplementedException();

        public override bool CanWrite => throw new NotImplementedException();

        public override long Length => throw new NotImplementedException();

        public override long Position
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public override void Flush() => throw new NotImplementedException();

        public override int Read(SpanByte buffer) => throw new NotImplementedException();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotImplementedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotImplementedException();

        public override void SetLength(long value) => throw new NotImplementedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotImplementedException();
    }

    /// <summary>Stand-in: nanoFramework's System.IO.File (members used by the board app).</summary>
    public static class File
    {
        public static bool Exists(string path) => throw new NotImplementedException();

        public static void Delete(string path) => throw new NotImplementedException();

        public static byte[] ReadAllBytes(string path) => throw new NotImplementedException();
    }

    /// <summary>Stand-in: nanoFramework's System.IO.Directory (members used by the board app).</summary>
    public static class Directory
    {
        public static DirectoryInfo CreateDirectory(string path) => throw new NotImplementedException();

        public static bool Exists(string path) => throw new NotImplementedException();

        public static string[] GetFiles(string path) => throw new NotImplementedException();
    }

    /// <summary>Stand-in: nanoFramework's System.IO.FileSystemInfo (no member the board app uses).</summary>
    public abstract class FileSystemInfo : MarshalByRefObject
    {
    }

    /// <summary>Stand-in: nanoFramework's System.IO.DirectoryInfo (what Directory.CreateDirectory returns).</summary>
    public sealed class DirectoryInfo : FileSystemInfo
    {
        public DirectoryInfo(string path) => throw new NotImplementedException();
    }
}
