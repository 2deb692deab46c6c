// One open file of HostFileStore. Reads and appends are positional (RandomAccess), so a
// read never moves the append point and the length always comes from the OS: a reader
// in another process sees the gateway's appends as soon as they are written.
// Flush is fsync (FileStream.Flush(flushToDisk: true)): only after it returns is an
// append durable (IStoredFile contract).

using System;
using System.IO;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>An open store file. Not thread-safe; Close is idempotent.</summary>
    internal sealed class HostStoredFile : IStoredFile
    {
        private readonly string _name;
        private readonly FileStream _stream;
        private readonly bool _writable;
        private int _closed;

        public HostStoredFile(string name, FileStream stream, bool writable)
        {
            _name = name;
            _stream = stream;
            _writable = writable;
        }

        public long Length
        {
            get
            {
                try
                {
                    return RandomAccess.GetLength(_stream.SafeFileHandle);
                }
                catch (IOException e)
                {
                    throw new StorageException("cannot stat " + _name + ": " + e.Message, e);
                }
            }
        }

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            try
            {
                return RandomAccess.Read(_stream.SafeFileHandle, new Span<byte>(buffer, offset, count), position);
            }
            catch (IOException e)
            {
                throw new StorageException("cannot read " + _name + ": " + e.Message, e);
            }
        }

        public void Append(byte[] buffer, int offset, int count)
        {
            if (!_writable) throw new StorageException("cannot append to " + _name + ": the store is read-only");
            try
            {
                // One writer per file (IFileStore contract), so the end cannot move under us.
                long end = RandomAccess.GetLength(_stream.SafeFileHandle);
                RandomAccess.Write(_stream.SafeFileHandle, new ReadOnlySpan<byte>(buffer, offset, count), end);
            }
            catch (IOException e)
            {
                // ENOSPC lands here too: the queue turns it into 452 4.3.1.
                throw new StorageException("cannot append to " + _name + ": " + e.Message, e);
            }
        }

        public void Flush()
        {
            if (!_writable) return; // nothing of ours to make durable
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                throw new StorageException("cannot flush " + _name + ": " + e.Message, e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _stream.Dispose();
        }
    }
}
