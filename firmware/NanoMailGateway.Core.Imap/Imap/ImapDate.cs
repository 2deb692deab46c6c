// IMAP dates (RFC 9051 §9): date-time for INTERNALDATE ("03-Dec-2026 20:05:49 +0000",
// always UTC here) and the date of SEARCH SINCE/BEFORE/ON ("3-Dec-2026", optionally
// quoted). Months are one indexed literal (no static table: ARCHITECTURE.md, Memory).

using System;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>IMAP date formats.</summary>
    internal static class ImapDate
    {
        private const string Months = "JanFebMarAprMayJunJulAugSepOctNovDec";

        /// <summary>Writes date-time with its quotes into the buffer at the offset; returns 28 (the octets written).</summary>
        internal static int WriteDateTime(DateTime utc, byte[] b, int o)
        {
            int i = o;
            b[i++] = (byte)'"';
            i = Two(utc.Day, b, i);
            b[i++] = (byte)'-';
            int m = (utc.Month - 1) * 3;
            b[i++] = (byte)Months[m];
            b[i++] = (byte)Months[m + 1];
            b[i++] = (byte)Months[m + 2];
            b[i++] = (byte)'-';
            i = Two(utc.Year / 100, b, i);
            i = Two(utc.Year % 100, b, i);
            b[i++] = (byte)' ';
            i = Two(utc.Hour, b, i);
            b[i++] = (byte)':';
            i = Two(utc.Minute, b, i);
            b[i++] = (byte)':';
            i = Two(utc.Second, b, i);
            i += Ascii.CopyTo(" +0000\"", b, i);
            return i - o;
        }

        private static int Two(int v, byte[] b, int i)
        {
            b[i] = (byte)('0' + v / 10 % 10);
            b[i + 1] = (byte)('0' + v % 10);
            return i + 2;
        }

        /// <summary>
        /// Parses date (RFC 9051 §9: date-day "-" date-month "-" date-year, or the same in
        /// quotes) from <paramref name="p"/>; returns the day number (DateTime ticks / a day's
        /// ticks) and moves past it, or -1 on a syntax error.
        /// </summary>
        internal static long ParseDay(byte[] b, ref int p, int end)
        {
            int i = p;
            bool quoted = i < end && b[i] == (byte)'"';
            if (quoted) i++;
            int s = i;
            while (i < end && Ascii.IsDigit(b[i])) i++;
            long day = Ascii.ParseDecimal(b, s, i - s, 31);
            if (day < 1 || i - s > 2 || i + 9 > end || b[i] != (byte)'-' || b[i + 4] != (byte)'-') return -1;
            int month = -1;
            for (int m = 0; m < 12; m++)
            {
                if (Ascii.ToUpper(b[i + 1]) == Ascii.ToUpper((byte)Months[m * 3]) && Ascii.ToUpper(b[i + 2]) == Ascii.ToUpper((byte)Months[m * 3 + 1])
                    && Ascii.ToUpper(b[i + 3]) == Ascii.ToUpper((byte)Months[m * 3 + 2])) month = m + 1;
            }
            long year = Ascii.ParseDecimal(b, i + 5, 4, 9999);
            if (month < 0 || year < 1) return -1;
            i += 9;
            if (quoted)
            {
                if (i >= end || b[i] != (byte)'"') return -1;
                i++;
            }
            if ((int)day > DateTime.DaysInMonth((int)year, month)) return -1;
            p = i;
            return new DateTime((int)year, month, (int)day).Ticks / TimeSpan.TicksPerDay;
        }
    }
}
