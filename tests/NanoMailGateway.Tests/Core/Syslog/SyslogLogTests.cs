// The RFC 5424 message SyslogLog builds, byte for byte, on a socket that keeps what is
// sent: PRI from facility mail and the line's severity, the timestamp or the NILVALUE,
// MSGID the component, the 480-octet cut, and a failed send that neither throws nor stops
// the local log.

using System;
using System.Collections.Generic;
using System.Text;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Syslog;
using NanoMailGateway.SelfTest;
using Xunit;

namespace NanoMailGateway.Tests.Core.Syslog
{
    public sealed class SyslogLogTests
    {
        private sealed class KeptDatagrams : IUdpSocket
        {
            public readonly List<string> Sent = new List<string>();
            public bool Refuse;
            public int LocalPort => 40000;
            public void SendTo(byte[] buffer, int offset, int count, string address, int port)
            {
                if (Refuse) throw new ConnectionException("network unreachable", 101);
                Sent.Add(address + ":" + port + " " + Encoding.ASCII.GetString(buffer, offset, count));
            }
            public int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out string fromAddress, out int fromPort) => throw new NotSupportedException();
            public void Close() { }
        }

        [Fact]
        public void Each_line_is_one_RFC5424_message_with_facility_mail()
        {
            var socket = new KeptDatagrams();
            var local = new QuietLog(true);
            var log = new SyslogLog(local, socket, "192.0.2.5", 514, new StepClock(new DateTime(2026, 12, 4, 0, 20, 5, 123, DateTimeKind.Utc)), "gw.example");
            log.Write("smtpd", 3, "0000001b: from=<sensor@plant.example>");
            log.Write("qmgr", 0, "warning: queue 90 % full");
            log.Write("board", 0, "0000001c: fatal: queue storage failed");
            Assert.Equal(new[]
            {
                "192.0.2.5:514 <22>1 2026-12-04T00:20:05.123Z gw.example nmg - smtpd - [3] 0000001b: from=<sensor@plant.example>",
                "192.0.2.5:514 <20>1 2026-12-04T00:20:05.123Z gw.example nmg - qmgr - warning: queue 90 % full",
                "192.0.2.5:514 <19>1 2026-12-04T00:20:05.123Z gw.example nmg - board - 0000001c: fatal: queue storage failed",
            }, socket.Sent);
            Assert.True(local.Contains("from=<sensor@plant.example>"));   // the local log still gets every line
            Assert.Equal(3, log.Sent);
        }

        [Fact]
        public void Without_wall_time_the_timestamp_is_the_nilvalue_and_long_lines_are_cut_at_480_octets()
        {
            var socket = new KeptDatagrams();
            var log = new SyslogLog(new QuietLog(true), socket, "192.0.2.5", 1514, new StepClock(new DateTime(1970, 1, 1, 0, 0, 7, DateTimeKind.Utc)), "gw");
            log.Write("smtpd", 0, new string('x', 600) + "\u00e9");
            string sent = socket.Sent[0];
            Assert.StartsWith("192.0.2.5:1514 <22>1 - gw nmg - smtpd - xxx", sent, StringComparison.Ordinal);
            Assert.Equal(SyslogLog.MaxMessage, sent.Length - "192.0.2.5:1514 ".Length);
        }

        [Fact]
        public void A_refused_send_is_counted_and_never_thrown()
        {
            var socket = new KeptDatagrams { Refuse = true };
            var local = new QuietLog(true);
            var log = new SyslogLog(local, socket, "192.0.2.5", 514, new StepClock(), "gw");
            log.Write("smtpd", 1, "connect from 192.0.2.9");
            Assert.Equal(1, log.Dropped);
            Assert.True(local.Contains("connect from 192.0.2.9"));
        }
    }
}
