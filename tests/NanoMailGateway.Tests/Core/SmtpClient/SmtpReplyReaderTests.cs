using NanoMailGateway.Core.Lines;
using NanoMailGateway.Emulator.Host;
using System.Text;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.SmtpClient;
using Xunit;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class SmtpReplyReaderTests
    {
        [Theory]
        [InlineData("250 2.1.0 Ok\r\n", 250, "2.1.0", true, "Ok", 1)]
        [InlineData("550 no such user\r\n", 550, "5.0.0", false, "no such user", 1)]
        [InlineData("450-4.2.0 first\r\n450-4.2.0 second\r\n450 4.2.0 third\r\n", 450, "4.2.0", true, "first second third", 3)]
        [InlineData("250\r\n", 250, "2.0.0", false, "", 1)]
        [InlineData("250 Ok\n", 250, "2.0.0", false, "Ok", 1)]                         // bare LF accepted from servers
        [InlineData("550 4.1.1 class mismatch\r\n", 550, "5.0.0", false, "class mismatch", 1)] // RFC 2034: class must match
        [InlineData("421 4.3.2 Service not available\r\n", 421, "4.3.2", true, "Service not available", 1)]
        [InlineData("554 5.7.1 caf\u00e9\ttab\r\n", 554, "5.7.1", true, "caf? tab", 1)]
        [InlineData("552 5.3.4 Message size exceeds fixed limit\r\n", 552, "5.3.4", true, "Message size exceeds fixed limit", 1)]
        [InlineData("250 2.0.12 x\r\n", 250, "2.0.12", true, "x", 1)]
        [InlineData("250 2.0.1234 x\r\n", 250, "2.0.0", false, "2.0.1234 x", 1)]
        public void ParsesCodeEnhancedCodeAndText(string wire, int code, string enhanced, bool hasEnhanced, string text, int lines)
        {
            foreach (int split in new[] { 1, 3, 1000 })
            {
                var r = Read(wire, split);
                Assert.Equal(code, r.ReadReply(1000, null));
                Assert.Equal(enhanced, r.EnhancedCode);
                Assert.Equal(hasEnhanced, r.HasEnhancedCode);
                Assert.Equal(text, r.Text);
                Assert.Equal(lines, r.LineCount);
            }
        }

        [Theory]
        [InlineData("hello\r\n")]
        [InlineData("25\r\n")]
        [InlineData("650 x\r\n")]
        [InlineData("2a0 x\r\n")]
        public void MalformedRepliesBreakTheStream(string wire)
        {
            var r = Read(wire, 100);
            Assert.Throws<ConnectionException>(() => r.ReadReply(1000, null));
        }

        [Fact]
        public void PipelinedRepliesInOnePacketAreReadOneByOne()
        {
            var r = Read("250 2.1.0 Ok\r\n550 5.1.1 no\r\n354 go\r\n", 1000);
            Assert.Equal(250, r.ReadReply(1000, null));
            Assert.True(r.HasBufferedBytes);
            Assert.Equal(550, r.ReadReply(1000, null));
            Assert.Equal("no", r.Text);
            Assert.Equal(354, r.ReadReply(1000, null));
            Assert.False(r.HasBufferedBytes);
        }

        [Fact]
        public void TimeoutAndCloseAreConnectionFailures()
        {
            MemoryConnection.CreatePair("a", "b", out var client, out var server);
            var r = NewReader(client, 4096, 10);
            var e = Assert.Throws<ConnectionException>(() => r.ReadReply(100, null));
            Assert.Equal(ConnectionException.TimedOut, e.ErrorCode);
            server.Close();
            Assert.Throws<ConnectionException>(() => r.ReadReply(100, null));
        }

        [Fact]
        public void LineCapAndLineCountCapHold()
        {
            var r = Read("250 " + new string('a', 700) + "\r\n", 1000);
            Assert.Throws<ConnectionException>(() => r.ReadReply(1000, null));
            var many = new StringBuilder();
            for (int i = 0; i < 20; i++) many.Append("250-x\r\n");
            many.Append("250 x\r\n");
            var r2 = Read(many.ToString(), 1000, maxLines: 10);
            Assert.Throws<ConnectionException>(() => r2.ReadReply(1000, null));
        }

        private static SmtpReplyReader Read(string wire, int split, int maxLines = 64)
        {
            MemoryConnection.CreatePair("a", "b", out var client, out var server);
            byte[] b = Encoding.Latin1.GetBytes(wire);
            var t = new System.Threading.Thread(() =>
            {
                for (int i = 0; i < b.Length; i += split)
                {
                    server.Send(b, i, System.Math.Min(split, b.Length - i), 1000);
                    System.Threading.Thread.Sleep(split < 10 ? 1 : 0);
                }
            });
            t.Start();
            return NewReader(client, 4096, maxLines);
        }

        private static SmtpReplyReader NewReader(IConnection client, int maxReplyBytes, int maxLines)
        {
            var clock = new SystemClock();
            return new SmtpReplyReader(new LineChannel(client, new byte[600], new byte[600], clock, 1000), clock, maxReplyBytes, maxLines);
        }
    }
}
