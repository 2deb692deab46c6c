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
            var s = ClientHarness.Session(srv.Client, dataBufferSize: 16);
            Assert.True(s.Open());
            var r = s.Deliver(new NanoMailGateway.Core.Queue.Envelope("a@b.test"), ClientHarness.Rcpts("c@d.test"), new BytesContent(msg, chunk));
            Assert.Equal(NanoMailGateway.Core.SmtpClient.DeliveryOutcome.Sent, r.Statuses[0].Outcome);
            Assert.Equal("Subject: dots\r\n\r\n..\r\n...\r\n..leading\r\nmid.dle\r\n....\r\n..\r\n.\r\n", Encoding.Latin1.GetString(srv.Messages[0]));
        }
    }
}
