// ILog writing Postfix-style lines, one per event:
//   Nov 28 13:48:13 nmg.localdomain nmg/smtpd[3]: 4F2A1C: from=<a@b>, size=512
// (the syslog timestamp of RFC 3164 §4.1.2, which Postfix logs use, in UTC). Lines from
// concurrent sessions never interleave: each is written whole under a lock.

using System;
using System.Globalization;
using System.IO;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>Postfix-style log lines to a TextWriter (stdout by default). Thread-safe; never throws.</summary>
    public sealed class ConsoleLog : ILog
    {
        private readonly TextWriter _out;
        private readonly IClock _clock;
        private readonly string _hostname;
        private readonly object _lock = new object();

        public ConsoleLog(string hostname, IClock clock, TextWriter? output = null)
        {
            _hostname = hostname;
            _clock = clock;
            _out = output ?? Console.Out;
        }

        public void Write(string component, int session, string text)
        {
            try
            {
                string line = Format(_clock.UtcNow, _hostname, component, session, text);
                lock (_lock)
                {
                    _out.WriteLine(line);
                    _out.Flush();
                }
            }
            catch (IOException)
            {
                // A closed stdout (a pipe whose reader left) must not stop the gateway.
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>Formats one line; the day of month is space-padded as in syslog ("Nov  3").</summary>
        public static string Format(DateTime utc, string hostname, string component, int session, string text)
        {
            string stamp = utc.ToString("MMM", CultureInfo.InvariantCulture) + " "
                + utc.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2, ' ') + " "
                + utc.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            return stamp + " " + hostname + " nmg/" + component + "[" + session.ToString(CultureInfo.InvariantCulture) + "]: " + text;
        }
    }
}
