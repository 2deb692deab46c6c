// The header fields the listener adds: Received: (RFC 5321 §4.4, with the protocol
// names of RFC 3848), and Date: / Message-ID: for messages that lack them (RFC 6409
// §8.3), plus the RFC 5322 §3.3 date-time they carry. Each is written piece by piece
// into an IFieldWriter (the message's write unit): no string is built for a field.
// Left out on purpose: reverse DNS of the client (no resolver call on the accept path):
// TCP-info carries the address literal only.
// The day and month names are one string constant each, written three characters at a
// time: a literal stays in the string table (flash), while a static string[] is heap
// from boot on nanoCLR (ARCHITECTURE.md, Memory).

using System;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Trace and origination fields the listener adds.</summary>
    public static class TraceHeaders
    {
        // RFC 5322 §3.3 day-name in DayOfWeek order (Sunday = 0), three letters each.
        private const string DayNames = "SunMonTueWedThuFriSat";

        // RFC 5322 §3.3 month-name, January first, three letters each.
        private const string MonthNames = "JanFebMarAprMayJunJulAugSepOctNovDec";

        /// <summary>RFC 3848 "with" keyword: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA.</summary>
        public static string Protocol(bool extended, bool secure, bool authenticated)
        {
            if (!extended) return "SMTP";
            if (secure) return authenticated ? "ESMTPSA" : "ESMTPS";
            return authenticated ? "ESMTPA" : "ESMTP";
        }

        /// <summary>
        /// The Received: field with CRLF (RFC 5321 §4.4): from the HELO name and the client's
        /// address literal, by us, with the protocol, id the queue id, for the recipient when
        /// there is exactly one (a list of several would disclose Bcc), then the date-time.
        /// </summary>
        public static void Received(IFieldWriter w, string helo, string clientAddress, string hostName, string protocol, string queueId, string? singleRecipient, DateTime utc)
        {
            w.Text("Received: from ");
            w.Text(helo.Length > 0 ? helo : "unknown");
            w.Text(clientAddress.IndexOf(':') >= 0 ? " ([IPv6:" : " (["); // RFC 5321 §4.1.3 IPv6 address literal
            w.Text(clientAddress);
            w.Text("])\r\n\tby ");
            w.Text(hostName);
            w.Text(" (NanoMailGateway) with ");
            w.Text(protocol);
            w.Text(" id ");
            w.Text(queueId);
            if (singleRecipient != null)
            {
                w.Text("\r\n\tfor <");
                w.Text(singleRecipient);
                w.Text(">; ");
            }
            else
            {
                w.Text("\r\n\t; ");
            }
            DateTimeText(w, utc);
            w.Text("\r\n");
        }

        /// <summary>"Date: " date-time CRLF (RFC 5322 §3.6.1).</summary>
        public static void Date(IFieldWriter w, DateTime utc)
        {
            w.Text("Date: ");
            DateTimeText(w, utc);
            w.Text("\r\n");
        }

        /// <summary>"Message-ID: &lt;queueid.seconds@host&gt;" CRLF (RFC 5322 §3.6.4): unique per queue id and second.</summary>
        public static void MessageId(IFieldWriter w, string queueId, string hostName, DateTime utc)
        {
            w.Text("Message-ID: <");
            w.Text(queueId);
            w.Text(".");
            w.Number(utc.Ticks / TimeSpan.TicksPerSecond, 1);
            w.Text("@");
            w.Text(hostName);
            w.Text(">\r\n");
        }

        /// <summary>RFC 5322 §3.3 date-time in UTC: "Sat, 28 Nov 2026 13:50:21 +0000".</summary>
        public static void DateTimeText(IFieldWriter w, DateTime utc)
        {
            w.Text(DayNames, (int)utc.DayOfWeek * 3, 3);
            w.Text(", ");
            w.Number(utc.Day, 1);
            w.Text(" ");
            w.Text(MonthNames, (utc.Month - 1) * 3, 3);
            w.Text(" ");
            w.Number(utc.Year, 4);
            w.Text(" ");
            w.Number(utc.Hour, 2);
            w.Text(":");
            w.Number(utc.Minute, 2);
            w.Text(":");
            w.Number(utc.Second, 2);
            w.Text(" +0000");
        }
    }
}
