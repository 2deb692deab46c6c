// Assertions for self-test checks. Each throws CheckFailedException with a message that
// says what was expected and what came, so that one serial line explains the failure.

namespace NanoMailGateway.SelfTest
{
    /// <summary>Assertions; every method throws <see cref="CheckFailedException"/> when its condition fails.</summary>
    public static class Expect
    {
        /// <summary>Fails with <paramref name="why"/> unless <paramref name="condition"/> holds.</summary>
        public static void True(bool condition, string why)
        {
            if (!condition) throw new CheckFailedException(why);
        }

        /// <summary>Fails unless the numbers are equal.</summary>
        public static void Equal(long expected, long actual, string what)
        {
            if (expected != actual) throw new CheckFailedException(what + ": expected " + expected.ToString() + ", got " + actual.ToString());
        }

        /// <summary>Fails unless the strings are equal (ordinal).</summary>
        public static void Equal(string expected, string? actual, string what)
        {
            if (actual == null || expected != actual) throw new CheckFailedException(what + ": expected '" + expected + "', got " + Quote(actual));
        }

        /// <summary>Fails unless <paramref name="text"/> starts with <paramref name="prefix"/>.</summary>
        public static void StartsWith(string prefix, string? text, string what)
        {
            if (text == null || text.Length < prefix.Length || text.Substring(0, prefix.Length) != prefix)
            {
                throw new CheckFailedException(what + ": expected '" + prefix + "...', got " + Quote(text));
            }
        }

        /// <summary>Fails unless <paramref name="text"/> contains <paramref name="part"/>.</summary>
        public static void Contains(string part, string? text, string what)
        {
            if (text == null || text.IndexOf(part) < 0) throw new CheckFailedException(what + ": expected to contain '" + part + "', got " + Quote(text));
        }

        /// <summary>Fails when <paramref name="text"/> contains <paramref name="part"/>.</summary>
        public static void NotContains(string part, string? text, string what)
        {
            if (text != null && text.IndexOf(part) >= 0) throw new CheckFailedException(what + ": must not contain '" + part + "'");
        }

        /// <summary>Fails unless <paramref name="value"/> is null.</summary>
        public static void Null(object? value, string what)
        {
            if (value != null) throw new CheckFailedException(what + ": expected nothing, got '" + value.ToString() + "'");
        }

        /// <summary>Fails when <paramref name="value"/> is null.</summary>
        public static void NotNull(object? value, string what)
        {
            if (value == null) throw new CheckFailedException(what + ": expected a value, got null");
        }

        /// <summary>Fails unless the byte ranges are equal.</summary>
        public static void SameBytes(byte[] expected, int expectedOffset, byte[] actual, int actualOffset, int count, string what)
        {
            for (int i = 0; i < count; i++)
            {
                if (expected[expectedOffset + i] != actual[actualOffset + i])
                {
                    throw new CheckFailedException(what + ": differs at octet " + i.ToString());
                }
            }
        }

        /// <summary>Fails with a text, for branches that must not be reached.</summary>
        public static void Fail(string why)
        {
            throw new CheckFailedException(why);
        }

        private static string Quote(string? s)
        {
            if (s == null) return "null";
            // Long transcripts are cut: a serial line is read by a person.
            if (s.Length > 160) s = s.Substring(0, 160) + "...";
            return "'" + s + "'";
        }
    }
}
