// The list of data pieces of one message (segment, offset of the Data record, data
// length), as the writer collects it and as relocation rebuilds it. It is written into
// the Commit record; the RAM index does not keep it (readers read it from flash).
// Kept as runs: consecutive Data records of one length, back to back in one file (a
// message file's full units, a relocation's regathered units), are one entry, so a 1 MB
// message in its message file is two entries, not 512 (6 KB of arrays grown by doubling,
// per message). Access by index is sequential in every caller; a cursor makes it O(1).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Growable list of data piece locations. Not thread-safe.</summary>
    internal sealed class PieceList
    {
        private int[] _segment = new int[2];
        private uint[] _offset = new uint[2];       // of the run's first record
        private int[] _length = new int[2];         // data bytes of each record in the run
        private int[] _repeat = new int[2];         // records in the run
        private int _runs;
        private int _cursorRun;                     // run of the last piece asked for
        private int _cursorFirst;                   // index of that run's first piece

        public int Count { get; private set; }

        /// <summary>Smallest segment number in the list, or int.MaxValue when empty.</summary>
        public int MinSegment { get; private set; } = int.MaxValue;

        public int SegmentAt(int i) { return _segment[RunOf(i)]; }

        public uint OffsetAt(int i)
        {
            int r = RunOf(i);
            return _offset[r] + (uint)(i - _cursorFirst) * (uint)(RecordFormat.Overhead + RecordFormat.DataPrefix + _length[r]);
        }

        public int LengthAt(int i) { return _length[RunOf(i)]; }

        public void Clear()
        {
            Count = 0;
            _runs = 0;
            _cursorRun = 0;
            _cursorFirst = 0;
            MinSegment = int.MaxValue;
        }

        public void Add(long location, int length)
        {
            int seg = RecordFormat.SegmentOf(location);
            uint off = (uint)RecordFormat.OffsetOf(location);
            int last = _runs - 1;
            if (last >= 0 && _segment[last] == seg && _length[last] == length
                && off == _offset[last] + (uint)_repeat[last] * (uint)(RecordFormat.Overhead + RecordFormat.DataPrefix + length))
            {
                _repeat[last]++;
                Count++;
                return;
            }
            if (_runs == _segment.Length) Grow();
            _segment[_runs] = seg;
            _offset[_runs] = off;
            _length[_runs] = length;
            _repeat[_runs] = 1;
            _runs++;
            Count++;
            if (seg < MinSegment) MinSegment = seg;
        }

        /// <summary>The run holding piece <paramref name="i"/>; leaves the cursor on it.</summary>
        private int RunOf(int i)
        {
            if (i < _cursorFirst)
            {
                _cursorRun = 0;
                _cursorFirst = 0;
            }
            while (i >= _cursorFirst + _repeat[_cursorRun])
            {
                _cursorFirst += _repeat[_cursorRun];
                _cursorRun++;
            }
            return _cursorRun;
        }

        private void Grow()
        {
            int n = _runs * 2;
            int[] s = new int[n];
            uint[] o = new uint[n];
            int[] l = new int[n];
            int[] r = new int[n];
            System.Array.Copy(_segment, s, _runs);
            System.Array.Copy(_offset, o, _runs);
            System.Array.Copy(_length, l, _runs);
            System.Array.Copy(_repeat, r, _runs);
            _segment = s;
            _offset = o;
            _length = l;
            _repeat = r;
        }
    }
}
