using NanoMailGateway.Core.Config;
using Xunit;

namespace NanoMailGateway.Tests.Core.Config
{
    public class ConfigValueTests
    {
        [Theory]
        [InlineData("0", 0)]
        [InlineData("45", 45)]
        [InlineData("45s", 45)]
        [InlineData("45S", 45)]
        [InlineData("30m", 1800)]
        [InlineData("4h", 14400)]
        [InlineData("5d", 432000)]
        [InlineData("3650d", 315360000)]
        [InlineData("", -1)]
        [InlineData("m", -1)]
        [InlineData("10x", -1)]
        [InlineData("1w", -1)]
        [InlineData("-5m", -1)]
        [InlineData("1.5h", -1)]
        [InlineData("5 m", -1)]
        [InlineData("3651d", -1)]
        [InlineData("99999999999999999999", -1)]
        public void Duration(string text, long seconds)
        {
            Assert.Equal(seconds, ConfigValue.ParseDuration(text));
        }

        [Theory]
        [InlineData("0", 0)]
        [InlineData("512", 512)]
        [InlineData("64K", 65536)]
        [InlineData("64k", 65536)]
        [InlineData("10M", 10485760)]
        [InlineData("1536K", 1572864)]
        [InlineData("2047M", 2146435072)]
        [InlineData("2048M", -1)]
        [InlineData("1G", -1)]
        [InlineData("10X", -1)]
        [InlineData("K", -1)]
        [InlineData("", -1)]
        [InlineData("1KB", -1)]
        [InlineData("-1", -1)]
        public void Size(string text, long bytes)
        {
            Assert.Equal(bytes, ConfigValue.ParseSize(text));
        }

        [Theory]
        [InlineData("yes", 1)]
        [InlineData("YES", 1)]
        [InlineData("no", 0)]
        [InlineData("No", 0)]
        [InlineData("true", -1)]
        [InlineData("1", -1)]
        [InlineData("", -1)]
        public void Bool(string text, int expected)
        {
            Assert.Equal(expected, ConfigValue.ParseBool(text));
        }

        [Theory]
        [InlineData("a", new[] { "a" })]
        [InlineData("a,b", new[] { "a", "b" })]
        [InlineData("a b", new[] { "a", "b" })]
        [InlineData("a, b ,c\td", new[] { "a", "b", "c", "d" })]
        [InlineData(" ,a,,b, ", new[] { "a", "b" })]
        [InlineData("", new string[0])]
        public void List(string text, string[] items)
        {
            Assert.Equal(items, ConfigValue.SplitList(text));
        }

        [Fact]
        public void ListIsBounded()
        {
            string ok = string.Join(",", System.Linq.Enumerable.Repeat("x", ConfigValue.MaxListItems));
            Assert.Equal(ConfigValue.MaxListItems, ConfigValue.SplitList(ok)!.Length);
            Assert.Null(ConfigValue.SplitList(ok + ",y"));
        }
    }
}
