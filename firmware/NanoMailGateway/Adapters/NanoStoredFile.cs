// One open file of NanoFileStore (shared board/host source). One FileStream opened for
// reading and writing: appends seek to the end first, reads seek to their position, so a
// read never moves the append point. The ESP32 driver writes through on every Write
// (ARCHITECTURE.md, Platform facts), so one Append is one write to flash; Flush makes the
// host's buffered bytes reach the OS. On the board's LittleFS only closing (or syncing)
// a file commits what was written to it, and this adapter keeps the file open, so there
// Flush is not yet a commit (an open issue; ARCHITECTURE.md, Flash format).

using System;
using System.IO;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>An open store file. Not thread-safe; Close is idempotent.</summary>
    internal sealed class NanoStoredFile : IStoredFile
    {
        private readonly string _name;
        private readonly FileStream _stream;
        private int _closed;

        public NanoStoredFile(string name, FileStream stream)
        {
            _name = name;
            _stream = stream;
        }

        public long Length
        {
            get
            {
                try
                {
                    return _stream.Length;
                }
                catch (Exception e)
                {
                    throw NanoFileStore.Wrap("cannot stat " + _name, e);
                }
            }
        }

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            try
            {
                if (position >= _stream.Length) return 0;
                _stream.Seek(position, SeekOrigin.Begin);
                return _stream.Read(buffer, offset, count);
            }
            catch (Exception e)
            {
                throw NanoFileStore.Wrap("cannot read " + _name, e);
            }
        }

        public void Append(byte[] buffer, int offset, int count)
        {
            try
            {
                // One writer per file (IFileStore contract), so the end cannot move under us.
                _stream.Seek(0, SeekOrigin.End);
                _stream.Write(buffer, offset, count);
            }
            catch (Exception e)
            {
                // A full medium lands here too: the queue turns it into 452 4.3.1.
                throw NanoFileStore.Wrap("cannot append to " + _name, e);
            }
        }

        public void Flush()
        {
            try
            {
                _stream.Flush();
            }
            catch (Exception e)
            {
                throw NanoFileStore.Wrap("cannot flush " + _name, e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            try
            {
                _stream.Dispose();
            }
            catch (Exception)
            {
                // Closing after a failed write: the failure was reported by that write.
            }
        }
    }
}
