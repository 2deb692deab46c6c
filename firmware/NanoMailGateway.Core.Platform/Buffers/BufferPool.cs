// A fixed pool of equally sized byte buffers, allocated once at start from the board
// profile (ARCHITECTURE.md, Memory). Sessions rent their line and chunk buffers here; when the
// pool is empty the rent fails and the caller refuses the session (421 4.3.2) instead
// of allocating more. The pool never grows: returning a buffer it did not hand out is
// a bug and throws.
// Counters (in use, high-water mark, refusals) are for the log and for tests.

using System;

namespace NanoMailGateway.Core.Buffers
{
    /// <summary>
    /// Fixed pool of <see cref="Capacity"/> buffers of <see cref="BufferSize"/> bytes.
    /// Thread-safe.
    /// </summary>
    public sealed class BufferPool
    {
        private readonly object _gate = new object();
        private readonly byte[][] _all;      // every buffer, for ownership checks
        private readonly byte[]?[] _free;    // stack of free buffers
        private int _freeCount;
        private int _highWater;
        private int _refusals;

        /// <summary>Allocates <paramref name="count"/> buffers of <paramref name="bufferSize"/> bytes now.</summary>
        /// <param name="name">Name for logs ("smtp", "dns").</param>
        /// <param name="bufferSize">Bytes per buffer, at least 1.</param>
        /// <param name="count">Number of buffers, at least 0.</param>
        public BufferPool(string name, int bufferSize, int count)
        {
            if (bufferSize < 1) throw new ArgumentOutOfRangeException("bufferSize");
            if (count < 0) throw new ArgumentOutOfRangeException("count");
            Name = name;
            BufferSize = bufferSize;
            _all = new byte[count][];
            _free = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                byte[] b = new byte[bufferSize];
                _all[i] = b;
                _free[i] = b;
            }
            _freeCount = count;
        }

        /// <summary>Name given at construction, for logs.</summary>
        public string Name { get; }

        /// <summary>Bytes per buffer.</summary>
        public int BufferSize { get; }

        /// <summary>Number of buffers the pool owns; never changes.</summary>
        public int Capacity => _all.Length;

        /// <summary>Bytes the pool holds in total (its share of the heap budget).</summary>
        public int TotalBytes => _all.Length * BufferSize;

        /// <summary>Buffers rented and not yet returned.</summary>
        public int InUse
        {
            get { lock (_gate) { return _all.Length - _freeCount; } }
        }

        /// <summary>The largest <see cref="InUse"/> seen since start.</summary>
        public int HighWaterMark
        {
            get { lock (_gate) { return _highWater; } }
        }

        /// <summary>How many rents failed because the pool was empty.</summary>
        public int Refusals
        {
            get { lock (_gate) { return _refusals; } }
        }

        /// <summary>Rents a buffer, or returns null when none is free (the caller refuses its work).</summary>
        public byte[]? TryRent()
        {
            lock (_gate)
            {
                if (_freeCount == 0)
                {
                    _refusals++;
                    return null;
                }
                _freeCount--;
                byte[]? b = _free[_freeCount];
                _free[_freeCount] = null;
                int inUse = _all.Length - _freeCount;
                if (inUse > _highWater) _highWater = inUse;
                return b;
            }
        }

        /// <summary>
        /// Rents <paramref name="count"/> buffers at once, or none: a session needs all its
        /// buffers or it must be refused, and a half-rented set would starve others.
        /// Returns null when fewer than <paramref name="count"/> are free.
        /// </summary>
        public byte[][]? TryRentSet(int count)
        {
            lock (_gate)
            {
                if (_freeCount < count)
                {
                    _refusals++;
                    return null;
                }
                byte[][] set = new byte[count][];
                for (int i = 0; i < count; i++)
                {
                    _freeCount--;
                    set[i] = _free[_freeCount]!;
                    _free[_freeCount] = null;
                }
                int inUse = _all.Length - _freeCount;
                if (inUse > _highWater) _highWater = inUse;
                return set;
            }
        }

        /// <summary>Gives a rented buffer back. Its contents are not cleared.</summary>
        /// <exception cref="InvalidOperationException">the buffer is not this pool's, or is already free.</exception>
        public void Return(byte[] buffer)
        {
            lock (_gate)
            {
                if (!Owns(buffer)) throw new InvalidOperationException("buffer does not belong to pool " + Name);
                for (int i = 0; i < _freeCount; i++)
                {
                    if (ReferenceEquals(_free[i], buffer)) throw new InvalidOperationException("buffer returned twice to pool " + Name);
                }
                _free[_freeCount] = buffer;
                _freeCount++;
            }
        }

        /// <summary>Returns every buffer of a set rented with <see cref="TryRentSet"/>.</summary>
        public void ReturnSet(byte[][] set)
        {
            for (int i = 0; i < set.Length; i++) Return(set[i]);
        }

        /// <summary>One line for the log: "pool smtp: 2/8 in use, high 5, refused 0, 8192 bytes".</summary>
        public string Describe()
        {
            lock (_gate)
            {
                return "pool " + Name + ": " + (_all.Length - _freeCount).ToString() + "/" + _all.Length.ToString()
                    + " in use, high " + _highWater.ToString() + ", refused " + _refusals.ToString()
                    + ", " + TotalBytes.ToString() + " bytes";
            }
        }

        private bool Owns(byte[] buffer)
        {
            for (int i = 0; i < _all.Length; i++)
            {
                if (ReferenceEquals(_all[i], buffer)) return true;
            }
            return false;
        }
    }
}
