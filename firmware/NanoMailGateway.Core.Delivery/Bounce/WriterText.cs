// Text the gateway composes itself (reports, notices) goes into a queue writer's own buffer
// (IMessageWriter.GetBuffer/Advance): no buffer of the composer's, nothing copied twice
// (ARCHITECTURE.md, Memory). Characters above U+00FF become '?': every header and body line
// the gateway writes is ASCII (RFC 5322 §2.2).

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Bounce
{
    /// <summary>Puts strings into a message writer. Stateless.</summary>
    public static class WriterText
    {
        /// <summary>Puts <paramref name="s"/>'s bytes into <paramref name="writer"/>; false once the store has no room (stop writing).</summary>
        /// <exception cref="NanoMailGateway.Core.Platform.StorageException">the medium failed.</exception>
        public static bool Put(IMessageWriter writer, string s)
        {
            int i = 0;
            while (i < s.Length)
            {
                int at;
                int n;
                byte[] b = writer.GetBuffer(out at, out n);
                if (n > s.Length - i) n = s.Length - i;
                for (int k = 0; k < n; k++)
                {
                    char ch = s[i + k];
                    b[at + k] = ch < (char)256 ? (byte)ch : (byte)'?';
                }
                i += n;
                if (!writer.Advance(n)) return false;
            }
            return true;
        }
    }
}
