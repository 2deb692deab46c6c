// StringArray's contract on the host. .NET nulls the slots of a new array by itself, so
// what these tests can see is the API (lengths, ranges, errors); that the device build
// really stores null into every slot is checked on its IL by Guard/StringArrayRuleTests,
// and on a board by the self-test's text.string-array-* checks.

using System;
using NanoMailGateway.Core.Text;
using Xunit;

namespace NanoMailGateway.Tests.Core.Text
{
    public class StringArrayTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(16)]
        public void NewHasTheLengthAndOnlyNullSlots(int length)
        {
            string[] a = StringArray.New(length);
            Assert.Equal(length, a.Length);
            Assert.All(a, s => Assert.Null(s));
        }

        [Fact]
        public void NewGivesAFreshArrayEachTime()
        {
            Assert.NotSame(StringArray.New(0), StringArray.New(0));
            Assert.NotSame(StringArray.New(2), StringArray.New(2));
        }

        [Fact]
        public void NewRefusesANegativeLengthLikeNewarr()
        {
            Assert.Throws<OverflowException>(() => StringArray.New(-1));
        }

        [Fact]
        public void NewTableHasRowsOfNullSlotsEachItsOwn()
        {
            string[][] t = StringArray.NewTable(3, 2);
            Assert.Equal(3, t.Length);
            Assert.All(t, row => Assert.Equal(new string?[] { null, null }, row));
            Assert.NotSame(t[0], t[1]);
            Assert.Empty(StringArray.NewTable(0, 4));
            Assert.All(StringArray.NewTable(2, 0), row => Assert.Empty(row));
        }

        [Fact]
        public void ClearNullsExactlyTheRange()
        {
            string?[] a = { "a", "b", "c", "d" };
            StringArray.Clear(a, 1, 2);
            Assert.Equal(new string?[] { "a", null, null, "d" }, a);
            StringArray.Clear(a, 4, 0);
            StringArray.Clear(a, 0, 4);
            Assert.All(a, s => Assert.Null(s));
        }

        [Theory]
        [InlineData(-1, 1)]
        [InlineData(0, -1)]
        [InlineData(0, 4)]
        [InlineData(3, 2)]
        [InlineData(5, 0)]
        [InlineData(int.MaxValue, 1)]
        public void ClearOutsideTheArrayThrowsAndClearsNothing(int index, int count)
        {
            string?[] a = { "a", "b", "c" };
            Assert.Throws<ArgumentOutOfRangeException>(() => StringArray.Clear(a, index, count));
            Assert.Equal(new string?[] { "a", "b", "c" }, a);
        }
    }
}
