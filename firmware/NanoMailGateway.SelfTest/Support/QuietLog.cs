// ILog for the self-test: counts lines and keeps the last one (for checks on what a
// session logged) instead of printing them between the check lines.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Counting log. Thread-safe.</summary>
    public sealed class QuietLog : ILog
    {
        private readonly object _gate = new object();
        private int _count;
        private string _last = "";

        /// <summary>Lines written so far.</summary>
        public int Count { get { lock (_gate) { return _count; } } }

        /// <summary>The last text written.</summary>
        public string Last { get { lock (_gate) { return _last; } } }

        /// <inheritdoc/>
        public void Write(string component, int session, string text)
        {
            lock (_gate)
            {
                _count++;
                _last = component + ": " + text;
            }
        }
    }
}
