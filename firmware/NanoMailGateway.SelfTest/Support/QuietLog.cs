// ILog for the self-test and the tests: counts lines and keeps the last one (for checks
// on what a session logged) instead of printing them between the check lines; when asked,
// it keeps every line for checks that look for one (not on the device's full-load run:
// the lines would grow the heap).

using System.Collections;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Counting log. Thread-safe.</summary>
    public sealed class QuietLog : ILog
    {
        // The lock, and when lines are kept, their list (ArrayList of string): one field
        // less on the device's full-load run, where the log lives as long as the gateway.
        private readonly object _gate;
        private int _count;
        private string _last = "";

        /// <summary>Counts lines and keeps the last.</summary>
        public QuietLog() : this(false)
        {
        }

        /// <summary>Counts lines, keeps the last, and every line when <paramref name="keepLines"/>.</summary>
        public QuietLog(bool keepLines)
        {
            _gate = keepLines ? new ArrayList() : new object();
        }

        /// <summary>Lines written so far.</summary>
        public int Count { get { lock (_gate) { return _count; } } }

        /// <summary>The last line written, as "component: text".</summary>
        public string Last { get { lock (_gate) { return _last; } } }

        /// <summary>Every line written, as "component[session]: text" (none unless kept).</summary>
        public string[] Lines
        {
            get
            {
                lock (_gate)
                {
                    ArrayList? lines = _gate as ArrayList;
                    string[] all = StringArray.New(lines == null ? 0 : lines.Count);
                    for (int i = 0; i < all.Length; i++) all[i] = (string)lines![i]!;
                    return all;
                }
            }
        }

        /// <summary>True when a kept line contains <paramref name="fragment"/>.</summary>
        public bool Contains(string fragment)
        {
            lock (_gate)
            {
                ArrayList? lines = _gate as ArrayList;
                if (lines == null) return false;
                for (int i = 0; i < lines.Count; i++)
                {
                    if (((string)lines[i]!).IndexOf(fragment) >= 0) return true;
                }
                return false;
            }
        }

        /// <inheritdoc/>
        public void Write(string component, int session, string text)
        {
            lock (_gate)
            {
                _count++;
                // Only kept lines name the session: the device's full-load check logs
                // every line here and has no heap for more than the short form.
                _last = component + ": " + text;
                ArrayList? lines = _gate as ArrayList;
                if (lines != null) lines.Add(component + "[" + session.ToString() + "]: " + text);
            }
        }
    }
}
