using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using Xunit;

namespace NanoMailGateway.Tests.Core.Simulation
{
    public sealed class FlashSimulatorTests
    {
        private static readonly byte[] Ten = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

        [Fact]
        public void Capacity_is_counted_in_whole_blocks_per_file()
        {
            var sim = new FlashSimulator(2 * 4096 + 100, 1);     // rounds down to 2 blocks
            Assert.Equal(8192, sim.Capacity);
            sim.Open("a", true)!.Append(Ten, 0, 1);
            sim.Open("b", true)!.Append(Ten, 0, 1);
            Assert.Equal(8192, sim.UsedBytes);
            var c = sim.Open("c", true)!;
            Assert.Throws<StorageException>(() => c.Append(Ten, 0, 1));
            Assert.Equal(0, c.Length);                          // a refused append changes nothing
            sim.Delete("a");
            c.Append(Ten, 0, 1);
            Assert.Equal(8192, sim.UsedBytes);
        }

        [Fact]
        public void Counts_appends_bytes_and_syncs()
        {
            var sim = new FlashSimulator(65536, 1);
            var f = sim.Open("x", true)!;
            f.Append(Ten, 0, 10);
            f.Append(Ten, 0, 4);
            f.Sync();
            Assert.Equal(2, sim.WriteCount);
            Assert.Equal(14, sim.BytesWritten);
            Assert.Equal(1, sim.SyncCount);
        }

        [Theory]
        [InlineData(CutMode.Clean)]
        [InlineData(CutMode.Torn)]
        [InlineData(CutMode.Garbage)]
        public void A_cut_tears_the_nth_append_as_asked(CutMode mode)
        {
            // KeepAll (an SD card: every Write synced) shows the tear itself.
            var sim = new FlashSimulator(65536, 7) { Loss = UnflushedLoss.KeepAll };
            var f = sim.Open("x", true)!;
            f.Append(Ten, 0, 10);
            f.Sync();
            sim.CutPowerAt(2, mode);
            f.Append(Ten, 0, 10);                               // 1st after arming: fine (unflushed)
            Assert.Throws<StorageException>(() => f.Append(Ten, 0, 10));
            Assert.True(sim.PoweredOff);
            Assert.Throws<StorageException>(() => sim.List());
            Assert.Throws<StorageException>(() => f.Read(0, new byte[1], 0, 1));
            sim.Reboot();
            Assert.Throws<StorageException>(() => f.Read(0, new byte[1], 0, 1));   // old handle is dead
            long len = sim.LengthOf("x");
            if (mode == CutMode.Clean) Assert.Equal(20, len);
            if (mode == CutMode.Torn) Assert.InRange(len, 21, 29);
            if (mode == CutMode.Garbage) Assert.Equal(30, len);
            byte[] back = new byte[20];
            Assert.Equal(20, sim.Open("x", false)!.Read(0, back, 0, 20));
            Assert.Equal(Ten, back[..10]);
            Assert.Equal(Ten, back[10..]);
        }

        [Fact]
        public void Unsynced_appends_may_be_lost_synced_ones_never()
        {
            var sim = new FlashSimulator(65536, 3) { Loss = UnflushedLoss.DropAll };
            var f = sim.Open("x", true)!;
            f.Append(Ten, 0, 10);
            f.Sync();
            f.Append(Ten, 0, 10);
            sim.CutPowerNow();
            sim.Reboot();
            Assert.Equal(10, sim.LengthOf("x"));

            sim.Loss = UnflushedLoss.RandomPrefix;
            var g = sim.Open("x", false)!;
            g.Append(Ten, 0, 10);
            sim.CutPowerNow();
            sim.Reboot();
            Assert.InRange(sim.LengthOf("x"), 10, 20);
        }

        [Theory]
        [InlineData(CutMode.Clean)]
        [InlineData(CutMode.Garbage)]
        public void By_default_a_cut_keeps_each_file_as_it_was_at_its_last_sync(CutMode mode)
        {
            // The board's rule on I: (LittleFS commits a file at close; the driver's Write
            // and Flush only fflush): whatever was appended since a Sync is gone, torn or not,
            // even when other files were synced or deleted after it.
            var sim = new FlashSimulator(65536, 5);
            Assert.Equal(UnflushedLoss.DropAll, sim.Loss);
            var a = sim.Open("a", true)!;
            var b = sim.Open("b", true)!;
            a.Append(Ten, 0, 10);
            a.Sync();
            a.Append(Ten, 0, 10);                               // never synced
            b.Append(Ten, 0, 3);
            b.Sync();
            sim.Open("c", true)!.Append(Ten, 0, 1);
            sim.Delete("c");
            sim.CutPowerAt(1, mode);
            Assert.Throws<StorageException>(() => b.Append(Ten, 0, 10));
            sim.Reboot();
            Assert.Equal(10, sim.LengthOf("a"));
            Assert.Equal(3, sim.LengthOf("b"));
            Assert.Equal(-1, sim.LengthOf("c"));
        }

        [Fact]
        public void Counts_what_littlefs_copy_on_write_costs_per_sync()
        {
            var sim = new FlashSimulator(65536, 1);
            var f = sim.Open("x", true)!;
            var unit = new byte[2048];
            f.Append(unit, 0, 2048);                            // starts block 1
            Assert.Equal(1, sim.BlocksErased);
            f.Append(unit, 0, 2048);                            // fills it
            f.Append(unit, 0, 100);                             // starts block 2
            Assert.Equal(2, sim.BlocksErased);
            Assert.Equal(0, sim.BytesCopied);
            f.Sync();
            f.Append(unit, 0, 10);                              // the partial block is copied to a fresh one
            Assert.Equal(3, sim.BlocksErased);
            Assert.Equal(100, sim.BytesCopied);
            f.Append(unit, 0, 10);                              // no sync between: no copy
            Assert.Equal(3, sim.BlocksErased);
            Assert.Equal(100, sim.BytesCopied);
            f.Sync();
            f.Sync();                                           // nothing appended between: one copy at the next append
            f.Append(unit, 0, 1);
            Assert.Equal(4, sim.BlocksErased);
            Assert.Equal(220, sim.BytesCopied);
        }

        [Fact]
        public void Create_and_delete_are_durable_at_once()
        {
            var sim = new FlashSimulator(65536, 3) { Loss = UnflushedLoss.DropAll };
            sim.Open("new", true);
            sim.Open("old", true)!.Append(Ten, 0, 1);
            sim.Delete("old");
            sim.CutPowerNow();
            sim.Reboot();
            Assert.Equal(new[] { "new" }, sim.List());
        }
    }
}
