// The board's file store (firmware/NanoMailGateway/Adapters/NanoFileStore.cs, the same
// source the board runs on I:) on a temp directory: create, append, positional reads,
// length, reopen, listing, deletion, name rules.

using System;
using System.IO;
using System.Linq;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;
using Xunit;

namespace NanoMailGateway.Tests.Board.Adapters
{
    public sealed class NanoFileStoreTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nmg-board-store-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
        }

        private static byte[] Bytes(string s) => System.Text.Encoding.ASCII.GetBytes(s);

        [Fact]
        public void CreatesItsFolderAndStartsEmpty()
        {
            var store = new NanoFileStore(_dir + "/");
            Assert.True(Directory.Exists(_dir));
            Assert.Equal(_dir, store.DirectoryPath);
            Assert.Empty(store.List());
            Assert.Null(store.Open("q000001.seg", create: false));
        }

        [Fact]
        public void AppendsReadAtAnyPositionAndSurviveReopen()
        {
            var store = new NanoFileStore(_dir);
            IStoredFile f = store.Open("q000001.seg", create: true)!;
            Assert.Equal(0, f.Length);
            f.Append(Bytes("xxhello "), 2, 6);
            f.Append(Bytes("world"), 0, 5);
            Assert.Equal(11, f.Length);
            var buf = new byte[16];
            Assert.Equal(5, f.Read(6, buf, 1, 5));
            Assert.Equal("world", System.Text.Encoding.ASCII.GetString(buf, 1, 5));
            // A read does not move the append point.
            f.Append(Bytes("!"), 0, 1);
            Assert.Equal(12, f.Length);
            Assert.Equal(0, f.Read(12, buf, 0, 4));
            f.Sync();
            f.Close();
            f.Close(); // twice is fine

            IStoredFile again = store.Open("q000001.seg", create: false)!;
            Assert.Equal(12, again.Length);
            Assert.Equal(12, again.Read(0, buf, 0, 16));
            Assert.Equal("hello world!", System.Text.Encoding.ASCII.GetString(buf, 0, 12));
            again.Append(Bytes("?"), 0, 1);
            again.Close();
            Assert.Equal("hello world!?", File.ReadAllText(Path.Combine(_dir, "q000001.seg")));
        }

        [Fact]
        public void SyncClosesTheFileAndOpensItAgainByPath()
        {
            // On the board's LittleFS only a close commits a file's new data, so Sync must
            // really close the stream. Seen from outside: the file is moved away and another
            // put at its path between the append and the Sync; after Sync the handle is on
            // the new file (a reopen by path), and the moved one holds the append (a close).
            var store = new NanoFileStore(_dir);
            IStoredFile f = store.Open("q000001.seg", create: true)!;
            f.Append(Bytes("appended"), 0, 8);
            string path = Path.Combine(_dir, "q000001.seg");
            string moved = Path.Combine(_dir, "moved.seg");
            File.Move(path, moved);
            File.WriteAllText(path, "new");
            Assert.Equal(8, f.Length);                     // still the old file
            f.Sync();
            Assert.Equal(1, ((NanoStoredFile)f).Reopens);
            Assert.Equal(3, f.Length);                     // the file now at the path
            Assert.Equal("appended", File.ReadAllText(moved));
            f.Append(Bytes("+more"), 0, 5);                // appends go on at the end
            f.Sync();
            f.Close();
            Assert.Equal("new+more", File.ReadAllText(path));
        }

        [Fact]
        public void AFailedReopenFailsTheSyncAndEveryCallAfter()
        {
            var store = new NanoFileStore(_dir);
            IStoredFile f = store.Open("q000001.seg", create: true)!;
            f.Append(Bytes("x"), 0, 1);
            File.Delete(Path.Combine(_dir, "q000001.seg"));  // reopen finds nothing
            Assert.Throws<StorageException>(() => f.Sync());
            Assert.Throws<StorageException>(() => f.Append(Bytes("y"), 0, 1));
            f.Close();
        }

        [Fact]
        public void ListsOnlyPlainNamesAndDeletes()
        {
            var store = new NanoFileStore(_dir);
            store.Open("a.seg", true)!.Close();
            store.Open("mbox-postmaster", true)!.Close();
            File.WriteAllText(Path.Combine(_dir, "stray file~"), "x"); // not a name the store makes
            Assert.Equal(new[] { "a.seg", "mbox-postmaster" }, store.List().OrderBy(n => n, StringComparer.Ordinal).ToArray());
            store.Delete("a.seg");
            store.Delete("a.seg"); // missing is fine
            Assert.Equal(new[] { "mbox-postmaster" }, store.List());
            Assert.Null(store.Open("a.seg", false));
        }

        [Theory]
        [InlineData("../escape")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData(".hidden")]
        [InlineData("")]
        [InlineData("sp ace")]
        public void RefusesNamesThatAreNotPlain(string name)
        {
            var store = new NanoFileStore(_dir);
            Assert.Throws<ArgumentException>(() => store.Open(name, true));
            Assert.Throws<ArgumentException>(() => store.Delete(name));
        }

        [Fact]
        public void AFolderThatCannotBeCreatedIsAStorageException()
        {
            File.WriteAllText(_dir, "a file where the folder should be");
            try
            {
                Assert.Throws<StorageException>(() => new NanoFileStore(Path.Combine(_dir, "sub")));
            }
            finally
            {
                File.Delete(_dir);
            }
        }

        [Fact]
        public void UsingAClosedFileIsAStorageException()
        {
            var store = new NanoFileStore(_dir);
            IStoredFile f = store.Open("x", true)!;
            f.Close();
            Assert.Throws<StorageException>(() => f.Append(Bytes("a"), 0, 1));
            Assert.Throws<StorageException>(() => f.Read(0, new byte[1], 0, 1));
        }
    }
}
