// ILog for the board (shared board/host source): one Postfix-style line per event on the
// console, which nanoFramework sends over the debug/serial channel to Visual Studio's
// Output window (or any terminal on the board's USB serial port):
//   Nov 28 14:05:31 gw1 nmg/smtpd[3]: 4F2A01: from=<sensor@lan>, size=812
// The time is UTC (the board has no time zone). Before SNTP has run it reads Jan  1 2000.
// Left out on purpose: levels and filtering (Core decides what it logs).

using System;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>Console log. Thread-safe (one lock keeps lines whole); never throws.</summary>
    public sealed class NanoLog : NanoMailGateway.Core.Platform.ILog
    {
        private readonly string _hostname;
        private readonly object _lock = new object();

        /// <param name="hostname">the gateway's name in the log lines (the config's hostname).</param>
        public NanoLog(string hostname)
        {
            _hostname = hostname;
        }

        public void Write(string component, int session, string text)
        {
            try
            {
                string line = FormatLine(DateTime.UtcNow, _hostname, component, session, text);
                lock (_lock) Console.WriteLine(line);
            }
            catch (Exception)
            {
                // ILog must never throw: a log line is not worth a session.
            }
        }

        /// <summary>"Nov 28 14:05:31 host nmg/component[session]: text" (syslog time stamp, day space-padded).</summary>
        public static string FormatLine(DateTime utc, string hostname, string component, int session, string text)
        {
            string day = utc.Day < 10 ? " " + utc.Day.ToString() : utc.Day.ToString();
            // The month names come from Rfc5322Date rather than a static string[] here
            // (heap from boot on nanoCLR; ARCHITECTURE.md, Memory).
            return Rfc5322Date.MonthName(utc.Month) + " " + day + " " + Two(utc.Hour) + ":" + Two(utc.Minute) + ":" + Two(utc.Second)
                + " " + hostname + " nmg/" + component + "[" + session.ToString() + "]: " + text;
        }

        private static string Two(int v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }
    }
}
