// RFC 5322 §3.3 date-time for Date:, Arrival-Date: and friends, always in UTC:
//   "Sat, 28 Nov 2026 12:00:00 +0000"
// Computed from DateTime.Ticks, because nanoFramework's DateTime formatting supports
// few patterns and its DayOfWeek cannot be relied on; no culture is involved.

using System;

namespace NanoMailGateway.Core.Text
{
    /// <summary>Formats UTC times as RFC 5322 date-time (allocates the string).</summary>
    public static class Rfc5322Date
    {
        private static readonly string[] Days = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
        private static readonly string[] Months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        /// <summary>"Sat, 28 Nov 2026 12:00:00 +0000" for a UTC time.</summary>
        public static string Format(DateTime utc)
        {
            long days = utc.Ticks / TimeSpan.TicksPerDay;
            // 0001-01-01 (day 0) was a Monday.
            string day = Days[(int)((days + 1) % 7)];
            return day + ", " + utc.Day.ToString() + " " + Months[utc.Month - 1] + " " + utc.Year.ToString() + " "
                + Two(utc.Hour) + ":" + Two(utc.Minute) + ":" + Two(utc.Second) + " +0000";
        }

        private static string Two(int v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }
    }
}
