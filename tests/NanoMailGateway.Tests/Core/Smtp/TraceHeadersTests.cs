// TraceHeaders: the RFC 5322 §3.3 date-time for every day-name and month-name (the names
// are cut from one string constant each), numbers with and without leading zeros, and
// the fields as written piece by piece through IFieldWriter.

using System;
using System.Globalization;
using System.Text;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class TraceHeadersTests
    {
        /// <summary>Collects what TraceHeaders writes; numbers as the sink writes them (no culture).</summary>
        private sealed class Collect : IFieldWriter
        {
            public readonly StringBuilder Text_ = new StringBuilder();
            public void Text(string text) => Text_.Append(text);
            public void Text(string text, int start, int count) => Text_.Append(text, start, count);
            public void Number(long value, int digits) => Text_.Append(value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
        }

        private static string DateTimeText(DateTime d)
        {
            var c = new Collect();
            TraceHeaders.DateTimeText(c, d);
            return c.Text_.ToString();
        }

        [Fact]
        public void EveryDayAndMonthName()
        {
            // Seven days in a row give every day-name; the 28th of each month every month-name.
            for (int day = 0; day < 7; day++)
            {
                DateTime d = new DateTime(2026, 1, 1 + day, 8, 5, 9, DateTimeKind.Utc);
                Assert.Equal(d.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000", DateTimeText(d));
            }
            for (int month = 1; month <= 12; month++)
            {
                DateTime d = new DateTime(2026, month, 28, 23, 59, 0, DateTimeKind.Utc);
                Assert.Equal(d.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000", DateTimeText(d));
            }
            Assert.Equal("Sat, 28 Nov 2026 13:50:21 +0000", DateTimeText(new DateTime(2026, 11, 28, 13, 50, 21, DateTimeKind.Utc)));
        }

        [Fact]
        public void ReceivedNamesTheClientLiteralAndTheSingleRecipient()
        {
            var c = new Collect();
            var at = new DateTime(2026, 11, 28, 13, 50, 21, DateTimeKind.Utc);
            TraceHeaders.Received(c, "sensor", "2001:db8::7", "gw.example", "ESMTP", "0000001b", "ops@example.com", at);
            Assert.Equal("Received: from sensor ([IPv6:2001:db8::7])\r\n\tby gw.example (NanoMailGateway) with ESMTP id 0000001b\r\n"
                + "\tfor <ops@example.com>; Sat, 28 Nov 2026 13:50:21 +0000\r\n", c.Text_.ToString());
            c = new Collect();
            TraceHeaders.Received(c, "", "192.0.2.7", "gw.example", "SMTP", "0000001c", null, at);
            Assert.StartsWith("Received: from unknown ([192.0.2.7])\r\n", c.Text_.ToString());
            Assert.EndsWith("id 0000001c\r\n\t; Sat, 28 Nov 2026 13:50:21 +0000\r\n", c.Text_.ToString());
        }

        [Theory]
        [InlineData(0, 1, "0")]
        [InlineData(7, 2, "07")]
        [InlineData(10, 2, "10")]
        [InlineData(2026, 4, "2026")]
        [InlineData(1795887021L, 1, "1795887021")]
        [InlineData(999, 1, "999")]
        [InlineData(1000, 1, "1000")]
        public void TheSinkWritesNumbersWithoutAString(long value, int digits, string expected)
        {
            // MessageSink's own Number, into a store's writer with a tiny unit (many hand-overs).
            var store = new TinyMessageStore { UnitSize = 3 };
            var writer = store.BeginMessage(new NanoMailGateway.Core.Queue.Envelope("a@b"))!;
            var sink = new MessageSink();
            sink.Begin(writer, null, null, default, null, 1000);
            sink.Number(value, digits);
            sink.Finish();
            writer.Commit();
            Assert.Equal(expected, store.Committed()[0].Text);
        }
    }
}
