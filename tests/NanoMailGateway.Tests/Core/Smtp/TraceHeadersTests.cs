// TraceHeaders.FormatDate: RFC 5322 §3.3 date-time for every day-name and month-name
// (the names are cut from one string constant each).

using System;
using System.Globalization;
using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class TraceHeadersTests
    {
        [Fact]
        public void EveryDayAndMonthName()
        {
            // Seven days in a row give every day-name; the 28th of each month every month-name.
            for (int day = 0; day < 7; day++)
            {
                DateTime d = new DateTime(2026, 1, 1 + day, 8, 5, 9, DateTimeKind.Utc);
                Assert.Equal(d.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000", TraceHeaders.FormatDate(d));
            }
            for (int month = 1; month <= 12; month++)
            {
                DateTime d = new DateTime(2026, month, 28, 23, 59, 0, DateTimeKind.Utc);
                Assert.Equal(d.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000", TraceHeaders.FormatDate(d));
            }
            Assert.Equal("Sat, 28 Nov 2026 13:50:21 +0000", TraceHeaders.FormatDate(new DateTime(2026, 11, 28, 13, 50, 21, DateTimeKind.Utc)));
        }
    }
}
