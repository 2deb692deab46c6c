// RFC 5322 §3.3 date-time for Date:, Arrival-Date: and friends, always in UTC:
//   "Sat, 28 Nov 2026 12:00:00 +0000"
// Computed from DateTime.Ticks, because nanoFramework's DateTime formatting supports
// few patterns and its DayOfWeek cannot be relied on; no culture is involved.
// The day and month names are one string literal each, cut by index: a literal stays in
// the assembly's string table (flash on the board), while a static string[] would be
// built at boot and hold managed heap for the whole run on nanoCLR (ARCHITECTURE.md, Memory).

using System;

namespace NanoMailGateway.Core.Text
{
    /// <summary>Formats UTC times as RFC 5322 date-time (allocates the string).</summary>
    public static class Rfc5322Date
    {
        // RFC 5322 §3.3 day-name and month-name, three letters each.
        private const string DayNames = "SunMonTueWedThuFriSat";
        private const string MonthNames = "JanFebMarAprMayJunJulAugSepOctNovDec";

        /// <summary>"Sat, 28 Nov 2026 12:00:00 +0000" for a UTC time.</summary>
        public static string Format(DateTime utc)
        {
            long days = utc.Ticks / TimeSpan.TicksPerDay;
            // 0001-01-01 (day 0) was a Monday.
            string day = DayNames.Substring((int)((days + 1) % 7) * 3, 3);
            return day + ", " + utc.Day.ToString() + " " + MonthName(utc.Month) + " " + utc.Year.ToString() + " "
                + Two(utc.Hour) + ":" + Two(utc.Minute) + ":" + Two(utc.Second) + " +0000";
        }

        /// <summary>"Jan" .. "Dec" for month 1 .. 12 (RFC 5322 §3.3 month; also the syslog time stamp's).</summary>
        public static string MonthName(int month)
        {
            return MonthNames.Substring((month - 1) * 3, 3);
        }

        private static string Two(int v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }
    }
}
