// One direction of an in-memory connection: a bounded byte ring that a writer fills and
// a reader drains, with timeouts. Used by MemoryConnection for unit tests and the
// on-device self-test (no sockets there). Written in the device subset: Monitor has
// no Wait/Pulse on nanoFramework, so waiting uses AutoResetEvent.

using System.Threading;

namespace NanoMailGateway.Core.Simulation
{
    /// <summary>A bounded single-reader, single-writer byte pipe. Thread-safe.</summary>
    public sealed class MemoryPipe
    {
        private readonly object _gate = new object();
        private readonly byte[] _ring;
        private readonly AutoResetEvent _dataReady = new AutoResetEvent(false);
        private readonly AutoResetEvent _spaceReady = new AutoResetEvent(false);
        private int _head;   // next byte to read
        private int _count;  // bytes held
        private bool _closed;

        /// <summary>Creates a pipe holding at most <paramref name="capacity"/> unread bytes.</summary>
        public MemoryPipe(int capacity)
        {
            _ring = new byte[capacity];
        }

        /// <summary>Unread bytes held now (a reader can size its buffer to them).</summary>
        public int Count
        {
            get { lock (_gate) { return _count; } }
        }

        /// <summary>True once <see cref="Close"/> was called.</summary>
        public bool IsClosed
        {
            get { lock (_gate) { return _closed; } }
        }

        /// <summary>
        /// Reads up to <paramref name="count"/> bytes, waiting at most <paramref name="timeoutMs"/>
        /// (&lt;= 0: forever). Returns the count, 0 when closed and drained, or -1 on timeout.
        /// </summary>
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_count > 0)
                    {
                        int n = count < _count ? count : _count;
                        for (int i = 0; i < n; i++)
                        {
                            buffer[offset + i] = _ring[_head];
                            _head = (_head + 1) % _ring.Length;
                        }
                        _count -= n;
                        _spaceReady.Set();
                        return n;
                    }
                    if (_closed) return 0;
                }
                bool signalled = timeoutMs <= 0 ? _dataReady.WaitOne() : _dataReady.WaitOne(timeoutMs, false);
                if (!signalled) return -1;
            }
        }

        /// <summary>
        /// Writes all bytes, waiting for room at most <paramref name="timeoutMs"/> per wait.
        /// Returns false when the pipe is closed or the reader did not make room in time.
        /// </summary>
        public bool Write(byte[] buffer, int offset, int count, int timeoutMs)
        {
            while (count > 0)
            {
                lock (_gate)
                {
                    if (_closed) return false;
                    int room = _ring.Length - _count;
                    int n = count < room ? count : room;
                    int tail = (_head + _count) % _ring.Length;
                    for (int i = 0; i < n; i++)
                    {
                        _ring[tail] = buffer[offset + i];
                        tail = (tail + 1) % _ring.Length;
                    }
                    _count += n;
                    offset += n;
                    count -= n;
                    if (n > 0) _dataReady.Set();
                    if (count == 0) return true;
                }
                bool signalled = timeoutMs <= 0 ? _spaceReady.WaitOne() : _spaceReady.WaitOne(timeoutMs, false);
                if (!signalled) return false;
            }
            return true;
        }

        /// <summary>Closes the pipe: the reader drains what is left and then sees 0.</summary>
        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
            }
            _dataReady.Set();
            _spaceReady.Set();
        }
    }
}
