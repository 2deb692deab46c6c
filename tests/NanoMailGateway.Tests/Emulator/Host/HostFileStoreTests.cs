// HostFileStore on a real temporary directory: append/read/flush/length/delete/list,
// reopening, name validation, a read-only store beside a writing one (nmg mailq), the
// modes that keep message bodies private (0700 directory, 0600 files) and the emulated
// medium size that another file can fill.

using System;
using System.IO;
using System.Linq;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public sealed class HostFileStoreTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nmg-store-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
        }

        private static byte[] Bytes(string s) => System.Text.Encoding.ASCII.GetBytes(s);

        private static string ReadAll(IStoredFile f)
        {
            var buf = new byte[f.Length];
            int got = 0;
            while (got < buf.Length)
            {
                int n = f.Read(got, buf, got, buf.Length - got);
                Assert.True(n > 0);
                got += n;
            }
            return System.Text.Encoding.ASCII.GetString(buf);
        }

        [Fact]
        public void AppendsAccumulateAndReadAtAnyOffset()
        {
            var store = new HostFileStore(_dir, readOnly: false);
            IStoredFile f = store.Open("q000001.seg", create: true)!;
            Assert.Equal(0, f.Length);
            f.Append(Bytes("xxHELLOyy"), 2, 5);
            f.Append(Bytes(" WORLD"), 0, 6);
            Assert.Equal(11, f.Length);
            var buf = new byte[8];
            Assert.Equal(5, f.Read(6, buf, 1, 7));
            Assert.Equal("WORLD", System.Text.Encoding.ASCII.GetString(buf, 1, 5));
            Assert.Equal(0, f.Read(11, buf, 0, 8));
            Assert.Equal(0, f.Read(100, buf, 0, 8));
            // A read does not move the append point.
            f.Append(Bytes("!"), 0, 1);
            Assert.Equal("HELLO WORLD!", ReadAll(f));
            f.Sync();
            f.Close();
            f.Close();
            Assert.Equal(12, new FileInfo(Path.Combine(_dir, "q000001.seg")).Length);
        }

        [Fact]
        public void AppendsReachTheFileOnlyAtSyncAsOnTheBoardsLittleFs()
        {
            var store = new HostFileStore(_dir, readOnly: false);
            IStoredFile f = store.Open("q000001.seg", create: true)!;
            string path = Path.Combine(_dir, "q000001.seg");
            f.Append(Bytes("synced|"), 0, 7);
            f.Sync();
            f.Append(Bytes("waiting"), 0, 7);
            // What a kill leaves: the synced bytes only; the writer itself reads both.
            Assert.Equal(7, new FileInfo(path).Length);
            Assert.Equal(14, f.Length);
            Assert.Equal("synced|waiting", ReadAll(f));
            var buf = new byte[8];
            Assert.Equal(2, f.Read(5, buf, 0, 8));              // a read stops at the synced end...
            Assert.Equal(5, f.Read(9, buf, 0, 8));              // ...and goes on from what waits
            Assert.Equal("iting", System.Text.Encoding.ASCII.GetString(buf, 0, 5));
            f.Sync();
            Assert.Equal("synced|waiting", File.ReadAllText(path));
            f.Append(Bytes("+closed"), 0, 7);
            f.Close();                                          // close writes what waits (LittleFS commits at close)
            Assert.Equal("synced|waiting+closed", File.ReadAllText(path));
        }

        [Fact]
        public void ReopenAfterCloseSeesTheData()
        {
            var store = new HostFileStore(_dir, readOnly: false);
            IStoredFile f = store.Open("mbox.postmaster", create: true)!;
            f.Append(Bytes("one\r\n"), 0, 5);
            f.Sync();
            f.Close();
            IStoredFile again = new HostFileStore(_dir, readOnly: false).Open("mbox.postmaster", create: false)!;
            Assert.Equal("one\r\n", ReadAll(again));
            again.Append(Bytes("two\r\n"), 0, 5);
            Assert.Equal("one\r\ntwo\r\n", ReadAll(again));
            again.Close();
            // create on an existing file keeps its content.
            IStoredFile third = store.Open("mbox.postmaster", create: true)!;
            Assert.Equal(10, third.Length);
            third.Close();
        }

        [Fact]
        public void MissingFileWithoutCreateIsNull()
        {
            var store = new HostFileStore(_dir, readOnly: false);
            Assert.Null(store.Open("nothing.here", create: false));
            Assert.Empty(store.List());
        }

        [Fact]
        public void DeleteAndListSeeOnlyPlainFiles()
        {
            var store = new HostFileStore(_dir, readOnly: false);
            foreach (string name in new[] { "a.seg", "b.seg", "c_1-x" }) store.Open(name, true)!.Close();
            Directory.CreateDirectory(Path.Combine(_dir, "subdir"));
            File.WriteAllText(Path.Combine(_dir, "not ours~"), "x");
            Assert.Equal(new[] { "a.seg", "b.seg", "c_1-x" }, store.List().OrderBy(n => n, StringComparer.Ordinal).ToArray());
            store.Delete("b.seg");
            store.Delete("b.seg"); // missing: nothing happens
            Assert.Equal(new[] { "a.seg", "c_1-x" }, store.List().OrderBy(n => n, StringComparer.Ordinal).ToArray());
            Assert.Null(store.Open("b.seg", false));
        }

        [Fact]
        public void DeleteWhileOpenWorks()
        {
            var store = new HostFileStore(_dir, readOnly: false);
            IStoredFile f = store.Open("busy", true)!;
            f.Append(Bytes("x"), 0, 1);
            store.Delete("busy");
            Assert.DoesNotContain("busy", store.List());
            f.Close();
        }

        [Theory]
        [InlineData("")]
        [InlineData(".")]
        [InlineData("..")]
        [InlineData("../etc/passwd")]
        [InlineData("..x")]
        [InlineData(".hidden")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData("/abs")]
        [InlineData("sp ace")]
        [InlineData("nul\0")]
        [InlineData("ümlaut")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
        public void BadNamesAreRejected(string name)
        {
            var store = new HostFileStore(_dir, readOnly: false);
            Assert.False(StoreFileName.IsPlain(name));
            Assert.Throws<ArgumentException>(() => store.Open(name, true));
            Assert.Throws<ArgumentException>(() => store.Delete(name));
            Assert.Empty(Directory.GetFileSystemEntries(_dir));
        }

        [Theory]
        [InlineData("q000012.seg")]
        [InlineData("a")]
        [InlineData("1234567890123456789012345678901234567890123456789012345678901234")]
        public void PlainNamesAreAccepted(string name)
        {
            Assert.True(StoreFileName.IsPlain(name));
            var store = new HostFileStore(_dir, readOnly: false);
            store.Open(name, true)!.Close();
            Assert.Equal(new[] { name }, store.List());
        }

        [Fact]
        public void ReadOnlyStoreReadsBesideAWriterAndNeverWrites()
        {
            var writer = new HostFileStore(_dir, readOnly: false);
            IStoredFile w = writer.Open("q000001.seg", true)!;
            w.Append(Bytes("first"), 0, 5);
            w.Sync();

            var reader = new HostFileStore(_dir, readOnly: true);
            Assert.True(reader.ReadOnly);
            IStoredFile r = reader.Open("q000001.seg", create: false)!;
            Assert.Equal("first", ReadAll(r));
            // The writer keeps appending while the reader has the file open; the reader sees
            // what was synced (the board's rule: appends reach the file at Sync).
            w.Append(Bytes("+more"), 0, 5);
            Assert.Equal(5, r.Length);
            w.Sync();
            Assert.Equal(10, r.Length);
            Assert.Equal("first+more", ReadAll(r));

            Assert.Throws<StorageException>(() => r.Append(Bytes("x"), 0, 1));
            r.Sync(); // nothing to make durable; must not throw
            Assert.Throws<StorageException>(() => reader.Open("new.seg", create: true));
            Assert.Throws<StorageException>(() => reader.Delete("q000001.seg"));
            Assert.Null(reader.Open("new.seg", create: false));
            Assert.Equal(new[] { "q000001.seg" }, reader.List());
            Assert.Equal(10, new FileInfo(Path.Combine(_dir, "q000001.seg")).Length);
            r.Close();
            w.Close();
        }

        [Fact]
        public void ReadOnlyStoreOnAMissingDirectoryIsEmptyAndCreatesNothing()
        {
            var reader = new HostFileStore(_dir, readOnly: true);
            Assert.Empty(reader.List());
            Assert.Null(reader.Open("q000001.seg", false));
            Assert.False(Directory.Exists(_dir));
        }

        [Fact]
        public void ReadWriteStoreCreatesItsDirectory()
        {
            string nested = Path.Combine(_dir, "data", "queue");
            var store = new HostFileStore(nested, readOnly: false);
            Assert.True(Directory.Exists(nested));
            Assert.Equal(Path.GetFullPath(nested), store.DirectoryPath);
        }

        [Fact]
        public void UnusableDirectoryIsAStorageException()
        {
            Directory.CreateDirectory(_dir);
            string file = Path.Combine(_dir, "plainfile");
            File.WriteAllText(file, "x");
            // A directory cannot be made below a regular file.
            Assert.Throws<StorageException>(() => new HostFileStore(Path.Combine(file, "sub"), readOnly: false));
        }

        [Fact]
        public void TheDirectoryIs0700AndNewFilesAre0600()
        {
            if (OperatingSystem.IsWindows()) return;   // no Unix modes to check there
            Directory.CreateDirectory(_dir);
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);   // 0755, as an older gateway left it
            var store = new HostFileStore(_dir, readOnly: false);
            IStoredFile f = store.Open("q00000001.seg", create: true)!;
            f.Append(Bytes("mail"), 0, 4);
            f.Sync();
            f.Close();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "q00000001.seg")));
        }

        [Fact]
        public void AFullMediumRefusesTheWriteUntilAnotherFileIsDeleted()
        {
            var store = new HostFileStore(_dir, readOnly: false) { MediumBytes = 10000 };
            File.WriteAllBytes(Path.Combine(_dir, "wifi.cfg"), new byte[9000]);   // the drive is shared, as I: is
            IStoredFile f = store.Open("q00000001.seg", create: true)!;
            f.Append(new byte[2000], 0, 2000);
            var e = Assert.Throws<StorageException>(() => f.Sync());
            Assert.Contains("no space left on the medium", e.Message);
            Assert.Equal(0, new FileInfo(Path.Combine(_dir, "q00000001.seg")).Length);   // nothing half-written
            f.Close();
            File.Delete(Path.Combine(_dir, "wifi.cfg"));
            IStoredFile g = store.Open("q00000001.seg", create: false)!;
            g.Append(new byte[2000], 0, 2000);
            g.Sync();
            Assert.Equal(2000, g.Length);
            g.Close();
        }
    }
}
