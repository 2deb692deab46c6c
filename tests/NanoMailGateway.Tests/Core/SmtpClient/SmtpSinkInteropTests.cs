using System;
using System.Linq;
using System.Text;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Emulator.Host;
using Xunit;
using static NanoMailGateway.Tests.Core.SmtpClient.ClientHarness;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    /// <summary>The client against Postfix's smtp-sink over real loopback sockets.</summary>
    public class SmtpSinkInteropTests
    {
        private static SmtpClientSession Connect(SmtpSinkPeer sink)
        {
            var conn = new HostSocketNetwork().Connect("127.0.0.1", sink.Port, 3000);
            var s = Session(conn, null, null, 4096);
            return s;
        }

        private static byte[] Lf(byte[] crlf)
        {
            return Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(crlf).Replace("\r\n", "\n"));
        }

        [SkippableFact]
        public void MessagesArriveByteExactWithDotsEightBitAndLength()
        {
            using var sink = new SmtpSinkPeer();
            byte[] dots = Encoding.Latin1.GetBytes("Subject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\nend.\r\n...\r\n");
            byte[] eight = Encoding.Latin1.GetBytes("Subject: 8bit\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\u00e9 \u00ff\u00fe\u0080\r\n");
            var sb = new StringBuilder("Subject: long\r\n\r\n");
            for (int i = 0; i < 20000; i++) sb.Append(i % 7 == 0 ? "." : "").Append("line ").Append(i).Append(" of a long message, 0123456789abcdef\r\n");
            byte[] longMsg = Encoding.Latin1.GetBytes(sb.ToString());
            var s = Connect(sink);
            Assert.True(s.Open(), s.Failure?.Describe());
            Assert.True(s.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            foreach (byte[] m in new[] { dots, eight, longMsg })
            {
                var env = new Envelope("alerts@gw.test") { EightBitMime = m == eight };
                var r = s.Deliver(env, Rcpts("a@x.test", "b@x.test"), new BytesContent(m, 1000));
                Assert.Equal("Sent:250:2.0.0 Sent:250:2.0.0", Outcomes(r));
            }
            s.Quit();
            var got = sink.Messages(3);
            Assert.Equal(3, got.Count);
            Assert.True(longMsg.Length > 900_000);
            // smtp-sink names its files with a random suffix: find each message by its subject.
            byte[] Find(string subject) => got.Single(m => Encoding.Latin1.GetString(m).StartsWith("Subject: " + subject + "\n", StringComparison.Ordinal));
            Assert.Equal(Lf(dots), Find("dots"));
            Assert.Equal(Lf(eight), Find("8bit"));
            Assert.Equal(Lf(longMsg), Find("long"));
        }

        [SkippableTheory]
        [InlineData("-r", "RCPT", DeliveryOutcome.Transient, 450, "4.3.0", true)]
        [InlineData("-f", "RCPT", DeliveryOutcome.Permanent, 500, "5.3.0", true)]
        [InlineData("-r", "DATA", DeliveryOutcome.Transient, 450, "4.3.0", true)]
        [InlineData("-f", ".", DeliveryOutcome.Permanent, 500, "5.3.0", true)]
        [InlineData("-r", "MAIL", DeliveryOutcome.Transient, 450, "4.3.0", true)]
        [InlineData("-Q", "RCPT", DeliveryOutcome.Transient, 421, "4.0.0", false)]
        [InlineData("-q", ".", DeliveryOutcome.Transient, 0, "4.4.2", false)]
        public void FaultSwitchesGiveTheExpectedOutcome(string option, string command, DeliveryOutcome outcome, int code, string enhanced, bool usable)
        {
            using var sink = new SmtpSinkPeer(option, command);
            var s = Connect(sink);
            Assert.True(s.Open(), s.Failure?.Describe());
            var r = s.Deliver(new Envelope("alerts@gw.test"), Rcpts("a@x.test", "b@x.test"), new BytesContent("Subject: x\r\n\r\nbody\r\n"));
            Assert.All(r.Statuses, st =>
            {
                Assert.Equal(outcome, st.Outcome);
                Assert.Equal(code, st.ReplyCode);
                Assert.Equal(enhanced, st.EnhancedCode);
            });
            Assert.Equal(usable, r.ConnectionUsable);
            if (usable)
            {
                // RSET (or nothing, after the final dot) leaves the session ready for the next message.
                var r2 = s.Deliver(new Envelope("alerts@gw.test"), Rcpts("c@x.test"), new BytesContent("Subject: y\r\n\r\nbody\r\n"));
                Assert.Equal(outcome, r2.Statuses[0].Outcome);
            }
            s.Quit();
        }
    }
}
