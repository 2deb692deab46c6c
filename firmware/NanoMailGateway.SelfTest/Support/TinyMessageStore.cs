// An in-memory IMessageStore in the device subset, for the self-test's and the tests'
// SMTP listener transcripts: it keeps the committed messages (envelope and octets) so
// that checks can compare what was queued with what was sent, byte for byte. Bounded:
// HasRoomFor refuses sizes above RoomFor, and a message longer than WriteLimit makes
// Write return false, as a full queue does (the listener then answers 452 4.3.1). It can
// also play a full store, a failing medium or a failing commit. The octets are kept in
// pages of UnitSize octets as they come (each page is what GetBuffer hands the
// listener), not in an array of the full capacity: the SMTP checks must fit the
// esp32-c3 heap (README, On-device self-test). Left out on purpose: durability (the
// flash queue checks run the real MessageStore on the FlashSimulator).

using System.Collections;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Messages in RAM. Thread-safe.</summary>
    public sealed class TinyMessageStore : IMessageStore
    {
        private readonly object _gate = new object();
        private readonly ArrayList _committed = new ArrayList(); // Writer
        private int _nextId = 1;
        private int _aborted;
        private int _begun;

        /// <summary>Makes a store without a size limit.</summary>
        public TinyMessageStore() : this(long.MaxValue)
        {
        }

        /// <summary>Makes a store whose messages hold at most <paramref name="messageCapacity"/> octets.</summary>
        public TinyMessageStore(long messageCapacity)
        {
            RoomFor = messageCapacity;
            WriteLimit = messageCapacity;
        }

        /// <summary>Largest size HasRoomFor accepts.</summary>
        public long RoomFor;

        /// <summary>Write and Advance return false once a message would pass this many octets.</summary>
        public long WriteLimit;

        /// <summary>Octets per page: what one GetBuffer hands out, like the queue's write unit.</summary>
        public int UnitSize = 256;

        /// <summary>HasRoomFor answers false and BeginMessage returns null.</summary>
        public bool Full;

        /// <summary>BeginMessage throws StorageException.</summary>
        public bool FailBegin;

        /// <summary>Commit throws StorageException.</summary>
        public bool FailCommit;

        /// <summary>Messages begun.</summary>
        public int Begun { get { lock (_gate) { return _begun; } } }

        /// <summary>Committed messages.</summary>
        public int Count { get { lock (_gate) { return _committed.Count; } } }

        /// <summary>Messages begun and then aborted.</summary>
        public int Aborted { get { lock (_gate) { return _aborted; } } }

        /// <summary>Envelope of committed message <paramref name="index"/>.</summary>
        public Envelope EnvelopeOf(int index)
        {
            lock (_gate) { return ((Writer)_committed[index]!).Envelope; }
        }

        /// <summary>Queue id of committed message <paramref name="index"/>.</summary>
        public string QueueIdOf(int index)
        {
            lock (_gate) { return ((Writer)_committed[index]!).QueueId; }
        }

        /// <summary>Octets of committed message <paramref name="index"/> as text (ASCII).</summary>
        public string TextOf(int index)
        {
            byte[] all = DataOf(index);
            return NanoMailGateway.Core.Text.Ascii.GetString(all, 0, all.Length);
        }

        /// <summary>Octets of committed message <paramref name="index"/>.</summary>
        public byte[] DataOf(int index)
        {
            Writer w;
            lock (_gate) { w = (Writer)_committed[index]!; }
            return w.Data();
        }

        /// <inheritdoc/>
        public bool HasRoomFor(long size)
        {
            return !Full && size <= RoomFor;
        }

        /// <inheritdoc/>
        public IMessageWriter? BeginMessage(Envelope envelope)
        {
            if (FailBegin) throw new StorageException("simulated medium failure");
            if (Full) return null;
            lock (_gate)
            {
                string id = "ST" + _nextId.ToString();
                _nextId++;
                _begun++;
                return new Writer(this, envelope, id, WriteLimit, UnitSize);
            }
        }

        private void Committed(Writer w)
        {
            lock (_gate) { _committed.Add(w); }
        }

        private void Dropped()
        {
            lock (_gate) { _aborted++; }
        }

        private sealed class Writer : IMessageWriter
        {
            private readonly TinyMessageStore _store;
            private bool _done;
            private bool _full;
            private int _length;

            private readonly ArrayList _pages = new ArrayList();   // byte[_pageSize]
            private readonly long _capacity;
            private readonly int _pageSize;

            public Writer(TinyMessageStore store, Envelope envelope, string id, long capacity, int pageSize)
            {
                _store = store;
                Envelope = envelope;
                QueueId = id;
                _capacity = capacity;
                _pageSize = pageSize;
            }

            public Envelope Envelope { get; }

            public string QueueId { get; }

            public long Length => _length;

            public bool Write(byte[] buffer, int offset, int count)
            {
                if (_done) throw new System.InvalidOperationException("write after commit or abort");
                if (_full || _length + count > _capacity)
                {
                    _full = true;
                    return false;
                }
                while (count > 0)
                {
                    int room;
                    int at;
                    byte[] page = GetBuffer(out at, out room);
                    int n = room < count ? room : count;
                    System.Array.Copy(buffer, offset, page, at, n);
                    Advance(n);
                    offset += n;
                    count -= n;
                }
                return true;
            }

            // The listener puts DATA straight into the last page (IMessageWriter.GetBuffer).
            public byte[] GetBuffer(out int offset, out int count)
            {
                if (_done) throw new System.InvalidOperationException("write after commit or abort");
                offset = _length % _pageSize;
                if (_pages.Count * _pageSize == _length) _pages.Add(new byte[_pageSize]);
                count = _pageSize - offset;
                return (byte[])_pages[_pages.Count - 1]!;
            }

            public bool Advance(int count)
            {
                if (_done) throw new System.InvalidOperationException("write after commit or abort");
                if (_full || _length + count > _capacity)
                {
                    _full = true;
                    return false;
                }
                _length += count;
                return true;
            }

            /// <summary>The stored octets.</summary>
            public byte[] Data()
            {
                byte[] all = new byte[_length];
                for (int p = 0; p * _pageSize < _length; p++)
                {
                    int n = _length - p * _pageSize < _pageSize ? _length - p * _pageSize : _pageSize;
                    System.Array.Copy((byte[])_pages[p]!, 0, all, p * _pageSize, n);
                }
                return all;
            }

            public void Commit()
            {
                if (_done) throw new System.InvalidOperationException("commit twice or after abort");
                if (_full) throw new System.InvalidOperationException("commit of a message that did not fit");
                if (_store.FailCommit) throw new StorageException("simulated commit failure");
                _done = true;
                _store.Committed(this);
            }

            public void Abort()
            {
                if (_done) return;
                _done = true;
                _store.Dropped();
            }
        }
    }
}
