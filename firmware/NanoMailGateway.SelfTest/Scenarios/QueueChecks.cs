// Scenario: the flash queue (Core/Queue) on the FlashSimulator, the storage simulator
// that can cut the power during any write (ARCHITECTURE.md, Flash format):
// - write, commit, recover: after a reboot the message is there byte for byte with its
//   envelope, and an aborted message is not;
// - the queue refuses a message it cannot hold (452 4.3.1 at the listener);
// - a power cut during a few chosen writes of a small workload (two messages committed,
//   one delivered and removed), each as a clean cut, a torn write and a garbage tail:
//   after recovery every acknowledged message is there intact, nothing torn is visible,
//   and the store takes a new message again.
// - CRC-32 is the standard one (its table, its check value).
// Cut points are chosen (first, second, middle, last two writes) rather than all of
// them: the host's xunit power-loss test cuts at every write; the board checks the same
// code paths in seconds.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Flash queue checks.</summary>
    public static class QueueChecks
    {
        private const int Capacity = 40 * 1024;
        private const int SizeA = 600;
        private const int SizeB = 900;

        // Scratch for writing and comparing message bytes, made per use: a static buffer
        // would be heap from boot on nanoCLR (ARCHITECTURE.md, Memory).
        private const int ChunkSize = 128;

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("queue.crc32-check-value", new Check(Crc32CheckValue));
            r.Run("queue.write-commit-recover", new Check(WriteCommitRecover));
            r.Run("queue.abort-invisible", new Check(AbortInvisible));
            r.Run("queue.refuses-when-full", new Check(RefusesWhenFull));
            r.Run("queue.power-cut-clean", new Check(PowerCutClean));
            r.Run("queue.power-cut-torn", new Check(PowerCutTorn));
            r.Run("queue.power-cut-garbage", new Check(PowerCutGarbage));
        }

        private static QueueOptions Options()
        {
            // 4 KiB segments, 256-byte write unit, the smallest reserve (2 segments + 3 blocks), 8 messages, 1 writer.
            return new QueueOptions(Capacity, 4096, 256, 20 * 1024, 8, 1);
        }

        private static Envelope NewEnvelope(string sender)
        {
            Envelope e = new Envelope(sender);
            e.AddRecipient(new EnvelopeRecipient("ops@example.net", false, DsnNotify.Unspecified, null));
            e.ClientAddress = "192.0.2.10";
            return e;
        }

        /// <summary>Octet <paramref name="i"/> of the test message with seed <paramref name="seed"/>.</summary>
        private static byte Octet(int seed, long i)
        {
            return (byte)((seed * 31 + i * 7) % 251);
        }

        /// <summary>Writes a message of <paramref name="size"/> pattern octets and commits it; returns its queue id.</summary>
        private static string Put(MessageStore store, string sender, int seed, int size)
        {
            IMessageWriter? w = store.BeginMessage(NewEnvelope(sender));
            if (w == null) Expect.Fail("queue refused a message it has room for");
            byte[] chunk = new byte[ChunkSize];
            for (int pos = 0; pos < size;)
            {
                int n = size - pos < chunk.Length ? size - pos : chunk.Length;
                for (int i = 0; i < n; i++) chunk[i] = Octet(seed, pos + i);
                if (!w!.Write(chunk, 0, n)) Expect.Fail("queue ran out of room while writing");
                pos += n;
            }
            w!.Commit();
            return w.QueueId;
        }

        /// <summary>True when the message is there with exactly the pattern octets.</summary>
        private static bool Intact(MessageStore store, QueuedMessage m, int seed, int size)
        {
            if (m.Size != size) return false;
            MessageReader reader = store.OpenReader(m);
            byte[] chunk = new byte[ChunkSize];
            long pos = 0;
            while (pos < size)
            {
                int n = reader.Read(pos, chunk, 0, chunk.Length);
                if (n <= 0) return false;
                for (int i = 0; i < n; i++)
                {
                    if (chunk[i] != Octet(seed, pos + i)) return false;
                }
                pos += n;
            }
            return reader.Read(pos, chunk, 0, chunk.Length) == 0;
        }

        /// <summary>
        /// The board's CRC-32 (its table written as a switch, Crc32.cs) is the standard one:
        /// every entry equals the bit-by-bit definition, and "123456789" gives the check value
        /// 0xCBF43926. A wrong entry would still read back what it wrote, so only this shows it.
        /// </summary>
        private static void Crc32CheckValue()
        {
            byte[] one = new byte[1];
            for (int n = 0; n < 256; n++)
            {
                uint c = (uint)n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                one[0] = (byte)n;
                Expect.True(Crc32.Update(0, one, 0, 1) == c, "CRC-32 table entry " + n.ToString());
            }
            byte[] digits = new byte[9];
            for (int i = 0; i < digits.Length; i++) digits[i] = (byte)('1' + i);
            Expect.True(Crc32.Compute(digits, 0, digits.Length) == 0xCBF43926, "CRC-32 check value of 123456789");
        }

        private static void WriteCommitRecover()
        {
            FlashSimulator flash = new FlashSimulator(Capacity, 1);
            StepClock clock = new StepClock();
            MessageStore store = MessageStore.Open(flash, Options(), clock);
            string id = Put(store, "sensor@example.org", 1, SizeA);
            Expect.NotNull(store.Find(id), "visible after commit");
            Expect.True(flash.SyncCount > 0, "commit synced");
            store.Close();
            flash.Reboot();

            MessageStore again = MessageStore.Open(flash, Options(), clock);
            Expect.Equal(1, again.Count, "messages after reboot");
            Expect.Equal(0, again.RecoveryDropped, "records dropped at recovery");
            QueuedMessage? m = again.Find(id);
            Expect.NotNull(m, "message " + id + " after reboot");
            Expect.True(Intact(again, m!, 1, SizeA), "message bytes after reboot");
            Expect.Equal("sensor@example.org", m!.Envelope.Sender, "sender after reboot");
            Expect.Equal(1, m.Envelope.RecipientCount, "recipients after reboot");
            Expect.Equal("ops@example.net", m.Envelope.GetRecipient(0).Address, "recipient after reboot");
            again.Close();
        }

        private static void AbortInvisible()
        {
            FlashSimulator flash = new FlashSimulator(Capacity, 2);
            StepClock clock = new StepClock();
            MessageStore store = MessageStore.Open(flash, Options(), clock);
            IMessageWriter? w = store.BeginMessage(NewEnvelope("sensor@example.org"));
            Expect.NotNull(w, "writer");
            byte[] chunk = new byte[ChunkSize];
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)'x';
            for (int i = 0; i < 4; i++) w!.Write(chunk, 0, chunk.Length);
            string id = w!.QueueId;
            w.Abort();
            Expect.Null(store.Find(id), "aborted message visible");
            Expect.Equal(0, store.Count, "messages after abort");
            store.Close();
            flash.Reboot();
            MessageStore again = MessageStore.Open(flash, Options(), clock);
            Expect.Equal(0, again.Count, "messages after reboot");
            Expect.Null(again.Find(id), "aborted message after reboot");
            again.Close();
        }

        private static void RefusesWhenFull()
        {
            FlashSimulator flash = new FlashSimulator(Capacity, 3);
            MessageStore store = MessageStore.Open(flash, Options(), new StepClock());
            Expect.True(store.HasRoomFor(SizeA), "room for a small message");
            Expect.True(!store.HasRoomFor(Capacity), "no room for a message as large as the flash");
            store.Close();
        }

        /// <summary>What the workload had acknowledged when the power went.</summary>
        private sealed class Acks
        {
            public string IdA = "";
            public string IdB = "";
            public bool CommittedA;
            public bool CommittedB;
            public bool RemovedA;
        }

        private static void Workload(MessageStore store, Acks acks)
        {
            acks.IdA = Put(store, "a@example.org", 11, SizeA);
            acks.CommittedA = true;
            acks.IdB = Put(store, "b@example.org", 12, SizeB);
            acks.CommittedB = true;
            QueuedMessage a = store.Find(acks.IdA)!;
            store.MarkDelivered(a, 0, "2.0.0", "250 2.0.0 queued as X");
            store.Remove(a);
            acks.RemovedA = true;
        }

        private static void PowerCut(CutMode mode)
        {
            long writes = WorkloadWrites();
            Expect.True(writes >= 6, "workload too small to cut: " + writes.ToString() + " writes");
            long[] cuts = new long[] { 1, 2, writes / 2, writes - 1, writes };
            // One method call per cut: the interpreter keeps a method's locals alive until it
            // returns, so each cut's simulated flash and stores are garbage before the next.
            for (int c = 0; c < cuts.Length; c++) CutAndRecover(mode, cuts[c], writes, 100 + c);
        }

        /// <summary>Appends (writes to the medium) of the uncut workload: the cut points are chosen among them.</summary>
        private static long WorkloadWrites()
        {
            FlashSimulator probe = new FlashSimulator(Capacity, 7);
            Workload(MessageStore.Open(probe, Options(), new StepClock()), new Acks());
            return probe.WriteCount;
        }

        private static void CutAndRecover(CutMode mode, long cutAt, long writes, int seed)
        {
            string at = "cut at write " + cutAt.ToString() + " of " + writes.ToString() + ": ";
            FlashSimulator flash = new FlashSimulator(Capacity, seed);
            flash.CutPowerAt(cutAt, mode);
            StepClock clock = new StepClock();
            Acks acks = new Acks();
            bool cut = false;
            try
            {
                Workload(MessageStore.Open(flash, Options(), clock), acks);
            }
            catch (StorageException)
            {
                cut = true;
            }
            Expect.True(cut && flash.PoweredOff, at + "the power cut did not happen");
            flash.Reboot();
            string id = CheckRecovered(flash, clock, acks, at);
            flash.Reboot();
            MessageStore again = MessageStore.Open(flash, Options(), clock);
            QueuedMessage? m = again.Find(id);
            Expect.True(m != null && Intact(again, m, 13, 300), at + "message after recovery and reboot");
            again.Close();
        }

        /// <summary>Recovers after the cut, checks what is visible against what was acknowledged, and puts a new message in; returns its id.</summary>
        private static string CheckRecovered(FlashSimulator flash, StepClock clock, Acks acks, string at)
        {
            MessageStore store = MessageStore.Open(flash, Options(), clock);
            Expect.Equal(0, store.RecoveryDropped, at + "records dropped at recovery");
            QueuedMessage[] all = store.GetMessages();
            for (int i = 0; i < all.Length; i++)
            {
                // Whatever is visible is whole: A or B byte for byte, never a torn one.
                bool isA = all[i].QueueId == acks.IdA && Intact(store, all[i], 11, SizeA);
                bool isB = all[i].QueueId == acks.IdB && Intact(store, all[i], 12, SizeB);
                Expect.True(isA || isB, at + "message " + all[i].QueueId + " is not an intact A or B");
            }
            QueuedMessage? a = acks.IdA.Length > 0 ? store.Find(acks.IdA) : null;
            QueuedMessage? b = acks.IdB.Length > 0 ? store.Find(acks.IdB) : null;
            if (acks.CommittedA && !acks.CommittedB) Expect.NotNull(a, at + "acknowledged message A lost");
            if (acks.CommittedB) Expect.NotNull(b, at + "acknowledged message B lost");
            if (acks.RemovedA) Expect.Null(a, at + "removed message A came back");

            // The store works after recovery: a new message goes in and survives a reboot.
            string id = Put(store, "c@example.org", 13, 300);
            Expect.True(id != acks.IdA && id != acks.IdB, at + "queue id reused");
            store.Close();
            return id;
        }

        private static void PowerCutClean() { PowerCut(CutMode.Clean); }

        private static void PowerCutTorn() { PowerCut(CutMode.Torn); }

        private static void PowerCutGarbage() { PowerCut(CutMode.Garbage); }
    }
}
