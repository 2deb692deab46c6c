// Queue ids: the message's sequence number (unique and increasing over the life of the
// store, RecordFormat) in base 32, at least 8 characters. Digits and lower-case letters
// without i, l, o, u (Crockford's set) so that an id read aloud or from a log is not
// mistaken. Postfix shows ids the same way in the 250 reply, the log and mailq.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Formats queue ids. Thread-safe.</summary>
    public static class QueueId
    {
        private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

        /// <summary>The id for a sequence number ("0000003f"); 8 characters up to 2^40, more after.</summary>
        public static string Format(long sequence)
        {
            int digits = 8;
            for (long v = sequence >> 40; v > 0; v >>= 5) digits++;
            char[] c = new char[digits];
            long x = sequence;
            for (int i = digits - 1; i >= 0; i--)
            {
                c[i] = Alphabet[(int)(x & 31)];
                x >>= 5;
            }
            return new string(c);
        }

        /// <summary>The sequence number of an id, or -1 when it is not one.</summary>
        public static long Parse(string id)
        {
            if (id.Length < 8 || id.Length > 13) return -1;
            long v = 0;
            for (int i = 0; i < id.Length; i++)
            {
                int d = Alphabet.IndexOf(id[i]);
                if (d < 0) return -1;
                v = (v << 5) | (long)d;
            }
            return v;
        }
    }
}
