// Remote syslog (README, Remote syslog): every log line also goes to the LAN's log server
// as one RFC 5424 message over UDP (RFC 5426), so a board's log is kept where someone
// looks. The message, per RFC 5424 §6:
//   <PRI>1 TIMESTAMP HOSTNAME nmg - MSGID - MSG
// with facility mail (2, §6.2.1) and severity from the line (a "warning:" 4, a "fatal:",
// "error:" or "panic:" 3, anything else informational 6, as Postfix maps its own levels),
// TIMESTAMP the UTC time with milliseconds (§6.2.3), or the NILVALUE "-" while the board
// has no wall time yet (its clock before SNTP reads 1970 or 2000), MSGID the component
// ("smtpd", "qmgr", ...), no structured data, and MSG the session number in brackets and
// the line, in ASCII (other characters become '?': no BOM, so it is not declared UTF-8).
// A message is cut at 480 octets, the size every receiver must take (RFC 5426 §3.2).
// The line is built in one fixed buffer under a lock, so logging allocates nothing more
// than the caller's text; a send that fails is dropped (UDP syslog is lossy by nature, and
// a log must never throw).
// Left out on purpose: TCP and TLS transport (RFC 6587, RFC 5425), structured data,
// buffering while the network is down.

using System;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Syslog
{
    /// <summary>Log decorator that also sends each line to a syslog server. Thread-safe; never throws.</summary>
    public sealed class SyslogLog : ILog
    {
        /// <summary>Largest message sent, octets (RFC 5426 §3.2: every receiver takes 480).</summary>
        public const int MaxMessage = 480;

        /// <summary>Facility mail (RFC 5424 §6.2.1).</summary>
        private const int FacilityMail = 2;

        private readonly ILog _inner;
        private readonly IUdpSocket _socket;
        private readonly string _address;
        private readonly int _port;
        private readonly IClock _clock;
        private readonly string _hostname;
        private readonly byte[] _message = new byte[MaxMessage];
        private int _length;

        /// <summary>Wraps <paramref name="inner"/>; sends each line from <paramref name="socket"/> to <paramref name="address"/>:<paramref name="port"/>.</summary>
        public SyslogLog(ILog inner, IUdpSocket socket, string address, int port, IClock clock, string hostname)
        {
            _inner = inner;
            _socket = socket;
            _address = address;
            _port = port;
            _clock = clock;
            _hostname = hostname.Length == 0 ? "-" : hostname;
        }

        /// <summary>Messages sent so far.</summary>
        public int Sent { get; private set; }

        /// <summary>Messages that could not be sent (dropped).</summary>
        public int Dropped { get; private set; }

        /// <inheritdoc/>
        public void Write(string component, int session, string text)
        {
            _inner.Write(component, session, text);
            lock (_message)
            {
                try
                {
                    _length = 0;
                    Put("<");
                    PutNumber(FacilityMail * 8 + Severity(text), 1);
                    Put(">1 ");
                    PutTimestamp(_clock.UtcNow);
                    Put(" ");
                    Put(_hostname);
                    Put(" nmg - ");
                    Put(component.Length == 0 ? "-" : component);
                    Put(" - ");
                    if (session > 0)
                    {
                        Put("[");
                        PutNumber(session, 1);
                        Put("] ");
                    }
                    Put(text);
                    _socket.SendTo(_message, 0, _length, _address, _port);
                    Sent++;
                }
                catch (Exception)
                {
                    // The network refused it, or no heap: the line is already in the local log.
                    Dropped++;
                }
            }
        }

        // RFC 5424 §6.2.1 severities, from the words Core starts its lines with.
        private static int Severity(string text)
        {
            if (StartsWith(text, "warning:")) return 4;
            if (StartsWith(text, "fatal:") || StartsWith(text, "error:") || StartsWith(text, "panic:")) return 3;
            return 6;
        }

        private static bool StartsWith(string text, string word)
        {
            // The text may begin with a queue id ("0000001b: warning: ..."): look after it too.
            int at = text.IndexOf(word);
            return at == 0 || (at > 0 && at <= 10 && text[at - 1] == ' ' && text[at - 2] == ':');
        }

        // FULL-DATE "T" FULL-TIME with milliseconds and "Z" (RFC 5424 §6.2.3, RFC 3339).
        private void PutTimestamp(DateTime utc)
        {
            if (utc.Year < 2020)
            {
                Put("-");
                return;
            }
            PutField(utc.Year, 4, '-'); PutField(utc.Month, 2, '-'); PutField(utc.Day, 2, 'T');
            PutField(utc.Hour, 2, ':'); PutField(utc.Minute, 2, ':'); PutField(utc.Second, 2, '.');
            PutField(utc.Millisecond, 3, 'Z');
        }

        // A number of <paramref name="digits"/> digits, then <paramref name="after"/>.
        private void PutField(int value, int digits, char after)
        {
            PutNumber(value, digits);
            if (_length < _message.Length) _message[_length++] = (byte)after;
        }

        private void Put(string s)
        {
            for (int i = 0; i < s.Length && _length < _message.Length; i++)
            {
                char c = s[i];
                _message[_length++] = c >= ' ' && c < (char)127 ? (byte)c : (byte)'?';
            }
        }

        // Decimal, at least <paramref name="digits"/> digits (zeros in front).
        private void PutNumber(int value, int digits)
        {
            if (_length + 10 + digits > _message.Length) return;   // no room for any int: the line is cut here
            int width = 1;
            for (int v = value; v >= 10; v /= 10) width++;
            for (; width < digits; width++) _message[_length++] = (byte)'0';
            _length += Text.Ascii.WriteDecimal(value, _message, _length);
        }
    }
}
