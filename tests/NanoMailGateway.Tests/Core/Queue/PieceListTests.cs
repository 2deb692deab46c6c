// PieceList keeps back-to-back Data records of one length in one file as a run: what it
// returns by index must be what was added, in any order of asking.

using System;
using System.Collections.Generic;
using NanoMailGateway.Core.Queue;
using Xunit;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class PieceListTests
    {
        private const int Stride = RecordFormat.Overhead + RecordFormat.DataPrefix;

        [Fact]
        public void Back_to_back_records_of_one_length_read_back_as_added_in_any_order()
        {
            var added = new List<(int seg, uint off, int len)>();
            var list = new PieceList();
            // A message file's 40 full units, then its last short one; then pieces in a shared
            // segment with a gap, another length, and a run split by a segment change.
            int file = RecordFormat.MessageFileFlag | 7;
            uint at = 32;
            for (int i = 0; i < 40; i++) { added.Add((file, at, 2024)); at += (uint)(Stride + 2024); }
            added.Add((file, at, 300));
            added.Add((3, 100, 500));
            added.Add((3, 100 + Stride + 500, 500));
            added.Add((3, 100 + 2 * (Stride + 500) + 16, 500));   // a record of another message between
            added.Add((4, 32, 500));
            added.Add((4, 32 + Stride + 500, 700));
            foreach (var p in added) list.Add(RecordFormat.Location(p.seg, p.off), p.len);

            Assert.Equal(added.Count, list.Count);
            Assert.Equal(3, list.MinSegment);
            var rnd = new Random(3);
            for (int n = 0; n < 500; n++)
            {
                int i = n < added.Count ? n : rnd.Next(added.Count);
                Assert.Equal(added[i].seg, list.SegmentAt(i));
                Assert.Equal(added[i].off, list.OffsetAt(i));
                Assert.Equal(added[i].len, list.LengthAt(i));
            }
            list.Clear();
            Assert.Equal(0, list.Count);
            list.Add(RecordFormat.Location(9, 64), 10);
            Assert.Equal(9, list.SegmentAt(0));
            Assert.Equal(64u, list.OffsetAt(0));
        }
    }
}
