// Reads the fields of one record's payload from flash in order, through a small buffer,
// so that a Commit record of any size is parsed without holding it in RAM. Used by
// recovery and by readers that look up data pieces. Strings are the only allocations.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Sequential field reader over a record payload. Used under MessageStore's lock.</summary>
    internal sealed class RecordReader
    {
        private readonly SegmentLog _log;
        private readonly byte[] _buf = new byte[64];
        private int _segment;
        private long _next;        // file position of the next byte to load
        private long _end;         // file position after the payload
        private int _pos;
        private int _count;

        public RecordReader(SegmentLog log)
        {
            _log = log;
        }

        /// <summary>Positions at <paramref name="payloadOffset"/> bytes into the payload of the record at <paramref name="location"/>.</summary>
        public void Open(long location, int payloadLength, int payloadOffset)
        {
            _segment = RecordFormat.SegmentOf(location);
            long start = RecordFormat.OffsetOf(location) + RecordFormat.HeaderSize;
            _next = start + payloadOffset;
            _end = start + payloadLength;
            _pos = 0;
            _count = 0;
        }

        /// <summary>Bytes of the payload consumed so far are not tracked; this says what is left.</summary>
        public long Remaining => _end - _next + (_count - _pos);

        public int ReadByte()
        {
            Need(1);
            return _buf[_pos++];
        }

        public int ReadU16()
        {
            Need(2);
            int v = RecordFormat.GetU16(_buf, _pos);
            _pos += 2;
            return v;
        }

        public uint ReadU32()
        {
            Need(4);
            uint v = RecordFormat.GetU32(_buf, _pos);
            _pos += 4;
            return v;
        }

        public long ReadI64()
        {
            Need(8);
            long v = RecordFormat.GetI64(_buf, _pos);
            _pos += 8;
            return v;
        }

        /// <summary>Reads a u16-length string (0xFFFF = null); bytes become chars U+0000..U+00FF.</summary>
        public string? ReadString()
        {
            int n = ReadU16();
            if (n == 0xFFFF) return null;
            if (n == 0) return "";
            char[] c = new char[n];
            for (int i = 0; i < n; i++)
            {
                Need(1);
                c[i] = (char)_buf[_pos++];
            }
            return new string(c);
        }

        /// <summary>Reads a string, "" for null.</summary>
        public string ReadText()
        {
            string? s = ReadString();
            return s == null ? "" : s;
        }

        private void Need(int n)
        {
            if (_count - _pos >= n) return;
            int keep = _count - _pos;
            for (int i = 0; i < keep; i++) _buf[i] = _buf[_pos + i];
            _pos = 0;
            _count = keep;
            long want = _buf.Length - keep;
            if (want > _end - _next) want = _end - _next;
            if (want > 0)
            {
                int got = _log.ReadAt(_segment, _next, _buf, keep, (int)want);
                _next += got;
                _count += got;
            }
            if (_count < n) throw new StorageException("record shorter than its fields");
        }
    }
}
