// PIPELINING (RFC 2920): a batch split at every byte boundary gives the same replies,
// and replies go out in one send per batch (flushed when the input buffer is empty).

using System;
using System.Collections.Generic;
using System.Text;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Smtp;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpPipeliningTests : SmtpTranscriptTests
    {
        private const string Batch = "EHLO p\r\nMAIL FROM:<a@sensor.example>\r\nRCPT TO:<x@gw.example.net>\r\nRCPT TO:<y@remote.example>\r\n"
            + "RCPT TO:<z@local.example>\r\nDATA\r\nSubject: p\r\n\r\n..dot\r\nbody\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nDATA\r\n.\r\nRSET\r\nQUIT\r\n";

        // Delivers the input to the server in exactly two reads split at a chosen byte, and
        // records each Send as one packet.
        private sealed class SplitConnection : IConnection
        {
            private readonly byte[] _input;
            private readonly int _split;
            private int _pos;
            public readonly List<string> Sends = new List<string>();

            public SplitConnection(byte[] input, int split) { _input = input; _split = split; }
            public string RemoteAddress => SmtpHarness.Untrusted;
            public int RemotePort => 1;
            public string LocalAddress => "192.0.2.1";
            public bool IsSecure => false;

            public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
            {
                int limit = _pos < _split ? _split : _input.Length;
                int n = Math.Min(count, limit - _pos);
                if (n <= 0) return 0;
                Array.Copy(_input, _pos, buffer, offset, n);
                _pos += n;
                return n;
            }

            public void Send(byte[] buffer, int offset, int count, int timeoutMs)
            {
                Sends.Add(Encoding.Latin1.GetString(buffer, offset, count));
            }

            public void Close() { }
        }

        private (string replies, int sends, SmtpHarness h) Run(int split)
        {
            var h = NewHarness();
            byte[] input = Encoding.Latin1.GetBytes(Batch);
            var c = new SplitConnection(input, split);
            SmtpServerSession s = h.CreateServer().CreateSession(c, 1)!;
            s.Run();
            return (string.Concat(c.Sends), c.Sends.Count, h);
        }

        [Fact]
        public void EveryByteBoundaryGivesTheSameTranscriptAndMessages()
        {
            var (whole, sends, h0) = Run(0);
            Assert.Equal("220 250 250 250 554 250 354 250 250 250 354 250 250 221", SmtpHarness.CodeString(whole));
            if (whole.Length - Greeting(whole).Length <= BufferSize) Assert.Equal(2, sends); // greeting, then the whole batch's replies in one send
            AssertPackedInOrder(whole);
            Assert.Equal(2, h0.Store.Committed().Length);
            for (int split = 1; split < Batch.Length; split++)
            {
                var (t, _, h) = Run(split);
                Assert.Equal(SmtpHarness.CodeString(whole), SmtpHarness.CodeString(t));
                Assert.Equal(2, h.Store.Committed().Length);
                Assert.Equal(h0.Store.Committed()[0].Text, h.Store.Committed()[0].Text);
                Assert.Equal(h0.Store.Committed()[1].Text, h.Store.Committed()[1].Text);
                Assert.Equal(2, h.Store.Committed()[0].Envelope.RecipientCount);
            }
        }

        private static string Greeting(string transcript) => transcript.Substring(0, transcript.IndexOf("\r\n", StringComparison.Ordinal) + 2);

        // The first whole reply (all its lines) at the start of a send.
        private static string FirstReply(string send)
        {
            int start = 0;
            while (true)
            {
                int eol = send.IndexOf("\r\n", start, StringComparison.Ordinal);
                bool last = send[start + 3] != '-';
                start = eol + 2;
                if (last) return send.Substring(0, start);
            }
        }

        // The batch (read whole) sends the greeting alone, then its replies in as few sends as
        // the reply buffer allows: each send is full up to the next reply, which did not fit.
        private void AssertPackedInOrder(string whole)
        {
            var c = new SplitConnection(Encoding.Latin1.GetBytes(Batch), 0);
            NewHarness().CreateServer().CreateSession(c, 1)!.Run();
            Assert.Equal(whole, string.Concat(c.Sends));
            Assert.Equal(Greeting(whole), c.Sends[0]);
            for (int i = 1; i < c.Sends.Count; i++)
            {
                Assert.True(c.Sends[i].Length <= BufferSize, "send " + i + " is longer than the reply buffer");
                if (i + 1 < c.Sends.Count) Assert.True(c.Sends[i].Length + FirstReply(c.Sends[i + 1]).Length > BufferSize, "send " + i + " left early");
            }
        }

        [Fact]
        public void RepliesOfABatchLeaveInOneSend()
        {
            var h = NewHarness();
            var c = new SplitConnection(Encoding.Latin1.GetBytes("EHLO a\r\nNOOP\r\nNOOP\r\nNOOP\r\nQUIT\r\n"), 0);
            h.CreateServer().CreateSession(c, 1)!.Run();
            Assert.Equal(2, c.Sends.Count);
            Assert.Equal("250 250 250 250 221", SmtpHarness.CodeString(c.Sends[1]));
        }
    }
}
