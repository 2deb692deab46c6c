// A handle on one file of the FlashSimulator. The bytes live in a Content object owned
// by the simulator; every call goes through the simulator's lock so that a power cut,
// the capacity check and the counters see one consistent medium.

using System;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Simulation
{
    /// <summary>An open file of a <see cref="FlashSimulator"/>. Not thread-safe (like any IStoredFile).</summary>
    public sealed class SimulatedFile : IStoredFile
    {
        private readonly FlashSimulator _owner;
        private readonly Content _content;
        private readonly int _generation;
        private bool _closed;

        internal SimulatedFile(FlashSimulator owner, Content content, int generation)
        {
            _owner = owner;
            _content = content;
            _generation = generation;
        }

        /// <inheritdoc/>
        public long Length
        {
            get
            {
                CheckOpen();
                return _owner.LengthOf(_content, _generation);
            }
        }

        /// <inheritdoc/>
        public int Read(long position, byte[] buffer, int offset, int count)
        {
            CheckOpen();
            return _owner.Read(_content, _generation, position, buffer, offset, count);
        }

        /// <inheritdoc/>
        public void Append(byte[] buffer, int offset, int count)
        {
            CheckOpen();
            _owner.Append(_content, _generation, buffer, offset, count);
        }

        /// <inheritdoc/>
        public void Sync()
        {
            CheckOpen();
            _owner.Sync(_content, _generation);
        }

        /// <inheritdoc/>
        public void Close()
        {
            _closed = true;
        }

        private void CheckOpen()
        {
            if (_closed) throw new StorageException("file is closed: " + _content.Name);
        }

        /// <summary>
        /// The bytes of one simulated file (owned by the simulator, used under its lock), in
        /// fixed pages rather than one array that doubles: a growing array holds its old and
        /// new copy at once and up to half of it unused, which the on-device self-test cannot
        /// afford on a 54 KB heap (README, On-device self-test); pages cost what is written.
        /// </summary>
        internal sealed class Content
        {
            /// <summary>
            /// Bytes per page. Small, because nanoCLR compacts its heap only when an allocation
            /// has already failed: on a fragmented 54 KB heap a 148-byte page still finds a hole
            /// where a 540-byte one would throw OutOfMemoryException.
            /// </summary>
            internal const int PageSize = 128;

            private readonly System.Collections.ArrayList _pages = new System.Collections.ArrayList();   // byte[PageSize]

            // What the host's runtime adds to each page (a 64-bit array header) and to the page
            // list when it grows (it doubles from 4, 8-byte references): counted with the pages,
            // so that benchmarks subtracting the simulator's allocation subtract all of it. A
            // long file's growing list is a large part (a 256 KB file: 32 KB of lists).
            private const int PageOverhead = 24;
            private const int ReferenceSize = 8;
            private int _listCapacity;

            internal Content(string name)
            {
                Name = name;
            }

            internal string Name { get; }

            internal long Length { get; private set; }

            internal long DurableLength { get; set; }

            internal bool Deleted { get; set; }

            /// <summary>Appends; returns the bytes allocated for new pages (for allocation accounting).</summary>
            internal long Write(byte[] buffer, int offset, int count)
            {
                long allocated = 0;
                while (count > 0)
                {
                    int page = (int)(Length / PageSize);
                    int at = (int)(Length % PageSize);
                    if (page == _pages.Count)
                    {
                        if (_pages.Count == _listCapacity)
                        {
                            _listCapacity = _listCapacity == 0 ? 4 : 2 * _listCapacity;
                            allocated += (long)_listCapacity * ReferenceSize;
                        }
                        _pages.Add(new byte[PageSize]);
                        allocated += PageSize + PageOverhead;
                    }
                    int n = PageSize - at < count ? PageSize - at : count;
                    Array.Copy(buffer, offset, (byte[])_pages[page]!, at, n);
                    Length += n;
                    offset += n;
                    count -= n;
                }
                return allocated;
            }

            /// <summary>Copies up to <paramref name="count"/> bytes from <paramref name="position"/>; returns the count copied.</summary>
            internal int Read(long position, byte[] buffer, int offset, int count)
            {
                int done = 0;
                while (done < count && position < Length)
                {
                    int at = (int)(position % PageSize);
                    long left = Length - position;
                    int n = PageSize - at;
                    if (n > count - done) n = count - done;
                    if (n > left) n = (int)left;
                    Array.Copy((byte[])_pages[(int)(position / PageSize)]!, at, buffer, offset + done, n);
                    position += n;
                    done += n;
                }
                return done;
            }

            /// <summary>Drops everything after <paramref name="length"/> bytes, pages included (what a power cut leaves).</summary>
            internal void Truncate(long length)
            {
                Length = length;
                int keep = (int)((length + PageSize - 1) / PageSize);
                while (_pages.Count > keep) _pages.RemoveAt(_pages.Count - 1);
            }
        }
    }
}
