using System.IO;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Emulator.Gateway;
using Xunit;

namespace NanoMailGateway.Tests.Core.Config
{
    public class BoardProfileTests
    {
        [Theory]
        [InlineData("esp32-wroom-32", 90 * 1024, 192 * 1024, 16, false)]
        [InlineData("esp32-wrover", 3 * 1024 * 1024, 1536 * 1024, 16, true)]
        [InlineData("esp32-s3", 6 * 1024 * 1024, 1536 * 1024, 16, true)]
        [InlineData("esp32-c3", 54 * 1024, 192 * 1024, 8, false)]
        public void EveryShippedBoardParsesAndValidates(string board, int heap, int storage, int sockets, bool tls)
        {
            LoadResult r = ConfigLoader.Load(board, null);
            Assert.True(r.Config != null, r.Error);
            BoardProfile b = r.Config!.Board;
            Assert.Equal(board, b.Name);
            Assert.Equal(heap, b.HeapBytes);
            Assert.Equal(storage, b.StorageCapacity);
            Assert.Equal(sockets, b.MaxSockets);
            Assert.Equal(tls, b.TlsServer);
            // The budget rules hold with margin: the pool is at most a quarter of the heap.
            Assert.True(b.PoolBytes * 4 <= b.HeapBytes);
            Assert.True(r.Config.MessageSizeLimit <= b.StorageCapacity);
        }

        [Fact]
        public void TheBoardsFolderHoldsExactlyTheFourBoards()
        {
            Assert.Equal(new[] { "esp32-c3", "esp32-s3", "esp32-wroom-32", "esp32-wrover" }, ConfigLoader.KnownBoards());
        }

        [Fact]
        public void EmbeddedDefaultBoardIsTheShippedFile()
        {
            byte[] embedded = ConfigLoader.Embedded("boards/esp32-wroom-32.conf")!;
            Assert.Equal(File.ReadAllBytes(Path.Combine(ConfigLoader.BoardsDirectory, "esp32-wroom-32.conf")), embedded);
        }

        [Fact]
        public void LayersOverrideInOrder()
        {
            var c = new GatewayConfig();
            Assert.Equal(10240000, c.MessageSizeLimit);                 // Core default
            Assert.Equal(100, c.MaxRecipients);
            Assert.Null(ConfigParser.Parse("message_size_limit = 64K\nmax_recipients = 50\nsmtp_sessions = 3", "boards/b.conf", c, true));
            Assert.Equal(65536, c.MessageSizeLimit);                     // board overrides default
            Assert.Null(ConfigParser.Parse("message_size_limit = 32K\nsmtp_sessions = 2", "main.cf", c, false));
            Assert.Equal(32768, c.MessageSizeLimit);                     // config overrides board
            Assert.Equal(2, c.Board.SmtpSessions);
            Assert.Equal(50, c.MaxRecipients);                           // board value kept where the config is silent
            Assert.Equal(1800, c.RetryMinSeconds);                       // default kept where both are silent
        }

        [Fact]
        public void ValidationErrorNamesTheLayerThatSetTheKey()
        {
            string dir = Directory.CreateTempSubdirectory("nmg-board-").FullName;
            try
            {
                string cfg = Path.Combine(dir, "main.cf");
                File.WriteAllText(cfg, "# c3 cannot keep this\nhostname = gw.example\nmessage_size_limit = 1M\n");
                LoadResult r = ConfigLoader.Load("esp32-c3", cfg);
                Assert.Null(r.Config);
                Assert.Equal(78, r.ExitCode);
                Assert.Equal(cfg + ":3: message_size_limit: 1048576 exceeds storage_capacity 196608 of board esp32-c3", r.Error);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void BoardFromAPath()
        {
            string dir = Directory.CreateTempSubdirectory("nmg-board-").FullName;
            try
            {
                string path = Path.Combine(dir, "my-board.conf");
                File.WriteAllText(path, "heap_bytes = 200K\nmessage_size_limit = 16K\n");
                LoadResult r = ConfigLoader.Load(path, null);
                Assert.True(r.Config != null, r.Error);
                Assert.Equal("my-board", r.Config!.Board.Name);
                Assert.Equal(200 * 1024, r.Config.Board.HeapBytes);
                File.WriteAllText(path, "heap_bytes = 200X\n");
                Assert.Equal(path + ":1: heap_bytes: bad size '200X'", ConfigLoader.Load(path, null).Error);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Theory]
        [InlineData("nosuch")]
        [InlineData("../esp32-c3")]
        public void UnknownBoardIsAUsageError(string board)
        {
            LoadResult r = ConfigLoader.Load(board, null);
            Assert.Null(r.Config);
            Assert.Equal(64, r.ExitCode);
        }
    }
}
