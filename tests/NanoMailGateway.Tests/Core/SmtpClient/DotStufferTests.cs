using System;
using System.Text;
using NanoMailGateway.Core.SmtpClient;
using Xunit;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class DotStufferTests
    {
        // input -> wire bytes (content + ".\r\n")
        public static TheoryData<string, string> Cases => new TheoryData<string, string>
        {
            { "a\r\n", "a\r\n.\r\n" },
            { ".\r\n", "..\r\n.\r\n" },
            { "..\r\n", "...\r\n.\r\n" },
            { "a\r\n.b\r\n", "a\r\n..b\r\n.\r\n" },
            { "a\r\n.", "a\r\n..\r\n.\r\n" },                  // ends in '.', no CRLF
            { "no line end", "no line end\r\n.\r\n" },          // CRLF added before the dot
            { "", ".\r\n" },
            { "a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n" },        // dots not at a line start stay single
            { "\r\n.\r\n", "\r\n..\r\n.\r\n" },                 // an embedded end-of-data is stuffed
            { "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n" },             // bare LF becomes CRLF (smuggling)
            { "a\r.\rb\r", "a\r\n..\r\nb\r\n.\r\n" },           // bare CR gets its LF
            { "\r\n\r\n", "\r\n\r\n.\r\n" },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void StuffsAcrossEveryChunkBoundary(string input, string expected)
        {
            byte[] inBytes = Encoding.Latin1.GetBytes(input);
            foreach (int chunk in new[] { 1, 2, 3, 5, 1024 })
            {
                foreach (int outRoom in new[] { 4, 5, 9, 4096 })
                {
                    Assert.Equal(expected, Run(inBytes, chunk, outRoom));
                }
            }
        }

        private static string Run(byte[] input, int chunk, int outRoom)
        {
            var st = new DotStuffer();
            var sb = new StringBuilder();
            byte[] output = new byte[outRoom];
            for (int pos = 0; pos < input.Length; pos += chunk)
            {
                int n = System.Math.Min(chunk, input.Length - pos);
                int off = 0;
                while (off < n)
                {
                    int w = st.Encode(input, pos + off, n - off, output, 0, output.Length, out int consumed);
                    Assert.True(consumed > 0 || outRoom < DotStuffer.MaxExpansion);
                    off += consumed;
                    sb.Append(Encoding.Latin1.GetString(output, 0, w));
                }
            }
            byte[] fin = new byte[DotStuffer.MaxFinishBytes];
            sb.Append(Encoding.Latin1.GetString(fin, 0, st.Finish(fin, 0)));
            return sb.ToString();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(7)]
        [InlineData(100)]
        public void SessionStuffsWhenTheQueueHandsOutSmallChunks(int chunk)
        {
            // A '.' as the last byte of a chunk and as the first byte of the next.
            string msg = "Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmid.dle\r\n...\r\n.";
            using var srv = new ScriptedSmtpServer();
            srv.Start();
            var s = ClientHarness.Session(srv.Client, sendBufferSize: 1024); // the smallest: the message is read into it
            Assert.True(s.Open());
            var r = s.Deliver(new NanoMailGateway.Core.Queue.Envelope("a@b.test"), ClientHarness.Rcpts("c@d.test"), new BytesContent(msg, chunk));
            Assert.Equal(NanoMailGateway.Core.SmtpClient.DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            Assert.Equal("Subject: dots\r\n\r\n..\r\n...\r\n..leading\r\nmid.dle\r\n....\r\n..\r\n.\r\n", Encoding.Latin1.GetString(srv.Messages[0]));
        }

        // In place (the delivery session): input read into the tail of one buffer, output
        // growing from its start; the output is "sent" whenever it would reach input not yet read.
        private static string RunInPlace(byte[] input, int chunk, int size)
        {
            var st = new DotStuffer();
            var sb = new StringBuilder();
            byte[] buf = new byte[size];
            int o = 0;
            for (int pos = 0; pos < input.Length;)
            {
                int room = size - o - DotStuffer.MaxExpansion;
                if (room < 1)
                {
                    sb.Append(Encoding.Latin1.GetString(buf, 0, o));
                    o = 0;
                    room = size - DotStuffer.MaxExpansion;
                }
                int n = System.Math.Min(System.Math.Min(chunk, room), input.Length - pos);
                int at = size - n;
                Array.Fill(buf, (byte)'#', o, at - o);   // stale bytes must never reach the output
                Array.Copy(input, pos, buf, at, n);
                pos += n;
                while (at < size)
                {
                    int w = st.Encode(buf, at, size - at, buf, o, size - o, out int consumed);
                    Assert.True(o + w <= at + consumed, "output passed the input position");
                    o += w;
                    at += consumed;
                    if (at < size)
                    {
                        sb.Append(Encoding.Latin1.GetString(buf, 0, o));
                        o = 0;
                    }
                }
            }
            sb.Append(Encoding.Latin1.GetString(buf, 0, o));
            byte[] fin = new byte[DotStuffer.MaxFinishBytes];
            sb.Append(Encoding.Latin1.GetString(fin, 0, st.Finish(fin, 0)));
            return sb.ToString();
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void StuffsInPlaceInOneBuffer(string input, string expected)
        {
            byte[] inBytes = Encoding.Latin1.GetBytes(input);
            foreach (int chunk in new[] { 1, 2, 3, 5, 1024 })
            {
                foreach (int size in new[] { 4, 5, 6, 9, 4096 })
                {
                    Assert.Equal(expected, RunInPlace(inBytes, chunk, size));
                }
            }
        }

        /// <summary>What the two-buffer Encode makes of the whole message at once, ".CRLF" included.</summary>
        private static byte[] Reference(byte[] message) => Encoding.Latin1.GetBytes(Run(message, message.Length + 1, 3 * message.Length + 8));

        public static TheoryData<string, int> Bodies => new TheoryData<string, int>
        {
            { "dots", 1 }, { "dots", 7 }, { "dots", 1000 }, { "dots", int.MaxValue },
            { "cr-dot", 1 }, { "cr-dot", 333 }, { "cr-dot", int.MaxValue },
            { "text", 5 }, { "text", 4096 }, { "text", int.MaxValue },
        };

        private static byte[] Body(string kind)
        {
            var rnd = new Random(11);
            var b = new byte[kind == "text" ? 70_000 : 5_000];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = kind switch
                {
                    "cr-dot" => (byte)(i % 2 == 0 ? '\r' : '.'),                       // every byte at its largest (RFC 5321 §2.3.8, §4.5.2)
                    "dots" => (byte)".\r\n.a\xe9"[rnd.Next(0, 6)],
                    _ => (byte)(i % 71 == 70 ? '\n' : i % 71 == 69 ? '\r' : i % 71 == 0 ? '.' : 'a' + i % 26),
                };
            }
            return b;
        }

        [Theory]
        [MemberData(nameof(Bodies))]
        public void SessionReadsTheMessageIntoItsSendBufferAndSendsItStuffed(string kind, int chunk)
        {
            // Messages many times the 1024-octet send buffer, some growing by the most any byte can.
            byte[] body = Body(kind);
            using var srv = new ScriptedSmtpServer();
            srv.Start();
            var s = ClientHarness.Session(srv.Client, sendBufferSize: 1024);
            Assert.True(s.Open());
            var r = s.Deliver(new NanoMailGateway.Core.Queue.Envelope("a@b.test"), ClientHarness.Rcpts("c@d.test"), new BytesContent(body, chunk));
            Assert.Equal(NanoMailGateway.Core.SmtpClient.DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            Assert.Equal(Reference(body), srv.Messages[0]);
        }
    }
}
