// One open file of NanoFileStore (shared board/host source). One FileStream opened for
// reading and writing: appends seek to the end first, reads seek to their position, so a
// read never moves the append point. The ESP32 driver calls fflush on every Write
// (ARCHITECTURE.md, Platform facts), so one Append is one write into LittleFS.
// Sync closes the FileStream and opens the file again: on the board's LittleFS (I:) a
// file's new data is committed to flash only when the file is closed (the driver never
// calls fsync, and its Flush is fflush only), so closing is the one way to make an append
// durable; the next append then continues the reopened file. On an SD card (FAT) the
// driver already syncs on every Write and close is harmless; on the host close hands the
// data to the OS (the emulator's own HostFileStore adds fsync).
// Cost on LittleFS: each Sync is one metadata commit, and the next append copies the
// file's partial last block into a fresh one (ARCHITECTURE.md, Flash format).

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
        private readonly string _path;
        private FileStream _stream;
        private int _closed;

        public NanoStoredFile(string name, string path, FileStream stream)
        {
            _name = name;
            _path = path;
            _stream = stream;
        }

        /// <summary>Times Sync closed and reopened the file (tests).</summary>
        internal int Reopens { get; private set; }

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

        public void Sync()
        {
            try
            {
                // Dispose flushes and closes: LittleFS commits the file here. A failed reopen
                // leaves a closed stream, so every later call fails too (the queue then breaks
                // the log until it is reopened, ARCHITECTURE.md, Device rules).
                _stream.Dispose();
                _stream = NanoFileStore.OpenStream(_path, false);
                Reopens++;
            }
            catch (Exception e)
            {
                throw NanoFileStore.Wrap("cannot sync " + _name, e);
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
