using System;
using System.Collections.Generic;
using System.Text;
using NanoMailGateway.Core.Pop3;
using Xunit;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3DotStufferTests
    {
        // Reference: stuff the whole message at once, as RFC 1939 §3 describes it.
        private static string Reference(string message, int bodyLines)
        {
            var lines = new List<string>();
            int i = 0;
            while (i < message.Length)
            {
                int lf = message.IndexOf('\n', i);
                int end = lf < 0 ? message.Length : lf + 1;
                lines.Add(message.Substring(i, end - i));
                i = end;
            }
            var sb = new StringBuilder();
            bool inBody = false;
            int left = bodyLines;
            foreach (string l in lines)
            {
                if (bodyLines >= 0 && inBody)
                {
                    if (left == 0) break;
                    left--;
                }
                sb.Append(l.StartsWith('.') ? "." + l : l);
                if (!inBody && (l == "\r\n" || l == "\n")) inBody = true;
            }
            return sb.ToString();
        }

        private static string Run(string message, int bodyLines, int chunk)
        {
            var s = new Pop3DotStuffer();
            s.Begin(bodyLines);
            byte[] src = Encoding.Latin1.GetBytes(message);
            var output = new StringBuilder();
            byte[] buf = new byte[chunk * 2];
            for (int pos = 0; pos < src.Length && !s.Done; pos += chunk)
            {
                int n = Math.Min(chunk, src.Length - pos);
                Array.Copy(src, pos, buf, chunk, n);
                int w = s.Stuff(buf, chunk, n, 0);   // in place, as the session does
                output.Append(Encoding.Latin1.GetString(buf, 0, w));
            }
            return output.ToString();
        }

        public static IEnumerable<object[]> Cases()
        {
            string[] messages =
            {
                "Subject: a\r\n\r\nbody\r\n",
                ".starts with a dot\r\n\r\n.\r\n..\r\n.x\r\nx.\r\n",
                "A: b\r\nC: d\r\n\r\nl1\r\n.l2\r\nl3\r\n\r\nl5\r\n",
                "no blank line\r\n.dot\r\n",
                "\r\n.body only\r\nline 2\r\n",
                "",
                "...\r\n....\r\n\r\n...\r\n",
            };
            int[] chunks = { 1, 2, 3, 5, 7, 64 };
            int[] limits = { -1, 0, 1, 2, 10 };
            foreach (string m in messages)
                foreach (int c in chunks)
                    foreach (int l in limits)
                        yield return new object[] { m, l, c };
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Stuffing_and_top_do_not_depend_on_chunk_boundaries(string message, int bodyLines, int chunk)
        {
            Assert.Equal(Reference(message, bodyLines), Run(message, bodyLines, chunk));
        }

        [Theory]
        [InlineData("a\r\n", true)]
        [InlineData("a", false)]
        [InlineData("", true)]
        public void AtLineStart_tells_which_terminator_is_needed(string message, bool atLineStart)
        {
            var s = new Pop3DotStuffer();
            s.Begin(-1);
            byte[] b = new byte[16];
            Encoding.Latin1.GetBytes(message, 0, message.Length, b, 8);
            s.Stuff(b, 8, message.Length, 0);
            Assert.Equal(atLineStart, s.AtLineStart);
        }
    }
}
