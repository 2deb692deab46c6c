// CRC-32 (ISO-HDLC / IEEE 802.3, the zlib and PNG one: reflected polynomial 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF). Every queue record carries one so that
// recovery can tell a whole record from a torn or garbage tail (ARCHITECTURE.md, Flash format).
// Table-driven, one byte at a time: 1 KB of table, no allocation per call, and it can
// be fed in pieces so that records larger than any buffer are checked while streaming.
// Left out on purpose: slicing-by-8 and hardware CRC (speed is not the limit on flash).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>CRC-32/ISO-HDLC. Stateless and thread-safe; the running value is the caller's.</summary>
    public static class Crc32
    {
        /// <summary>Running value to start with (pass it to the first <see cref="Update"/>).</summary>
        public const uint Initial = 0xFFFFFFFF;

        private static readonly uint[] Table = BuildTable();

        /// <summary>Feeds a byte range into a running CRC and returns the new running value.</summary>
        public static uint Update(uint running, byte[] buffer, int offset, int count)
        {
            uint c = running;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                c = Table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
            }
            return c;
        }

        /// <summary>Turns a running value into the CRC (final XOR).</summary>
        public static uint Finish(uint running)
        {
            return running ^ 0xFFFFFFFF;
        }

        /// <summary>CRC-32 of a byte range ("123456789" gives 0xCBF43926).</summary>
        public static uint Compute(byte[] buffer, int offset, int count)
        {
            return Finish(Update(Initial, buffer, offset, count));
        }

        private static uint[] BuildTable()
        {
            uint[] t = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }
                t[n] = c;
            }
            return t;
        }
    }
}
