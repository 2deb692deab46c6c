// The event log. Lines come out in the Postfix style:
//   <time> <hostname> nmg/<component>[<session>]: <queue id>: <text>
// Core passes the component, the session number and the text (which starts with the
// queue id when there is one); the adapter adds time and host name and writes the line
// (console on the host, serial on the board).

namespace NanoMailGateway.Core.Platform
{
    /// <summary>Event sink. Thread-safe; must never throw.</summary>
    public interface ILog
    {
        /// <summary>
        /// Writes one event. <paramref name="component"/> is "smtpd", "smtp", "queue",
        /// "pop3d", "dns" ...; <paramref name="session"/> is the session or thread number
        /// (0 when none); <paramref name="text"/> is a single line without CRLF.
        /// </summary>
        void Write(string component, int session, string text);
    }
}
