// One open file of HostFileStore. Reads and writes are positional (RandomAccess), so a
// read never moves the append point.
// The board's rule, kept on the host: appends reach the file only at Sync, as on the
// board's LittleFS, where a file's new data is committed at close and lost at a power cut
// before it (ARCHITECTURE.md, Flash format). Until then they wait here, in the process
// (at most a segment: the queue syncs a segment before it leaves it), and reads see them;
// Sync writes them and fsyncs (FileStream.Flush(flushToDisk: true)). So killing the
// emulator loses exactly what a power cut loses on the board, and `nmg mailq` beside a
// running gateway sees only synced records. Close writes what is waiting without fsync
// (LittleFS commits at close too; the queue syncs before it closes anyway). The pending
// buffer goes back to the store at close for the next file: a queue that rolls a segment
// file every 16 KB would otherwise grow a new one per file, garbage the board never makes.

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
        // The handle, taken once: each FileStream.SafeFileHandle access makes the stream
        // check its position (an lseek), twice per read otherwise.
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
        // Bytes known to be on the file: files only grow, so a read below it needs no fstat
        // (another handle's Sync may have added more: asked again past it).
        private long _onFile = -1;
        private readonly bool _writable;
        private readonly HostFileStore? _medium;   // checks the emulated medium size before a write
        private byte[] _pending = Array.Empty<byte>();   // appended since the last Sync
        private int _pendingCount;
        private int _closed;

        public HostStoredFile(string name, FileStream stream, bool writable, HostFileStore? medium = null)
        {
            _name = name;
            _stream = stream;
            _handle = stream.SafeFileHandle;
            _writable = writable;
            _medium = medium;
        }

        public long Length
        {
            get
            {
                try
                {
                    return OnFile(long.MaxValue) + _pendingCount;
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
                long onFile = OnFile(position + count);
                if (position < onFile)
                {
                    int n = (int)Math.Min(count, onFile - position);
                    return RandomAccess.Read(_handle, new Span<byte>(buffer, offset, n), position);
                }
                long at = position - onFile;
                if (at >= _pendingCount) return 0;
                int m = (int)Math.Min(count, _pendingCount - at);
                Array.Copy(_pending, at, buffer, offset, m);
                return m;
            }
            catch (IOException e)
            {
                throw new StorageException("cannot read " + _name + ": " + e.Message, e);
            }
        }

        public void Append(byte[] buffer, int offset, int count)
        {
            if (!_writable) throw new StorageException("cannot append to " + _name + ": the store is read-only");
            if (_pending.Length == 0 && _medium != null) _pending = _medium.RentPending();
            if (_pendingCount + count > _pending.Length) Array.Resize(ref _pending, Math.Max(_pendingCount + count, 2 * _pending.Length));
            Array.Copy(buffer, offset, _pending, _pendingCount, count);
            _pendingCount += count;
        }

        public void Sync()
        {
            if (!_writable) return; // nothing of ours to make durable
            WritePending("sync");
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                throw new StorageException("cannot sync " + _name + ": " + e.Message, e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            try
            {
                if (_writable) WritePending("close");
            }
            catch (StorageException)
            {
                // Closing after a failed write: the failure was reported by that call.
            }
            finally
            {
                _stream.Dispose();
                if (_medium != null && _pending.Length > 0) _medium.ReturnPending(_pending);
                _pending = Array.Empty<byte>();
            }
        }

        /// <summary>The file's length on disk, asked of the system only when <paramref name="need"/> is past what is known.</summary>
        private long OnFile(long need)
        {
            if (_onFile < need) _onFile = RandomAccess.GetLength(_handle);
            return _onFile;
        }

        /// <summary>Writes the appends waiting since the last Sync at the end of the file.</summary>
        private void WritePending(string what)
        {
            if (_pendingCount == 0) return;
            _medium?.CheckRoom(_name, _pendingCount);   // before the write: a full medium takes nothing
            try
            {
                // One writer per file (IFileStore contract), so the end cannot move under us.
                long end = OnFile(long.MaxValue);
                RandomAccess.Write(_handle, new ReadOnlySpan<byte>(_pending, 0, _pendingCount), end);
                _onFile = end + _pendingCount;
                _pendingCount = 0;
            }
            catch (IOException e)
            {
                // ENOSPC lands here too: the queue turns it into 452 4.3.1.
                throw new StorageException("cannot " + what + " " + _name + ": " + e.Message, e);
            }
        }
    }
}
