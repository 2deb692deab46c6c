// COMPILE-ONLY STAND-IN for nanoFramework.System.IO.Streams 1.1.96 (assembly System.IO.Streams).
// Declares the members the board app uses, with the real package's signatures; every body
// throws. Never deployed: the board build (NanoMailGateway.nfproj) uses the real package.

namespace System.IO
{
    /// <summary>Stand-in: nanoFramework's System.IO.SeekOrigin.</summary>
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }

    /// <summary>Stand-in: nanoFramework's System.IO.Stream (abstract members of the real class).</summary>
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }

        public abstract bool CanSeek { get; }

        public abstract bool CanWrite { get; }

        public abstract long Length { get; }

        public abstract long Position { get; set; }

        public abstract void Flush();

        public abstract int Read(SpanByte buffer);

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract long Seek(long offset, SeekOrigin origin);

        public abstract void SetLength(long value);

        public abstract void Write(byte[] buffer, int offset, int count);

        public virtual void Close() => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();

        protected virtual void Dispose(bool disposing) => throw new NotImplementedException();
    }
}
