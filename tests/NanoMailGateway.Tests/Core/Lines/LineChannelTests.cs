// LineChannel, the one line reader and writer: framing across split and pipelined reads,
// over-long lines reported once after their LF, the deadline from a line's first octet
// (a drip of one octet every few seconds), notAfter keeping a partial line, replies sent
// before a read blocks, raw Receive/Consume, Reset after TLS, output longer than the buffer.
// Time is a StepClock that the scripted connection moves as its chunks "arrive".

using System;
using System.Collections.Generic;
using System.Text;
using NanoMailGateway.Core.Lines;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Lines
{
    public class LineChannelTests
    {
        /// <summary>Hands out scripted chunks, each after its delay on the test clock; records sends and the order of events.</summary>
        private sealed class ScriptedConnection : IConnection
        {
            private readonly StepClock _clock;
            private readonly Queue<(int DelayMs, byte[] Bytes)> _chunks = new Queue<(int, byte[])>();
            private int _waited;

            public ScriptedConnection(StepClock clock) { _clock = clock; }

            public List<string> Events { get; } = new List<string>();
            public string RemoteAddress => "192.0.2.1";
            public int RemotePort => 1;
            public string LocalAddress => "192.0.2.2";
            public bool IsSecure => false;
            public bool CloseAtEnd { get; set; }

            public ScriptedConnection Then(int delayMs, string text)
            {
                _chunks.Enqueue((delayMs, Encoding.ASCII.GetBytes(text)));
                return this;
            }

            public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
            {
                if (_chunks.Count == 0)
                {
                    if (CloseAtEnd) return ConnectionResult.Closed;
                    _clock.Advance(TimeSpan.FromMilliseconds(timeoutMs));
                    Events.Add("timeout " + timeoutMs);
                    return ConnectionResult.TimedOut;
                }
                var (delay, bytes) = _chunks.Peek();
                if (delay - _waited > timeoutMs)
                {
                    _waited += timeoutMs;
                    _clock.Advance(TimeSpan.FromMilliseconds(timeoutMs));
                    Events.Add("timeout " + timeoutMs);
                    return ConnectionResult.TimedOut;
                }
                _clock.Advance(TimeSpan.FromMilliseconds(delay - _waited));
                _waited = 0;
                int n = Math.Min(count, bytes.Length);
                Array.Copy(bytes, 0, buffer, offset, n);
                _chunks.Dequeue();
                if (n < bytes.Length)
                {
                    var rest = new Queue<(int, byte[])>();
                    rest.Enqueue((0, bytes[n..]));
                    while (_chunks.Count > 0) rest.Enqueue(_chunks.Dequeue());
                    while (rest.Count > 0) _chunks.Enqueue(rest.Dequeue());
                }
                Events.Add("recv " + n);
                return n;
            }

            public void Send(byte[] buffer, int offset, int count, int timeoutMs)
            {
                Events.Add("send " + Encoding.ASCII.GetString(buffer, offset, count));
            }

            public void Close() { }
        }

        private readonly StepClock _clock = new StepClock();

        private LineChannel Channel(ScriptedConnection c, int inSize = 64, int outSize = 64)
        {
            return new LineChannel(c, new byte[inSize], new byte[outSize], _clock, 1000);
        }

        private static string Line(LineChannel ch) => Encoding.ASCII.GetString(ch.Input, ch.LineStart, ch.LineLength);

        [Fact]
        public void Lines_split_and_pipelined_are_framed_in_place()
        {
            var c = new ScriptedConnection(_clock).Then(0, "EHLO a").Then(0, "\r\nNOOP\r\nQUIT\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("EHLO a", Line(ch));
            Assert.Equal(8, ch.LineOctets);
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("NOOP", Line(ch));
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("QUIT", Line(ch));   // bare LF ends a line too
            Assert.Equal(5, ch.LineOctets);
            Assert.Equal(new[] { "recv 6", "recv 13" }, c.Events);
        }

        [Theory]
        [InlineData(10, "12345678\r\n", LineResult.Line)]
        [InlineData(10, "123456789\r\n", LineResult.TooLong)]
        [InlineData(10, "1234567890123456789012345678901234567890\r\n", LineResult.TooLong)]
        public void The_limit_counts_the_terminator(int limit, string text, LineResult expected)
        {
            var ch = Channel(new ScriptedConnection(_clock).Then(0, text));
            Assert.Equal(expected, ch.ReadLine(limit, 1000, long.MaxValue));
        }

        [Fact]
        public void An_over_long_line_is_drained_to_its_LF_and_reported_once()
        {
            string longLine = new string('x', 200);
            var c = new ScriptedConnection(_clock).Then(0, longLine.Substring(0, 70)).Then(0, longLine.Substring(70)).Then(0, "\r\nNOOP\r\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.TooLong, ch.ReadLine(32, 1000, long.MaxValue));
            Assert.Equal(LineResult.Line, ch.ReadLine(32, 1000, long.MaxValue));
            Assert.Equal("NOOP", Line(ch));
        }

        [Fact]
        public void A_drip_of_one_octet_every_five_seconds_times_out_at_the_deadline_from_the_first_octet()
        {
            // Each read would be within a 10 s read timeout; the line as a whole is not.
            var c = new ScriptedConnection(_clock).Then(5000, "N").Then(5000, "O").Then(5000, "O").Then(5000, "P").Then(5000, "\r\n");
            var ch = Channel(c);
            long start = _clock.MonotonicMilliseconds;
            Assert.Equal(LineResult.TimedOut, ch.ReadLine(512, 10_000, long.MaxValue));
            Assert.Equal(15_000, _clock.MonotonicMilliseconds - start);   // first octet at 5 s, + 10 s
        }

        [Fact]
        public void An_endless_over_long_line_is_cut_by_the_same_deadline()
        {
            var c = new ScriptedConnection(_clock);
            for (int i = 0; i < 100; i++) c.Then(1000, new string('x', 40));
            var ch = Channel(c);
            long start = _clock.MonotonicMilliseconds;
            Assert.Equal(LineResult.TimedOut, ch.ReadLine(32, 10_000, long.MaxValue));
            Assert.Equal(11_000, _clock.MonotonicMilliseconds - start);
        }

        [Fact]
        public void An_idle_wait_ends_after_the_timeout()
        {
            var ch = Channel(new ScriptedConnection(_clock));
            long start = _clock.MonotonicMilliseconds;
            Assert.Equal(LineResult.TimedOut, ch.ReadLine(512, 7000, long.MaxValue));
            Assert.Equal(7000, _clock.MonotonicMilliseconds - start);
        }

        [Fact]
        public void A_wait_cut_by_notAfter_keeps_the_partial_line()
        {
            var c = new ScriptedConnection(_clock).Then(0, "250-fir").Then(3000, "st\r\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.TimedOut, ch.ReadLine(512, int.MaxValue, _clock.MonotonicMilliseconds + 1000));
            Assert.Equal(LineResult.Line, ch.ReadLine(512, int.MaxValue, _clock.MonotonicMilliseconds + 5000));
            Assert.Equal("250-first", Line(ch));
        }

        [Fact]
        public void Closed_is_reported()
        {
            var ch = Channel(new ScriptedConnection(_clock) { CloseAtEnd = true }.Then(0, "QU"));
            Assert.Equal(LineResult.Closed, ch.ReadLine(512, 1000, long.MaxValue));
        }

        [Fact]
        public void Replies_are_sent_only_when_a_read_would_block()
        {
            var c = new ScriptedConnection(_clock).Then(0, "MAIL\r\nRCPT\r\n").Then(0, "DATA\r\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            ch.Append("250 a");
            ch.EndLine();
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));   // buffered: no send yet
            ch.Append("250 b");
            ch.EndLine();
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal(new[] { "recv 12", "send 250 a\r\n250 b\r\n", "recv 6" }, c.Events);
        }

        [Fact]
        public void Content_is_received_and_consumed_raw_in_the_same_buffer()
        {
            var c = new ScriptedConnection(_clock).Then(0, "A1 APPEND x {5}\r\nhel").Then(0, "lo\r\nA2 NOOP\r\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("A1 APPEND x {5}", Line(ch));
            var literal = new StringBuilder();
            int need = 5;
            while (need > 0)
            {
                if (ch.Available == 0) Assert.True(ch.Receive(1000) > 0);
                int n = Math.Min(need, ch.Available);
                literal.Append(Encoding.ASCII.GetString(ch.Input, ch.Start, n));
                ch.Consume(n);
                need -= n;
            }
            Assert.Equal("hello", literal.ToString());
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("", Line(ch));   // the CRLF that ends the command after its literal
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("A2 NOOP", Line(ch));
        }

        [Fact]
        public void Keep_holds_a_command_split_by_a_literal_in_place_across_compaction()
        {
            // 48 octets in a 64-octet buffer: the second line only fits once the first part
            // and the literal move to the front, together.
            var c = new ScriptedConnection(_clock).Then(0, "A1 NOOP\r\nA2 LOGIN {4}\r\n").Then(0, "ab").Then(0, "cd \"").Then(0, new string('p', 30) + "\"\r\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.Line, ch.ReadLine(64, 1000, long.MaxValue));
            Assert.Equal(LineResult.Line, ch.ReadLine(64, 1000, long.MaxValue));
            ch.Keep(ch.LineStart);
            while (ch.Available < 4) Assert.True(ch.Receive(1000) > 0);
            ch.Consume(4);
            Assert.Equal(LineResult.Line, ch.ReadLine(64 - (ch.Start - ch.Kept), 1000, long.MaxValue));
            Assert.Equal(0, ch.Kept);
            string command = Encoding.ASCII.GetString(ch.Input, ch.Kept, ch.LineStart + ch.LineLength - ch.Kept);
            Assert.Equal("A2 LOGIN {4}\r\nabcd \"" + new string('p', 30) + "\"", command);
            ch.Keep(-1);
            Assert.Equal(-1, ch.Kept);
        }

        [Fact]
        public void An_over_long_line_keeps_its_head_and_its_last_octets()
        {
            // The head carries an IMAP tag; the end a literal announcement.
            var c = new ScriptedConnection(_clock).Then(0, "tag7 LOGIN " + new string('x', 60)).Then(0, new string('y', 50)).Then(0, "z {12+}\r\n");
            var ch = Channel(c);
            Assert.Equal(LineResult.TooLong, ch.ReadLine(64, 1000, long.MaxValue));
            string kept = Line(ch);
            Assert.StartsWith("tag7 LOGIN xxxxxxxxxxxxxxxxxxxxx", kept);
            Assert.EndsWith("z {12+}", kept);
            Assert.True(kept.Length < 64);
        }

        [Fact]
        public void Reset_drops_what_was_read_and_not_sent_before_it()
        {
            var plain = new ScriptedConnection(_clock).Then(0, "STARTTLS\r\nRSET\r\n");
            var secure = new ScriptedConnection(_clock).Then(0, "EHLO b\r\n");
            var ch = Channel(plain);
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            ch.Append("unsent");
            ch.Reset(secure);
            Assert.Equal(0, ch.Available);
            Assert.Equal(0, ch.OutputLength);
            Assert.Equal(LineResult.Line, ch.ReadLine(512, 1000, long.MaxValue));
            Assert.Equal("EHLO b", Line(ch));   // the injected RSET is gone (CVE-2011-0411)
            Assert.Same(secure, ch.Connection);
        }

        [Fact]
        public void Text_longer_than_the_output_buffer_goes_out_in_pieces()
        {
            var c = new ScriptedConnection(_clock);
            var ch = Channel(c, outSize: 16);
            string text = "250-" + new string('a', 40);
            ch.Append(text);
            ch.EndLine();
            ch.Flush();
            var sent = new StringBuilder();
            foreach (string e in c.Events) sent.Append(e.Substring("send ".Length));
            Assert.Equal(text + "\r\n", sent.ToString());
            Assert.True(c.Events.Count >= 3);
        }

        [Fact]
        public void EnsureRoom_sends_first_and_refuses_what_cannot_fit()
        {
            var c = new ScriptedConnection(_clock);
            var ch = Channel(c, outSize: 16);
            ch.Append("0123456789");
            Assert.True(ch.EnsureRoom(10, 1000));
            Assert.Equal(new[] { "send 0123456789" }, c.Events);
            Assert.False(ch.EnsureRoom(17, 1000));
        }
    }
}
