// The list of data pieces of one message (segment, offset of the Data record, data
// length), as the writer collects it and as relocation rebuilds it. It is written into
// the Commit record; the RAM index does not keep it (readers read it from flash).
// Grows by doubling; its size is bounded by the commit record limit (MaxPayload).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Growable list of data piece locations. Not thread-safe.</summary>
    internal sealed class PieceList
    {
        private int[] _segment = new int[4];
        private uint[] _offset = new uint[4];
        private int[] _length = new int[4];

        public int Count { get; private set; }

        /// <summary>Smallest segment number in the list, or int.MaxValue when empty.</summary>
        public int MinSegment { get; private set; } = int.MaxValue;

        public int SegmentAt(int i) { return _segment[i]; }

        public uint OffsetAt(int i) { return _offset[i]; }

        public int LengthAt(int i) { return _length[i]; }

        public void Clear()
        {
            Count = 0;
            MinSegment = int.MaxValue;
        }

        public void Add(long location, int length)
        {
            if (Count == _segment.Length)
            {
                int n = Count * 2;
                int[] s = new int[n];
                uint[] o = new uint[n];
                int[] l = new int[n];
                System.Array.Copy(_segment, s, Count);
                System.Array.Copy(_offset, o, Count);
                System.Array.Copy(_length, l, Count);
                _segment = s;
                _offset = o;
                _length = l;
            }
            int seg = RecordFormat.SegmentOf(location);
            _segment[Count] = seg;
            _offset[Count] = (uint)RecordFormat.OffsetOf(location);
            _length[Count] = length;
            Count++;
            if (seg < MinSegment) MinSegment = seg;
        }
    }
}
