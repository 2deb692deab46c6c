// What a server sent in one scripted session, split into lines at CRLF. A line that ends
// in a bare LF is kept with the LF so that a server sending bare LF fails the checks.

using System.Collections;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>A server's output, as lines without their CRLF. Immutable.</summary>
    public sealed class Transcript
    {
        private readonly string[] _lines;

        /// <summary>Splits <paramref name="data"/>[0..<paramref name="length"/>) into lines.</summary>
        public Transcript(byte[] data, int length)
        {
            Octets = length;
            ArrayList lines = new ArrayList();
            int start = 0;
            for (int i = 0; i + 1 < length; i++)
            {
                if (data[i] == Ascii.CR && data[i + 1] == Ascii.LF)
                {
                    lines.Add(Ascii.GetString(data, start, i - start));
                    start = i + 2;
                    i++;
                }
            }
            if (start < length) lines.Add(Ascii.GetString(data, start, length - start));
            _lines = StringArray.New(lines.Count);
            for (int i = 0; i < _lines.Length; i++) _lines[i] = (string)lines[i]!;
        }

        /// <summary>Octets the server sent.</summary>
        public int Octets { get; }

        /// <summary>Number of lines.</summary>
        public int Count => _lines.Length;

        /// <summary>Line <paramref name="index"/> (0-based), or "" past the end.</summary>
        public string Line(int index)
        {
            return index >= 0 && index < _lines.Length ? _lines[index] : "";
        }

        /// <summary>Index of the first line at or after <paramref name="from"/> starting with <paramref name="prefix"/>, or -1.</summary>
        public int Find(string prefix, int from)
        {
            for (int i = from < 0 ? 0 : from; i < _lines.Length; i++)
            {
                string l = _lines[i];
                if (l.Length >= prefix.Length && l.Substring(0, prefix.Length) == prefix) return i;
            }
            return -1;
        }

        /// <summary>Index of the first line at or after <paramref name="from"/> equal to <paramref name="line"/>, or -1.</summary>
        public int FindExact(string line, int from)
        {
            for (int i = from < 0 ? 0 : from; i < _lines.Length; i++)
            {
                if (_lines[i] == line) return i;
            }
            return -1;
        }

        /// <summary>Number of lines starting with <paramref name="prefix"/>.</summary>
        public int CountStartingWith(string prefix)
        {
            int n = 0;
            for (int i = Find(prefix, 0); i >= 0; i = Find(prefix, i + 1)) n++;
            return n;
        }

        /// <summary>The last line (the server's final reply), or "".</summary>
        public string Last => _lines.Length == 0 ? "" : _lines[_lines.Length - 1];
    }
}
