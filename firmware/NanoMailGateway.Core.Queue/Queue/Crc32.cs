// CRC-32 (ISO-HDLC / IEEE 802.3, the zlib and PNG one: reflected polynomial 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF). Every queue record carries one so that
// recovery can tell a whole record from a torn or garbage tail (ARCHITECTURE.md, Flash format).
// Nibble-wise: two steps per byte through a 16-entry table written as a switch, so the
// table is code (flash on the board) and not a static uint[256], which nanoCLR would
// build at boot and keep as 1 KB of managed heap for the whole run (ARCHITECTURE.md,
// Memory). On the nanoCLR interpreter this took about 2.2 times as long as the 256-entry
// table when the nibble lookup was a method of its own (the bit-by-bit loop about 6 times;
// inline, as now, it saves two calls per byte); flash writes, not the CRC, set the pace.
// (A table in a string literal is no way out: nanoCLR strings are NUL-terminated UTF-8.)
// No allocation per call, and it can be fed in pieces so that records larger than any
// buffer are checked while streaming.
// Left out on purpose: slicing-by-8 and hardware CRC (speed is not the limit on flash).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>CRC-32/ISO-HDLC. Stateless and thread-safe; the running value is the caller's.</summary>
    public static class Crc32
    {
        /// <summary>Running value to start with (pass it to the first <see cref="Update"/>).</summary>
        public const uint Initial = 0xFFFFFFFF;

        /// <summary>Feeds a byte range into a running CRC and returns the new running value.</summary>
        public static uint Update(uint running, byte[] buffer, int offset, int count)
        {
            uint c = running;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                c ^= buffer[i];
                // Two steps, low nibble first (the CRC is reflected). Entry n of the table
                // is n run four times through c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1.
                // Inline, not a method: every record is checked at the bottom of the deepest
                // stacks, where one more frame on nanoCLR is 204 bytes of heap.
                for (int step = 0; step < 2; step++)
                {
                    uint t;
                    switch (c & 0xF)
                    {
                        case 0: t = 0x00000000; break;
                        case 1: t = 0x1DB71064; break;
                        case 2: t = 0x3B6E20C8; break;
                        case 3: t = 0x26D930AC; break;
                        case 4: t = 0x76DC4190; break;
                        case 5: t = 0x6B6B51F4; break;
                        case 6: t = 0x4DB26158; break;
                        case 7: t = 0x5005713C; break;
                        case 8: t = 0xEDB88320; break;
                        case 9: t = 0xF00F9344; break;
                        case 10: t = 0xD6D6A3E8; break;
                        case 11: t = 0xCB61B38C; break;
                        case 12: t = 0x9B64C2B0; break;
                        case 13: t = 0x86D3D2D4; break;
                        case 14: t = 0xA00AE278; break;
                        default: t = 0xBDBDF21C; break;
                    }
                    c = t ^ (c >> 4);
                }
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
    }
}
