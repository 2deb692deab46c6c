// DotReader: end of data only at <CRLF>.<CRLF>, unstuffing, line-end normalisation,
// and how many bytes it consumed (the rest are the next pipelined commands).

using System;
using System.Text;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class DotReaderTests
    {
        private static (string content, bool done, int consumed) Decode(string input, int split = 0)
        {
            var store = new TinyMessageStore { UnitSize = 7 }; // tiny writer buffer: many hand-overs
            var env = new NanoMailGateway.Core.Queue.Envelope("a@b");
            var writer = store.BeginMessage(env)!;
            var sink = new MessageSink();
            var reader = new DotReader(sink);
            sink.Begin(writer, null, null, default, null, 1_000_000);
            reader.Reset();
            byte[] b = Encoding.Latin1.GetBytes(input);
            int consumed = 0;
            if (split > 0 && split < b.Length)
            {
                consumed = reader.Feed(b, 0, split);
                if (!reader.IsDone) consumed += reader.Feed(b, split, b.Length - split);
            }
            else
            {
                consumed = reader.Feed(b, 0, b.Length);
            }
            sink.Finish();
            writer.Commit();
            return (store.Committed()[0].Text, reader.IsDone, consumed);
        }

        [Theory]
        [InlineData("a\r\n.\r\n", "a\r\n", 6)]
        [InlineData(".\r\n", "", 3)]
        [InlineData("a\r\n.\r\nQUIT\r\n", "a\r\n", 6)]
        [InlineData("..a\r\n.\r\n", ".a\r\n", 8)]
        [InlineData("a\r\n..\r\n.\r\n", "a\r\n.\r\n", 10)]
        [InlineData("a\r\n.b\r\n.\r\n", "a\r\nb\r\n", 10)]
        [InlineData("a\nb\r\n.\r\n", "a\r\nb\r\n", 8)]               // bare LF -> CRLF
        [InlineData("a\rb\r\n.\r\n", "a\r\nb\r\n", 8)]               // bare CR -> CRLF
        [InlineData("a\r\rb\r\n.\r\n", "a\r\n\r\nb\r\n", 9)]
        [InlineData("a\n.\n\r\n.\r\n", "a\r\n.\r\n\r\n", 9)]        // <LF>.<LF> is content, then a real end
        public void Decodes(string input, string content, int consumed)
        {
            var r = Decode(input);
            Assert.True(r.done);
            Assert.Equal(content, r.content);
            Assert.Equal(consumed, r.consumed);
        }

        [Theory]
        [InlineData("a\n.\nb")]
        [InlineData("a\n.\r\nb")]
        [InlineData("a\r.\rb")]
        [InlineData("a\r\n.\nb")]
        [InlineData("a\r.\r\nb")]
        [InlineData("a\r\n.\rb")]
        [InlineData("a\r\n\0.\r\nb")]
        [InlineData("a\r\n.\0\r\nb")]
        [InlineData("a\r\n .\r\nb")]
        [InlineData("a\r\n.\r \nb")]
        [InlineData("a\n\r.\r\nb")]
        public void NonStandardEndsAreContent(string input)
        {
            var r = Decode(input);
            Assert.False(r.done);
            Assert.Equal(input.Length, r.consumed);
            Assert.EndsWith("b", r.content);
            Assert.DoesNotContain("\r\r", r.content);
            // every line end is CRLF after normalisation
            Assert.Equal(r.content.Split('\n').Length - 1, r.content.Split("\r\n").Length - 1);
        }

        [Fact]
        public void SameResultAtEverySplit()
        {
            const string input = "Subject: x\r\n\r\n..one\r\ntwo\nthree\r.\r\n.\r\nNOOP\r\n";
            var whole = Decode(input);
            for (int i = 1; i < input.Length; i++)
            {
                var r = Decode(input, i);
                Assert.Equal(whole.content, r.content);
                Assert.Equal(whole.done, r.done);
                Assert.Equal(input.IndexOf("NOOP", StringComparison.Ordinal), r.consumed);
            }
        }
    }
}
