// Value syntax of the configuration file, as a Postfix administrator expects it
// (postconf(5)): durations "30m", sizes "64K", booleans "yes"/"no", lists separated by
// commas and/or white space. Each parser returns -1 (or null) for a bad value; the
// caller turns that into a ConfigError naming the key.
// Left out on purpose: Postfix's "w" (weeks) unit, size units above M (no board
// stores a gigabyte), "$name" parameter expansion and "/file/name" list entries.

using System.Collections;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Config
{
    /// <summary>Parsers for configuration values. Stateless; allocates only the returned strings.</summary>
    public static class ConfigValue
    {
        /// <summary>Longest duration accepted: 3650 days, in seconds (fits an int with room for ms arithmetic on long).</summary>
        public const long MaxDurationSeconds = 3650L * 86400L;

        /// <summary>Largest size accepted: 2^31 - 1 bytes (sizes are int on the board).</summary>
        public const long MaxSizeBytes = int.MaxValue;

        /// <summary>Most entries in one list value; every count is bounded (ARCHITECTURE.md, Memory).</summary>
        public const int MaxListItems = 64;

        /// <summary>
        /// Parses a duration: digits followed by an optional unit s, m, h or d (plain digits
        /// are seconds). Returns seconds, or -1 when the text is not a duration.
        /// </summary>
        public static long ParseDuration(string text)
        {
            int n = text.Length;
            if (n == 0) return -1;
            long unit = 1;
            char last = text[n - 1];
            if (last < '0' || last > '9')
            {
                if (last == 's' || last == 'S') unit = 1;
                else if (last == 'm' || last == 'M') unit = 60;
                else if (last == 'h' || last == 'H') unit = 3600;
                else if (last == 'd' || last == 'D') unit = 86400;
                else return -1;
                n--;
            }
            long v = ParseDigits(text, n, MaxDurationSeconds);
            if (v < 0) return -1;
            v *= unit;
            return v <= MaxDurationSeconds ? v : -1;
        }

        /// <summary>
        /// Parses a size: digits followed by an optional K (1024) or M (1024 * 1024), either
        /// case (plain digits are bytes). Returns bytes, or -1 when the text is not a size.
        /// </summary>
        public static long ParseSize(string text)
        {
            int n = text.Length;
            if (n == 0) return -1;
            long unit = 1;
            char last = text[n - 1];
            if (last < '0' || last > '9')
            {
                if (last == 'k' || last == 'K') unit = 1024;
                else if (last == 'm' || last == 'M') unit = 1024 * 1024;
                else return -1;
                n--;
            }
            long v = ParseDigits(text, n, MaxSizeBytes);
            if (v < 0) return -1;
            v *= unit;
            return v <= MaxSizeBytes ? v : -1;
        }

        /// <summary>Parses a plain non-negative integer up to <paramref name="max"/>; -1 otherwise.</summary>
        public static long ParseNumber(string text, long max)
        {
            return ParseDigits(text, text.Length, max);
        }

        /// <summary>"yes" → 1, "no" → 0 (ASCII case ignored), anything else → -1.</summary>
        public static int ParseBool(string text)
        {
            if (Text.Ascii.EqualsIgnoreCase(text, "yes")) return 1;
            if (Text.Ascii.EqualsIgnoreCase(text, "no")) return 0;
            return -1;
        }

        /// <summary>
        /// Splits a list on commas, spaces and tabs, dropping empty entries. Returns null when
        /// there are more than <see cref="MaxListItems"/> entries.
        /// </summary>
        public static string[]? SplitList(string text)
        {
            ArrayList items = new ArrayList();
            int start = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                bool sep = i == text.Length || text[i] == ',' || text[i] == ' ' || text[i] == '\t';
                if (!sep)
                {
                    if (start < 0) start = i;
                    continue;
                }
                if (start >= 0)
                {
                    if (items.Count == MaxListItems) return null;
                    items.Add(text.Substring(start, i - start));
                    start = -1;
                }
            }
            string[] result = StringArray.New(items.Count);
            for (int i = 0; i < result.Length; i++) result[i] = (string)items[i]!;
            return result;
        }

        private static long ParseDigits(string text, int count, long max)
        {
            if (count <= 0 || count > 19) return -1;
            long v = 0;
            for (int i = 0; i < count; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return -1;
                v = v * 10 + (c - '0');
                if (v > max) return -1;
            }
            return v;
        }
    }
}
