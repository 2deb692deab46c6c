// An ILog that keeps the lines, for tests that assert what was logged.

using System.Collections.Generic;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Tests.Support
{
    public sealed class ListLog : ILog
    {
        private readonly List<string> _lines = new List<string>();

        public void Write(string component, int session, string text)
        {
            lock (_lines) _lines.Add(component + "[" + session + "]: " + text);
        }

        public string[] Lines
        {
            get { lock (_lines) return _lines.ToArray(); }
        }

        public bool Contains(string fragment)
        {
            lock (_lines) return _lines.Exists(l => l.Contains(fragment, System.StringComparison.Ordinal));
        }
    }
}
