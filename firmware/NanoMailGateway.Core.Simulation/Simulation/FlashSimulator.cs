// An in-memory IFileStore that behaves like a small LittleFS partition with the power
// switch in the test's hand (ARCHITECTURE.md, Flash format and Tests). It is in Core, not in the
// tests, so that the on-device self-test can run the same power-loss script.
//  - Capacity is counted like LittleFS allocates: whole 4 KiB blocks per file. An append
//    that would need a block beyond the capacity throws StorageException and changes
//    nothing.
//  - It counts appends (one Append = one write to the medium, as the ESP32 driver
//    flushes on every Write), bytes appended and syncs, and what the syncs cost on
//    LittleFS: the first append after a Sync copies the file's partial last block into a
//    freshly erased one (copy-on-write), and every block an append starts is erased.
//  - CutPowerAt(n, mode) cuts the power during the n-th append from now: Clean (that
//    append never reaches the medium), Torn (a prefix of it does) or Garbage (a prefix,
//    then random bytes up to the full length). What survives of appends made since a
//    file's last Sync is the UnflushedLoss policy: by default none (DropAll), the board's
//    rule on I: (LittleFS commits a file's data at close or sync; the driver's Write and
//    Flush only fflush); RandomPrefix is the host (page cache, fsync) and KeepAll an SD
//    card (the FAT driver syncs on every Write). Synced bytes always survive; create and
//    delete are durable when they return (LittleFS commits its metadata at once). After a
//    cut every call throws until Reboot(), which yields the durable state and invalidates
//    every handle opened before.
// Left out on purpose: bit rot, wear, metadata compaction, read errors.

using System;
using System.Collections;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Simulation
{
    /// <summary>How a power cut tears the append it interrupts.</summary>
    public enum CutMode
    {
        /// <summary>The interrupted append never reaches the medium.</summary>
        Clean = 0,

        /// <summary>A prefix of the interrupted append reaches the medium.</summary>
        Torn = 1,

        /// <summary>A prefix reaches the medium and the rest of its length is garbage.</summary>
        Garbage = 2,
    }

    /// <summary>What a power cut does to appends made since a file's last Sync.</summary>
    public enum UnflushedLoss
    {
        /// <summary>They all survive (an SD card: the FAT driver syncs on every Write).</summary>
        KeepAll = 0,

        /// <summary>A random prefix of each file's unsynced bytes survives (the host's page cache).</summary>
        RandomPrefix = 1,

        /// <summary>They are all lost (the board's LittleFS on I:, the default).</summary>
        DropAll = 2,
    }

    /// <summary>In-memory flash with capacity, counters and power cuts. Thread-safe (one lock).</summary>
    public sealed class FlashSimulator : IFileStore
    {
        /// <summary>LittleFS block size on the ESP32 partitions, bytes.</summary>
        public const int BlockSize = 4096;

        private readonly object _gate = new object();
        private readonly ArrayList _files = new ArrayList();   // of SimulatedFile.Content
        private readonly long _capacity;
        private readonly Random _random;
        private int _generation;
        private bool _poweredOff;
        private long _cutCountdown;       // appends left before the cut; 0 = no cut armed
        private CutMode _cutMode;
        private UnflushedLoss _loss = UnflushedLoss.DropAll;

        /// <summary>Creates an empty store of <paramref name="capacityBytes"/> (rounded down to whole blocks).</summary>
        /// <param name="capacityBytes">Size of the partition share, bytes.</param>
        /// <param name="seed">Seed for torn lengths, garbage and unflushed prefixes (repeatable runs).</param>
        public FlashSimulator(long capacityBytes, int seed)
        {
            _capacity = capacityBytes / BlockSize * BlockSize;
            _random = new Random(seed);
        }

        /// <summary>Capacity in bytes, whole blocks.</summary>
        public long Capacity => _capacity;

        /// <summary>Appends so far (each is one write to the medium).</summary>
        public long WriteCount { get; private set; }

        /// <summary>Bytes appended so far.</summary>
        public long BytesWritten { get; private set; }

        /// <summary>How long each Sync takes, ms, as a LittleFS close does (0: at once). A field: the fakes' knobs are.</summary>
        public int SyncDelayMs;

        /// <summary>Sync calls so far (on LittleFS each is a close: one metadata commit).</summary>
        public long SyncCount { get; private set; }

        /// <summary>Blocks LittleFS would have erased for the appends so far: one per block an
        /// append starts, one more for the first append after a Sync into a partial block.</summary>
        public long BlocksErased { get; private set; }

        /// <summary>Bytes LittleFS would have copied: the partial last block, at the first append after a Sync.</summary>
        public long BytesCopied { get; private set; }

        /// <summary>Bytes the simulator itself allocated to hold file contents (benchmarks subtract it).</summary>
        public long AllocatedBytes { get; private set; }

        /// <summary>True between a power cut and <see cref="Reboot"/>.</summary>
        public bool PoweredOff
        {
            get { lock (_gate) { return _poweredOff; } }
        }

        /// <summary>Bytes in use, counted in whole blocks per file.</summary>
        public long UsedBytes
        {
            get { lock (_gate) { return UsedBlocksLocked() * BlockSize; } }
        }

        /// <summary>What happens to appends made since a file's last Sync at the next cut (default DropAll, the board's rule).</summary>
        public UnflushedLoss Loss
        {
            get { lock (_gate) { return _loss; } }
            set { lock (_gate) { _loss = value; } }
        }

        /// <summary>Arms a power cut during the <paramref name="appendIndex"/>-th append from now (1 = the next one).</summary>
        public void CutPowerAt(long appendIndex, CutMode mode)
        {
            if (appendIndex < 1) throw new ArgumentOutOfRangeException("appendIndex");
            lock (_gate)
            {
                _cutCountdown = appendIndex;
                _cutMode = mode;
            }
        }

        /// <summary>Cuts the power now (between appends).</summary>
        public void CutPowerNow()
        {
            lock (_gate) { PowerOffLocked(); }
        }

        /// <summary>Turns the power back on: the durable state remains and old handles are dead.</summary>
        public void Reboot()
        {
            lock (_gate)
            {
                if (!_poweredOff) PowerOffLocked();
                _poweredOff = false;
                _cutCountdown = 0;
            }
        }

        /// <summary>Length of a file in bytes, or -1 when it does not exist (for tests).</summary>
        public long LengthOf(string name)
        {
            lock (_gate)
            {
                SimulatedFile.Content? c = FindLocked(name);
                return c == null ? -1 : c.Length;
            }
        }

        /// <inheritdoc/>
        public IStoredFile? Open(string name, bool create)
        {
            lock (_gate)
            {
                CheckPowerLocked();
                SimulatedFile.Content? c = FindLocked(name);
                if (c == null)
                {
                    if (!create) return null;
                    c = new SimulatedFile.Content(name);
                    _files.Add(c);
                }
                return new SimulatedFile(this, c, _generation);
            }
        }

        /// <inheritdoc/>
        public void Delete(string name)
        {
            lock (_gate)
            {
                CheckPowerLocked();
                SimulatedFile.Content? c = FindLocked(name);
                if (c != null)
                {
                    c.Deleted = true;
                    _files.Remove(c);
                }
            }
        }

        /// <inheritdoc/>
        public string[] List()
        {
            lock (_gate)
            {
                CheckPowerLocked();
                string[] names = Core.Text.StringArray.New(_files.Count);
                for (int i = 0; i < names.Length; i++) names[i] = ((SimulatedFile.Content)_files[i]!).Name;
                return names;
            }
        }

        internal int Read(SimulatedFile.Content c, int generation, long position, byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                CheckHandleLocked(c, generation);
                if (position >= c.Length || count <= 0) return 0;
                return c.Read(position, buffer, offset, count);
            }
        }

        internal long LengthOf(SimulatedFile.Content c, int generation)
        {
            lock (_gate)
            {
                CheckHandleLocked(c, generation);
                return c.Length;
            }
        }

        internal void Append(SimulatedFile.Content c, int generation, byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                CheckHandleLocked(c, generation);
                if (count <= 0) return;
                long blocksBefore = Blocks(c.Length);
                long blocksAfter = Blocks(c.Length + count);
                if ((UsedBlocksLocked() - blocksBefore + blocksAfter) * BlockSize > _capacity)
                {
                    throw new StorageException("no space left on the simulated flash");
                }
                CountBlocksLocked(c, count);
                if (_cutCountdown > 0 && --_cutCountdown == 0)
                {
                    int kept = 0;
                    if (_cutMode != CutMode.Clean) kept = count <= 1 ? 0 : 1 + _random.Next(count - 1);
                    int total = _cutMode == CutMode.Garbage ? count : kept;
                    AllocatedBytes += c.Write(buffer, offset, kept);
                    if (total > kept)
                    {
                        byte[] junk = new byte[total - kept];
                        _random.NextBytes(junk);
                        AllocatedBytes += c.Write(junk, 0, junk.Length);
                    }
                    WriteCount++;
                    BytesWritten += total;
                    PowerOffLocked();
                    throw new StorageException("power cut (simulated)");
                }
                AllocatedBytes += c.Write(buffer, offset, count);
                WriteCount++;
                BytesWritten += count;
            }
        }

        internal void Sync(SimulatedFile.Content c, int generation)
        {
            // Outside the lock: other files go on meanwhile, as on the board.
            if (SyncDelayMs > 0) System.Threading.Thread.Sleep(SyncDelayMs);
            lock (_gate)
            {
                CheckHandleLocked(c, generation);
                c.DurableLength = c.Length;
                SyncCount++;
            }
        }

        internal void CheckHandle(SimulatedFile.Content c, int generation)
        {
            lock (_gate) { CheckHandleLocked(c, generation); }
        }

        /// <summary>LittleFS copy-on-write: a file synced with a partial last block gets that block
        /// copied to a fresh one at its next append; every further block is erased when started.</summary>
        private void CountBlocksLocked(SimulatedFile.Content c, int count)
        {
            long partial = c.Length % BlockSize;
            if (c.Length == c.DurableLength && partial != 0)
            {
                BlocksErased++;
                BytesCopied += partial;
            }
            BlocksErased += Blocks(c.Length + count) - Blocks(c.Length);
        }

        private void PowerOffLocked()
        {
            if (_poweredOff) return;
            _poweredOff = true;
            _generation++;
            for (int i = 0; i < _files.Count; i++)
            {
                SimulatedFile.Content c = (SimulatedFile.Content)_files[i]!;
                long unflushed = c.Length - c.DurableLength;
                long keep = unflushed;
                if (_loss == UnflushedLoss.DropAll) keep = 0;
                else if (_loss == UnflushedLoss.RandomPrefix) keep = unflushed == 0 ? 0 : _random.Next((int)unflushed + 1);
                c.Truncate(c.DurableLength + keep);
                c.DurableLength = c.Length;
            }
        }

        private void CheckPowerLocked()
        {
            if (_poweredOff) throw new StorageException("power is off (simulated)");
        }

        private void CheckHandleLocked(SimulatedFile.Content c, int generation)
        {
            CheckPowerLocked();
            if (generation != _generation) throw new StorageException("stale handle after reboot (simulated)");
            if (c.Deleted) throw new StorageException("file was deleted: " + c.Name);
        }

        private SimulatedFile.Content? FindLocked(string name)
        {
            for (int i = 0; i < _files.Count; i++)
            {
                SimulatedFile.Content c = (SimulatedFile.Content)_files[i]!;
                if (c.Name == name) return c;
            }
            return null;
        }

        private long UsedBlocksLocked()
        {
            long blocks = 0;
            for (int i = 0; i < _files.Count; i++) blocks += Blocks(((SimulatedFile.Content)_files[i]!).Length);
            return blocks;
        }

        private static long Blocks(long length)
        {
            return (length + BlockSize - 1) / BlockSize;
        }
    }
}
