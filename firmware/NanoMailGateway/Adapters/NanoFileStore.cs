// IFileStore on a folder of the board's file system: LittleFS on the internal flash
// (I:\nmg; SD cards are not mounted yet, README, Configuration files on I:). Shared board/host
// source: only FileStream, File and Directory members that nanoFramework's
// System.IO.FileSystem and .NET both have are used, so the host tests run it on a temp dir.
// Names follow StoreFileName, the one rule the host store shares: a name can never leave
// the folder, and LittleFS' name limit is never near.
// Durability: IStoredFile.Sync closes and reopens the file (NanoStoredFile), because the
// board's LittleFS commits a file at close and nanoFramework offers no fsync.
// Left out on purpose: free-space queries (GetSizeInfo returns -1 on ESP32: the queue
// counts its own bytes), fsync (nanoFramework has none; on the host close reaches the OS
// only, which is why the emulator keeps its own HostFileStore with fsync), rename
// (File.Move cannot replace on the board).

using System;
using System.IO;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>A flat folder of append-only files. Thread-safe (each open file is used by one thread).</summary>
    public sealed class NanoFileStore : IFileStore
    {
        private readonly string _directory;
        private readonly string _separator;

        /// <summary>
        /// Opens (and creates when missing) the folder <paramref name="directory"/>:
        /// "I:\nmg" on the board, any host path in tests. The path separator is the one the
        /// path itself uses ('\' when it contains one, '/' otherwise).
        /// </summary>
        /// <exception cref="StorageException">the folder cannot be created.</exception>
        public NanoFileStore(string directory)
        {
            _separator = directory.IndexOf('\\') >= 0 ? "\\" : "/";
            while (directory.Length > 1 && directory.EndsWith(_separator)) directory = directory.Substring(0, directory.Length - 1);
            _directory = directory;
            try
            {
                if (!Directory.Exists(_directory)) Directory.CreateDirectory(_directory);
            }
            catch (Exception e)
            {
                throw Wrap("cannot create store folder " + _directory, e);
            }
        }

        /// <summary>The store's folder as given (without a trailing separator).</summary>
        public string DirectoryPath => _directory;

        /// <exception cref="ArgumentException">the name is not a plain file name (a caller bug).</exception>
        public IStoredFile? Open(string name, bool create)
        {
            string path = PathOf(name);
            try
            {
                if (!File.Exists(path) && !create) return null;
                return new NanoStoredFile(name, path, OpenStream(path, create));
            }
            catch (Exception e)
            {
                throw Wrap("cannot open " + name + " in " + _directory, e);
            }
        }

        /// <exception cref="ArgumentException">the name is not a plain file name (a caller bug).</exception>
        public void Delete(string name)
        {
            string path = PathOf(name);
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception e)
            {
                throw Wrap("cannot delete " + name + " in " + _directory, e);
            }
        }

        public string[] List()
        {
            string[] paths;
            try
            {
                if (!Directory.Exists(_directory)) return StringArray.New(0);
                paths = Directory.GetFiles(_directory);
            }
            catch (Exception e)
            {
                throw Wrap("cannot list " + _directory, e);
            }
            // Only names the store could have made: a stray file copied onto the card is not ours.
            int n = 0;
            string[] names = StringArray.New(paths.Length);
            for (int i = 0; i < paths.Length; i++)
            {
                string name = NameOf(paths[i]);
                if (StoreFileName.IsPlain(name)) names[n++] = name;
            }
            if (n == names.Length) return names;
            string[] trimmed = StringArray.New(n);
            Array.Copy(names, trimmed, n);
            return trimmed;
        }

        /// <summary>Opens <paramref name="path"/> for reading and appending (creating it when asked).</summary>
        internal static FileStream OpenStream(string path, bool create)
        {
            // (path, mode, access) is the constructor both runtimes have; its sharing (read by
            // others) is the default on both.
            return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite);
        }

        private string PathOf(string name)
        {
            if (!StoreFileName.IsPlain(name)) throw new ArgumentException("not a plain store file name: " + name);
            return _directory + _separator + name;
        }

        /// <summary>The last path segment, whichever separator the file system returned.</summary>
        private static string NameOf(string path)
        {
            int cut = path.LastIndexOf('/');
            int back = path.LastIndexOf('\\');
            if (back > cut) cut = back;
            return path.Substring(cut + 1);
        }

        /// <summary>Every failure of the medium becomes a StorageException; a caller bug
        /// (ArgumentException) stays what it is. nanoFramework has no exception filters worth
        /// trusting (ARCHITECTURE.md, Platform facts), hence the test inside the handler.</summary>
        internal static Exception Wrap(string what, Exception e)
        {
            if (e is ArgumentException || e is StorageException) return e;
            return new StorageException(what + ": " + e.Message, e);
        }
    }
}
