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
        private readonly object _gate = new object();
        private readonly ArrayList? _lines;    // string, when kept
        private int _count;
        private string _last = "";

        /// <summary>Counts lines and keeps the last.</summary>
        public QuietLog() : this(false)
        {
        }

        /// <summary>Counts lines, keeps the last, and every line when <paramref name="keepLines"/>.</summary>
        public QuietLog(bool keepLines)
        {
            if (keepLines) _lines = new ArrayList();
        }

        /// <summary>Lines written so far.</summary>
        public int Count { get { lock (_gate) { return _count; } } }

        /// <summary>The last line written, as "component[session]: text".</summary>
        public string Last { get { lock (_gate) { return _last; } } }

        /// <summary>Every line written, as "component[session]: text" (none unless kept).</summary>
        public string[] Lines
        {
            get
            {
                lock (_gate)
                {
                    string[] all = StringArray.New(_lines == null ? 0 : _lines.Count);
                    for (int i = 0; i < all.Length; i++) all[i] = (string)_lines![i]!;
                    return all;
                }
            }
        }

        /// <summary>True when a kept line contains <paramref name="fragment"/>.</summary>
        public bool Contains(string fragment)
        {
            lock (_gate)
            {
                if (_lines == null) return false;
                for (int i = 0; i < _lines.Count; i++)
                {
                    if (((string)_lines[i]!).IndexOf(fragment) >= 0) return true;
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
                _last = component + "[" + session.ToString() + "]: " + text;
                if (_lines != null) _lines.Add(_last);
            }
        }
    }
}
