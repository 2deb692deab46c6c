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
        public void Flush()
        {
            CheckOpen();
            _owner.Flush(_content, _generation);
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

        /// <summary>The bytes of one simulated file (owned by the simulator, used under its lock).</summary>
        internal sealed class Content
        {
            internal Content(string name)
            {
                Name = name;
                Data = new byte[256];
            }

            internal string Name { get; }

            internal byte[] Data { get; private set; }

            internal long Length { get; set; }

            internal long DurableLength { get; set; }

            internal bool Deleted { get; set; }

            /// <summary>Appends; returns the bytes allocated to grow the array (for allocation accounting).</summary>
            internal long Write(byte[] buffer, int offset, int count)
            {
                if (count <= 0) return 0;
                long allocated = 0;
                long need = Length + count;
                if (need > Data.Length)
                {
                    long size = Data.Length;
                    while (size < need) size *= 2;
                    byte[] grown = new byte[(int)size];
                    allocated = size;
                    Array.Copy(Data, grown, (int)Length);
                    Data = grown;
                }
                Array.Copy(buffer, offset, Data, (int)Length, count);
                Length += count;
                return allocated;
            }
        }
    }
}
