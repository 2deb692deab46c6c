// An in-memory IMessageStore in the device subset, for SMTP listener transcripts: it
// keeps the committed messages (envelope and octets) so that checks can compare what
// was queued with what was sent, byte for byte. Bounded: each message holds at most
// MessageCapacity octets; a longer one makes Write return false, as a full queue does
// (the listener then answers 452 4.3.1). The octets are kept in 256-octet pages as they
// come, not in an array of the full capacity: the SMTP checks must fit the esp32-c3
// heap (README, On-device self-test). Left out on purpose: durability (the flash queue
// scenario runs the real MessageStore on the FlashSimulator).

using System.Collections;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Messages in RAM. Thread-safe.</summary>
    public sealed class TinyMessageStore : IMessageStore
    {
        private readonly object _gate = new object();
        private readonly ArrayList _committed = new ArrayList(); // Writer
        private readonly int _capacity;
        private int _nextId = 1;
        private int _aborted;

        /// <summary>Makes a store whose messages hold at most <paramref name="messageCapacity"/> octets.</summary>
        public TinyMessageStore(int messageCapacity)
        {
            _capacity = messageCapacity;
        }

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
            Writer w;
            lock (_gate) { w = (Writer)_committed[index]!; }
            return w.Text();
        }

        /// <inheritdoc/>
        public bool HasRoomFor(long size)
        {
            return size <= _capacity;
        }

        /// <inheritdoc/>
        public IMessageWriter? BeginMessage(Envelope envelope)
        {
            lock (_gate)
            {
                string id = "ST" + _nextId.ToString();
                _nextId++;
                return new Writer(this, envelope, id, _capacity);
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

            private const int PageSize = 256;
            private readonly ArrayList _pages = new ArrayList();   // byte[PageSize]
            private readonly int _capacity;

            public Writer(TinyMessageStore store, Envelope envelope, string id, int capacity)
            {
                _store = store;
                Envelope = envelope;
                QueueId = id;
                _capacity = capacity;
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
                offset = _length % PageSize;
                if (_pages.Count * PageSize == _length) _pages.Add(new byte[PageSize]);
                count = PageSize - offset;
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

            /// <summary>The stored octets as ASCII text.</summary>
            public string Text()
            {
                byte[] all = new byte[_length];
                for (int p = 0; p * PageSize < _length; p++)
                {
                    int n = _length - p * PageSize < PageSize ? _length - p * PageSize : PageSize;
                    System.Array.Copy((byte[])_pages[p]!, 0, all, p * PageSize, n);
                }
                return NanoMailGateway.Core.Text.Ascii.GetString(all, 0, _length);
            }

            public void Commit()
            {
                if (_done) throw new System.InvalidOperationException("commit twice or after abort");
                if (_full) throw new System.InvalidOperationException("commit of a message that did not fit");
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
