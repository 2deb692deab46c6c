// Kept beside the board's NanoFileStore on purpose: that one has no read-only mode and no FileShare (nanoFramework's FileStream lacks it).
// IFileStore on a host directory: the emulator's queue and mailboxes live in real files
// that survive a restart and that an administrator can look at. Appends are made durable
// with fsync (HostStoredFile.Flush), as the queue's "write, flush, then commit" rule
// needs (ARCHITECTURE.md, Flash format). Files are shared for reading and deleting, so that a read-only
// store over the same directory (`nmg mailq` while the gateway runs) can open them.
// Names follow StoreFileName, the board store's rule too: a name can never leave the directory.
// Queue files hold message bodies: the directory is made 0700 and files are created 0600
// on Unix, so that other users of the host cannot read the mail.
// A medium size (the board's drive I: is 256 KB shared with Wi-Fi credentials and
// certificates; README, Storage faults) can be emulated: with MediumBytes set, a write
// that would take every file in the directory past it fails as ENOSPC does, so another
// file in the directory fills the medium under the queue and deleting it frees it.
// Left out on purpose: fsync of the directory after a create or delete (the board's
// LittleFS commits its metadata itself; on the host a crash right after creating a file
// may lose the empty entry, which the queue's recovery treats like an unwritten file).

using System;
using System.Collections.Generic;
using System.IO;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>A flat directory of append-only files. Thread-safe (each open file is used by one thread).</summary>
    public sealed class HostFileStore : IFileStore
    {
        private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        private const UnixFileMode FileCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        private readonly string _directory;

        /// <summary>
        /// Opens the store in <paramref name="directory"/>. Read/write mode creates the
        /// directory; read-only mode never creates or changes anything (Open with create
        /// of a missing file, Delete and Append throw <see cref="StorageException"/>).
        /// </summary>
        /// <exception cref="StorageException">the directory cannot be created.</exception>
        public HostFileStore(string directory, bool readOnly)
        {
            _directory = Path.GetFullPath(directory);
            ReadOnly = readOnly;
            if (readOnly) return;
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(_directory);
                }
                else
                {
                    Directory.CreateDirectory(_directory, DirectoryMode);
                    File.SetUnixFileMode(_directory, DirectoryMode);   // an older directory made 0755
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot create store directory " + _directory + ": " + e.Message, e);
            }
        }

        /// <summary>The full path of the store's directory.</summary>
        public string DirectoryPath => _directory;

        /// <summary>True when nothing may be written (a reader beside a running gateway).</summary>
        public bool ReadOnly { get; }

        /// <summary>Size of the emulated medium, bytes, counting every file in the directory; 0 = the host disk's.</summary>
        public long MediumBytes { get; set; }

        /// <summary>Throws as a full disk does when <paramref name="more"/> bytes would take the directory past <see cref="MediumBytes"/>.</summary>
        internal void CheckRoom(string name, long more)
        {
            if (MediumBytes <= 0) return;
            long used = 0;
            foreach (string p in Directory.GetFiles(_directory)) used += new FileInfo(p).Length;
            if (used + more > MediumBytes)
            {
                throw new StorageException("cannot write " + name + ": no space left on the medium (" + used.ToString() + " of " + MediumBytes.ToString() + " bytes used)");
            }
        }

        // Pending-append buffers of closed files (HostStoredFile), kept for the next ones.
        private readonly Stack<byte[]> _spare = new Stack<byte[]>();
        private const int MaxSpare = 4;

        /// <summary>A buffer for a file's appends until its Sync: one a closed file gave back, or a new one.</summary>
        internal byte[] RentPending()
        {
            lock (_spare) return _spare.Count > 0 ? _spare.Pop() : new byte[4096];
        }

        /// <summary>Takes back a closed file's pending buffer (its contents are written or dropped).</summary>
        internal void ReturnPending(byte[] buffer)
        {
            lock (_spare) if (_spare.Count < MaxSpare) _spare.Push(buffer);
        }

        /// <exception cref="ArgumentException">the name is not a plain file name (a caller bug).</exception>
        public IStoredFile? Open(string name, bool create)
        {
            string path = PathOf(name);
            try
            {
                if (ReadOnly)
                {
                    if (!File.Exists(path))
                    {
                        if (create) throw new StorageException("store " + _directory + " is read-only: cannot create " + name);
                        return null;
                    }
                    var r = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                    return new HostStoredFile(name, r, writable: false);
                }
                // Unbuffered: one Append is one write to the OS, and a reader sees it at once.
                var options = new FileStreamOptions
                {
                    Mode = create ? FileMode.OpenOrCreate : FileMode.Open,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    BufferSize = 0,
                };
                if (!OperatingSystem.IsWindows() && create) options.UnixCreateMode = FileCreateMode;
                var w = new FileStream(path, options);
                return new HostStoredFile(name, w, writable: true, this);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException) when (!create || ReadOnly)
            {
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot open " + name + " in " + _directory + ": " + e.Message, e);
            }
        }

        /// <exception cref="ArgumentException">the name is not a plain file name (a caller bug).</exception>
        public void Delete(string name)
        {
            string path = PathOf(name);
            if (ReadOnly) throw new StorageException("store " + _directory + " is read-only: cannot delete " + name);
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot delete " + name + " in " + _directory + ": " + e.Message, e);
            }
        }

        public string[] List()
        {
            string[] paths;
            try
            {
                if (!Directory.Exists(_directory)) return new string[0];
                paths = Directory.GetFiles(_directory);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot list " + _directory + ": " + e.Message, e);
            }
            // Only names the store could have made: a stray editor backup or a subdirectory is not ours.
            int n = 0;
            var names = new string[paths.Length];
            foreach (string p in paths)
            {
                string name = Path.GetFileName(p);
                if (StoreFileName.IsPlain(name)) names[n++] = name;
            }
            Array.Resize(ref names, n);
            return names;
        }

        private string PathOf(string name)
        {
            if (!StoreFileName.IsPlain(name)) throw new ArgumentException("not a plain store file name: \"" + name + "\"", nameof(name));
            return Path.Combine(_directory, name);
        }
    }
}
