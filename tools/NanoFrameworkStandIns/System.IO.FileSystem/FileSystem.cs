// COMPILE-ONLY STAND-IN for nanoFramework.System.IO.FileSystem 1.1.87 (assembly
// System.IO.FileSystem). Declares the members the board app uses, with the real package's
// signatures (ARCHITECTURE.md, Platform facts: FileStream has (path, mode) and
// (path, mode, access) only; Directory.CreateDirectory is void); every body throws.
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

    /// <summary>Stand-in: nanoFramework's System.IO.FileStream.</summary>
    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) => throw new NotImplementedException();

        public FileStream(string path, FileMode mode, FileAccess access) => throw new NotImplementedException();

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
        public static void CreateDirectory(string path) => throw new NotImplementedException();

        public static bool Exists(string path) => throw new NotImplementedException();

        public static string[] GetFiles(string path) => throw new NotImplementedException();
    }
}
