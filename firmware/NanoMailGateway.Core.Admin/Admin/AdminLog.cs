// The log as the admin endpoint sees it: an ILog that passes every event on to the
// platform's log unchanged, counts it (MailCounters) and keeps the last few lines in a
// small RAM ring for the status page. The ring has a fixed number of slots, each line cut
// to MaxLineLength characters, so its memory is bounded whatever is logged
// (ARCHITECTURE.md, Memory).
// Left out on purpose: timestamps in the ring beyond the uptime in seconds (the board may
// have no wall time before SNTP), searching, paging.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Counting, remembering log decorator. Thread-safe; never throws.</summary>
    public sealed class AdminLog : ILog
    {
        /// <summary>Longest line kept in the ring, characters.</summary>
        public const int MaxLineLength = 200;

        private readonly ILog _inner;
        private readonly IClock _clock;
        private readonly string[] _lines;
        private int _next;
        private int _count;
        private readonly long _startMs;

        /// <summary>Wraps <paramref name="inner"/>; keeps the last <paramref name="ringLines"/> lines (0 = none).</summary>
        public AdminLog(ILog inner, IClock clock, int ringLines)
        {
            _inner = inner;
            _clock = clock;
            _lines = StringArray.New(ringLines < 0 ? 0 : ringLines);
            _startMs = clock.MonotonicMilliseconds;
            Counters = new MailCounters();
        }

        /// <summary>The counters fed by this log.</summary>
        public MailCounters Counters { get; }

        /// <summary>Milliseconds since this log was made (the gateway's start, near enough).</summary>
        public long UptimeMs => _clock.MonotonicMilliseconds - _startMs;

        /// <inheritdoc/>
        public void Write(string component, int session, string text)
        {
            _inner.Write(component, session, text);
            try
            {
                Counters.Observe(component, text);
                if (_lines.Length == 0) return;
                string line = "+" + (UptimeMs / 1000).ToString() + "s " + component + "[" + session.ToString() + "]: " + text;
                if (line.Length > MaxLineLength) line = line.Substring(0, MaxLineLength);
                lock (_lines)
                {
                    _lines[_next] = line;
                    _next = (_next + 1) % _lines.Length;
                    if (_count < _lines.Length) _count++;
                }
            }
            catch (System.Exception)
            {
                // ILog must never throw (out of memory on the board): the line was written.
            }
        }

        /// <summary>The remembered lines, oldest first (a new array per call).</summary>
        public string[] LastLines()
        {
            lock (_lines)
            {
                string[] a = StringArray.New(_count);
                int first = (_next - _count + _lines.Length) % (_lines.Length == 0 ? 1 : _lines.Length);
                for (int i = 0; i < _count; i++) a[i] = _lines[(first + i) % _lines.Length];
                return a;
            }
        }
    }
}
