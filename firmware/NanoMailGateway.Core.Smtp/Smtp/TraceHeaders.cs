// The header fields the listener adds: Received: (RFC 5321 §4.4, with the protocol
// names of RFC 3848), and Date: / Message-ID: for messages that lack them (RFC 6409
// §8.3), plus the RFC 5322 §3.3 date-time they carry. Built once per message.
// Left out on purpose: reverse DNS of the client (no resolver call on the accept path):
// TCP-info carries the address literal only.
// The day and month names are one string constant each, cut with Substring: a literal
// stays in the string table (flash), while a static string[] is heap from boot on
// nanoCLR (ARCHITECTURE.md, Memory).

using System;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Builders of trace and hygiene header fields. Thread-safe (stateless).</summary>
    public static class TraceHeaders
    {
        // RFC 5322 §3.3 day-name in DayOfWeek order (Sunday = 0), three letters each.
        private const string DayNames = "SunMonTueWedThuFriSat";

        // RFC 5322 §3.3 month-name, January first, three letters each.
        private const string MonthNames = "JanFebMarAprMayJunJulAugSepOctNovDec";

        /// <summary>RFC 3848 with-protocol name: SMTP, ESMTP, ESMTPS, ESMTPA or ESMTPSA.</summary>
        public static string Protocol(bool extended, bool secure, bool authenticated)
        {
            if (!extended) return "SMTP";
            if (secure) return authenticated ? "ESMTPSA" : "ESMTPS";
            return authenticated ? "ESMTPA" : "ESMTP";
        }

        /// <summary>
        /// "Received: from helo ([addr])\r\n\tby host (NanoMailGateway) with P id Q\r\n\tfor &lt;rcpt&gt;; date\r\n".
        /// <paramref name="singleRecipient"/> is named only when there is exactly one (RFC 5321 §7.2: not
        /// disclosing the others).
        /// </summary>
        public static byte[] Received(string helo, string clientAddress, string hostName, string protocol, string queueId, string? singleRecipient, DateTime utc)
        {
            string literal = clientAddress.IndexOf(':') >= 0 ? "[IPv6:" + clientAddress + "]" : "[" + clientAddress + "]";
            string text = "Received: from " + (helo.Length > 0 ? helo : "unknown") + " (" + literal + ")\r\n"
                + "\tby " + hostName + " (NanoMailGateway) with " + protocol + " id " + queueId + "\r\n"
                + (singleRecipient != null ? "\tfor <" + singleRecipient + ">; " : "\t; ") + FormatDate(utc) + "\r\n";
            return Ascii.GetBytes(text);
        }

        /// <summary>"Date: Sat, 28 Nov 2026 13:50:21 +0000\r\n".</summary>
        public static byte[] Date(DateTime utc)
        {
            return Ascii.GetBytes("Date: " + FormatDate(utc) + "\r\n");
        }

        /// <summary>"Message-ID: &lt;queueId.ticks@host&gt;\r\n": unique as long as queue ids are.</summary>
        public static byte[] MessageId(string queueId, string hostName, DateTime utc)
        {
            return Ascii.GetBytes("Message-ID: <" + queueId + "." + (utc.Ticks / TimeSpan.TicksPerSecond).ToString() + "@" + hostName + ">\r\n");
        }

        /// <summary>RFC 5322 §3.3 date-time in UTC: "Sat, 28 Nov 2026 13:50:21 +0000".</summary>
        public static string FormatDate(DateTime utc)
        {
            return DayNames.Substring((int)utc.DayOfWeek * 3, 3) + ", " + utc.Day.ToString() + " " + MonthNames.Substring((utc.Month - 1) * 3, 3) + " " + utc.Year.ToString()
                + " " + Two(utc.Hour) + ":" + Two(utc.Minute) + ":" + Two(utc.Second) + " +0000";
        }

        private static string Two(int v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }
    }
}
