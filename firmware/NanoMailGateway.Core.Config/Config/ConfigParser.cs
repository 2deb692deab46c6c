// Reads main.cf-style text: one "key = value" per line, '#' comment lines, blank
// lines; LF or CRLF line ends; a UTF-8 byte order mark is skipped. The caller reads the
// file (Core has no file API beyond IFileStore) and layers the results: GatewayConfig's
// defaults, then the board profile (boardProfile = true), then the config file; a later
// layer overrides an earlier one. Then ConfigValidator checks the whole.
// Errors are values naming the file, line and key; parsing stops at the first.
// Left out on purpose: Postfix continuation lines (a line starting with white space is
// just trimmed here), comments after a value (a password may contain '#'), "$name"
// expansion, and non-ASCII values.

using System.Collections;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Config
{
    /// <summary>Parses configuration text into a GatewayConfig. Stateless.</summary>
    public static class ConfigParser
    {
        /// <summary>Longest line in bytes: room for a long network list, small enough for the board.</summary>
        public const int MaxLineLength = 4096;

        /// <summary>
        /// Applies the settings in <paramref name="data"/>[offset..offset+count) to
        /// <paramref name="config"/>. Returns null on success, or the first error (the
        /// settings before it have been applied). <paramref name="file"/> names the source in
        /// errors; <paramref name="boardProfile"/> allows the hardware keys (heap_bytes ...).
        /// </summary>
        public static ConfigError? Parse(byte[] data, int offset, int count, string file, GatewayConfig config, bool boardProfile)
        {
            int end = offset + count;
            int pos = offset;
            if (count >= 3 && data[pos] == 0xEF && data[pos + 1] == 0xBB && data[pos + 2] == 0xBF) pos += 3;
            int lineNumber = 0;
            ArrayList seenKeys = new ArrayList();
            ArrayList seenLines = new ArrayList();
            while (pos < end)
            {
                lineNumber++;
                int lf = Ascii.IndexOf(data, pos, end - pos, Ascii.LF);
                int lineEnd = lf < 0 ? end : lf;
                int next = lf < 0 ? end : lf + 1;
                if (lineEnd > pos && data[lineEnd - 1] == Ascii.CR) lineEnd--;
                int start = pos;
                pos = next;
                if (lineEnd - start > MaxLineLength)
                {
                    return new ConfigError(file, lineNumber, "", "line longer than " + MaxLineLength.ToString() + " bytes");
                }
                while (start < lineEnd && IsBlank(data[start])) start++;
                while (lineEnd > start && IsBlank(data[lineEnd - 1])) lineEnd--;
                if (start == lineEnd || data[start] == (byte)'#') continue;
                for (int i = start; i < lineEnd; i++)
                {
                    byte b = data[i];
                    if ((b < 32 && b != Ascii.HT) || b > 126)
                    {
                        return new ConfigError(file, lineNumber, "", "bad character (only printable ASCII is allowed)");
                    }
                }
                int eq = Ascii.IndexOf(data, start, lineEnd - start, (byte)'=');
                if (eq < 0)
                {
                    return new ConfigError(file, lineNumber, "", "expected 'key = value'");
                }
                int keyEnd = eq;
                while (keyEnd > start && IsBlank(data[keyEnd - 1])) keyEnd--;
                if (keyEnd == start)
                {
                    return new ConfigError(file, lineNumber, "", "missing key before '='");
                }
                int valueStart = eq + 1;
                while (valueStart < lineEnd && IsBlank(data[valueStart])) valueStart++;
                string key = Ascii.GetString(data, start, keyEnd - start);
                string value = Ascii.GetString(data, valueStart, lineEnd - valueStart);

                // A key set twice in one file is almost always an edit gone wrong; Postfix
                // silently takes the last one, we say so instead.
                string folded = Ascii.ToLowerString(key);
                for (int i = 0; i < seenKeys.Count; i++)
                {
                    if ((string)seenKeys[i]! == folded)
                    {
                        return new ConfigError(file, lineNumber, key, "duplicate key '" + key + "' (first set on line " + ((int)seenLines[i]!).ToString() + ")");
                    }
                }
                seenKeys.Add(folded);
                seenLines.Add(lineNumber);

                string? error = ConfigKeys.Apply(config, key, value, boardProfile);
                if (error != null) return new ConfigError(file, lineNumber, key, error);
                config.NoteOrigin(key, file, lineNumber);
            }
            return null;
        }

        /// <summary>Parses a string (characters above U+00FF become '?', then fail as non-ASCII).</summary>
        public static ConfigError? Parse(string text, string file, GatewayConfig config, bool boardProfile)
        {
            byte[] data = Ascii.GetBytes(text);
            return Parse(data, 0, data.Length, file, config, boardProfile);
        }

        private static bool IsBlank(byte b)
        {
            return b == Ascii.SP || b == Ascii.HT;
        }
    }
}
