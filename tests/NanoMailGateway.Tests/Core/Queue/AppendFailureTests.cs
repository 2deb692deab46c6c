// A failure half way through an append that is not a StorageException (on a board:
// OutOfMemoryException while the file layer or a caller allocates) leaves the same
// unknown state on the medium as a failed write. The segment log must then refuse
// everything until the store is reopened, never wedge on "record already open" or
// append after half a record; recovery keeps every committed message and drops the
// torn one (ARCHITECTURE.md, Flash format).

using System;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Queue
{
    public class AppendFailureTests
    {
        private const long Capacity = 256 * 1024;

        // Wraps the simulator; the append numbered FailAt (1-based, over all files) throws.
        private sealed class FailingAppends : IFileStore
        {
            private readonly FlashSimulator _inner;
            public int Appends;
            public int FailAt = -1;

            public FailingAppends(FlashSimulator inner) { _inner = inner; }

            public IStoredFile? Open(string name, bool create)
            {
                IStoredFile? f = _inner.Open(name, create);
                return f == null ? null : new File(this, f);
            }

            public void Delete(string name) => _inner.Delete(name);

            public string[] List() => _inner.List();

            private sealed class File : IStoredFile
            {
                private readonly FailingAppends _owner;
                private readonly IStoredFile _f;
                public File(FailingAppends owner, IStoredFile f) { _owner = owner; _f = f; }
                public long Length => _f.Length;
                public int Read(long position, byte[] buffer, int offset, int count) => _f.Read(position, buffer, offset, count);
                public void Append(byte[] buffer, int offset, int count)
                {
                    if (++_owner.Appends == _owner.FailAt) throw new OutOfMemoryException("no heap for the write");
                    _f.Append(buffer, offset, count);
                }
                public void Sync() => _f.Sync();
                public void Close() => _f.Close();
            }
        }

        private static QueueOptions Options() => new QueueOptions(Capacity, 16384, 512, 3 * 16384, 64, 4);

        private static Envelope Env()
        {
            var e = new Envelope("alarm@sensor.lan");
            e.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            return e;
        }

        private static byte[] Body(int size, int seed)
        {
            var b = new byte[size];
            new Random(seed).NextBytes(b);
            return b;
        }

        private static string Put(MessageStore s, byte[] body)
        {
            IMessageWriter w = s.BeginMessage(Env())!;
            Assert.True(w.Write(body, 0, body.Length));
            w.Commit();
            return w.QueueId;
        }

        [Fact]
        public void An_exception_half_way_through_an_append_breaks_the_log_until_reopened_and_loses_no_committed_message()
        {
            var sim = new FlashSimulator(Capacity, 3);
            var files = new FailingAppends(sim);
            var store = MessageStore.Open(files, Options(), new StepClock());
            byte[] kept = Body(1500, 1);
            string keptId = Put(store, kept);

            files.FailAt = files.Appends + 2;   // the second write unit of the next message
            IMessageWriter w = store.BeginMessage(Env())!;
            Assert.Throws<OutOfMemoryException>(() => w.Write(Body(3000, 2), 0, 3000));
            w.Abort();

            // Broken, not wedged: every later append says why, and none reaches the medium.
            int appends = files.Appends;
            Assert.Throws<StorageException>(() => store.BeginMessage(Env()));
            Assert.False(store.HasRoomFor(1));
            Assert.Equal(appends, files.Appends);

            store.Close();
            sim.Reboot();
            var reopened = MessageStore.Open(files, Options(), new StepClock());
            QueuedMessage[] left = reopened.GetMessages();
            Assert.Single(left);
            Assert.Equal(keptId, left[0].QueueId);
            Assert.Equal(kept, PowerLossTests.Model.ReadAll(reopened, left[0]));
            byte[] next = Body(2000, 3);
            string nextId = Put(reopened, next);
            Assert.Equal(next, PowerLossTests.Model.ReadAll(reopened, reopened.Find(nextId)!));
        }
    }
}
