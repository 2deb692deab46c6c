// CRC-32 (ISO-HDLC / IEEE 802.3, the zlib and PNG one: reflected polynomial 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF). Every queue record carries one so that
// recovery can tell a whole record from a torn or garbage tail (ARCHITECTURE.md, Flash format).
// Byte-wise through the usual 256-entry table. On the board the table is written as a
// switch, so that it is code (flash) and not a static uint[256], which nanoCLR would build
// at boot and keep as 1 KB of managed heap for the whole run (ARCHITECTURE.md, Memory);
// one switch per byte halves the interpreted steps of the nibble-wise 16-entry one. Inline,
// not a method: every record is checked at the bottom of the deepest stacks, where one
// more frame on nanoCLR is 204 bytes of heap. (A table in a string literal is no way out:
// nanoCLR strings are NUL-terminated UTF-8.) On the host (the emulator, the tests) the same
// table is data in the assembly image (a ReadOnlySpan over constant data: no heap, no
// static constructor): the JIT turns the switch into a jump the CPU mispredicts at almost
// every byte, 13 ns a byte, a quarter of the emulator's CPU relaying 64 KB messages. Both
// flavours are checked against the standard check value: the host's by the unit tests,
// the board's by the on-device self-test (queue.crc32-check-value).
// No allocation per call, and it can be fed in pieces so that records larger than any
// buffer are checked while streaming.
// Left out on purpose: slicing-by-8 (its tables would be heap) and hardware CRC.

#if NET
using System;
#endif

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
#if NET
            ReadOnlySpan<uint> table = Table;
            for (int i = offset; i < end; i++) c = table[(int)((c ^ buffer[i]) & 0xFF)] ^ (c >> 8);
#else
            for (int i = offset; i < end; i++)
            {
                // Entry n is n run eight times through c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1.
                uint t;
                switch ((c ^ buffer[i]) & 0xFF)
                {
                    case 0: t = 0x00000000; break; case 1: t = 0x77073096; break; case 2: t = 0xEE0E612C; break; case 3: t = 0x990951BA; break;
                    case 4: t = 0x076DC419; break; case 5: t = 0x706AF48F; break; case 6: t = 0xE963A535; break; case 7: t = 0x9E6495A3; break;
                    case 8: t = 0x0EDB8832; break; case 9: t = 0x79DCB8A4; break; case 10: t = 0xE0D5E91E; break; case 11: t = 0x97D2D988; break;
                    case 12: t = 0x09B64C2B; break; case 13: t = 0x7EB17CBD; break; case 14: t = 0xE7B82D07; break; case 15: t = 0x90BF1D91; break;
                    case 16: t = 0x1DB71064; break; case 17: t = 0x6AB020F2; break; case 18: t = 0xF3B97148; break; case 19: t = 0x84BE41DE; break;
                    case 20: t = 0x1ADAD47D; break; case 21: t = 0x6DDDE4EB; break; case 22: t = 0xF4D4B551; break; case 23: t = 0x83D385C7; break;
                    case 24: t = 0x136C9856; break; case 25: t = 0x646BA8C0; break; case 26: t = 0xFD62F97A; break; case 27: t = 0x8A65C9EC; break;
                    case 28: t = 0x14015C4F; break; case 29: t = 0x63066CD9; break; case 30: t = 0xFA0F3D63; break; case 31: t = 0x8D080DF5; break;
                    case 32: t = 0x3B6E20C8; break; case 33: t = 0x4C69105E; break; case 34: t = 0xD56041E4; break; case 35: t = 0xA2677172; break;
                    case 36: t = 0x3C03E4D1; break; case 37: t = 0x4B04D447; break; case 38: t = 0xD20D85FD; break; case 39: t = 0xA50AB56B; break;
                    case 40: t = 0x35B5A8FA; break; case 41: t = 0x42B2986C; break; case 42: t = 0xDBBBC9D6; break; case 43: t = 0xACBCF940; break;
                    case 44: t = 0x32D86CE3; break; case 45: t = 0x45DF5C75; break; case 46: t = 0xDCD60DCF; break; case 47: t = 0xABD13D59; break;
                    case 48: t = 0x26D930AC; break; case 49: t = 0x51DE003A; break; case 50: t = 0xC8D75180; break; case 51: t = 0xBFD06116; break;
                    case 52: t = 0x21B4F4B5; break; case 53: t = 0x56B3C423; break; case 54: t = 0xCFBA9599; break; case 55: t = 0xB8BDA50F; break;
                    case 56: t = 0x2802B89E; break; case 57: t = 0x5F058808; break; case 58: t = 0xC60CD9B2; break; case 59: t = 0xB10BE924; break;
                    case 60: t = 0x2F6F7C87; break; case 61: t = 0x58684C11; break; case 62: t = 0xC1611DAB; break; case 63: t = 0xB6662D3D; break;
                    case 64: t = 0x76DC4190; break; case 65: t = 0x01DB7106; break; case 66: t = 0x98D220BC; break; case 67: t = 0xEFD5102A; break;
                    case 68: t = 0x71B18589; break; case 69: t = 0x06B6B51F; break; case 70: t = 0x9FBFE4A5; break; case 71: t = 0xE8B8D433; break;
                    case 72: t = 0x7807C9A2; break; case 73: t = 0x0F00F934; break; case 74: t = 0x9609A88E; break; case 75: t = 0xE10E9818; break;
                    case 76: t = 0x7F6A0DBB; break; case 77: t = 0x086D3D2D; break; case 78: t = 0x91646C97; break; case 79: t = 0xE6635C01; break;
                    case 80: t = 0x6B6B51F4; break; case 81: t = 0x1C6C6162; break; case 82: t = 0x856530D8; break; case 83: t = 0xF262004E; break;
                    case 84: t = 0x6C0695ED; break; case 85: t = 0x1B01A57B; break; case 86: t = 0x8208F4C1; break; case 87: t = 0xF50FC457; break;
                    case 88: t = 0x65B0D9C6; break; case 89: t = 0x12B7E950; break; case 90: t = 0x8BBEB8EA; break; case 91: t = 0xFCB9887C; break;
                    case 92: t = 0x62DD1DDF; break; case 93: t = 0x15DA2D49; break; case 94: t = 0x8CD37CF3; break; case 95: t = 0xFBD44C65; break;
                    case 96: t = 0x4DB26158; break; case 97: t = 0x3AB551CE; break; case 98: t = 0xA3BC0074; break; case 99: t = 0xD4BB30E2; break;
                    case 100: t = 0x4ADFA541; break; case 101: t = 0x3DD895D7; break; case 102: t = 0xA4D1C46D; break; case 103: t = 0xD3D6F4FB; break;
                    case 104: t = 0x4369E96A; break; case 105: t = 0x346ED9FC; break; case 106: t = 0xAD678846; break; case 107: t = 0xDA60B8D0; break;
                    case 108: t = 0x44042D73; break; case 109: t = 0x33031DE5; break; case 110: t = 0xAA0A4C5F; break; case 111: t = 0xDD0D7CC9; break;
                    case 112: t = 0x5005713C; break; case 113: t = 0x270241AA; break; case 114: t = 0xBE0B1010; break; case 115: t = 0xC90C2086; break;
                    case 116: t = 0x5768B525; break; case 117: t = 0x206F85B3; break; case 118: t = 0xB966D409; break; case 119: t = 0xCE61E49F; break;
                    case 120: t = 0x5EDEF90E; break; case 121: t = 0x29D9C998; break; case 122: t = 0xB0D09822; break; case 123: t = 0xC7D7A8B4; break;
                    case 124: t = 0x59B33D17; break; case 125: t = 0x2EB40D81; break; case 126: t = 0xB7BD5C3B; break; case 127: t = 0xC0BA6CAD; break;
                    case 128: t = 0xEDB88320; break; case 129: t = 0x9ABFB3B6; break; case 130: t = 0x03B6E20C; break; case 131: t = 0x74B1D29A; break;
                    case 132: t = 0xEAD54739; break; case 133: t = 0x9DD277AF; break; case 134: t = 0x04DB2615; break; case 135: t = 0x73DC1683; break;
                    case 136: t = 0xE3630B12; break; case 137: t = 0x94643B84; break; case 138: t = 0x0D6D6A3E; break; case 139: t = 0x7A6A5AA8; break;
                    case 140: t = 0xE40ECF0B; break; case 141: t = 0x9309FF9D; break; case 142: t = 0x0A00AE27; break; case 143: t = 0x7D079EB1; break;
                    case 144: t = 0xF00F9344; break; case 145: t = 0x8708A3D2; break; case 146: t = 0x1E01F268; break; case 147: t = 0x6906C2FE; break;
                    case 148: t = 0xF762575D; break; case 149: t = 0x806567CB; break; case 150: t = 0x196C3671; break; case 151: t = 0x6E6B06E7; break;
                    case 152: t = 0xFED41B76; break; case 153: t = 0x89D32BE0; break; case 154: t = 0x10DA7A5A; break; case 155: t = 0x67DD4ACC; break;
                    case 156: t = 0xF9B9DF6F; break; case 157: t = 0x8EBEEFF9; break; case 158: t = 0x17B7BE43; break; case 159: t = 0x60B08ED5; break;
                    case 160: t = 0xD6D6A3E8; break; case 161: t = 0xA1D1937E; break; case 162: t = 0x38D8C2C4; break; case 163: t = 0x4FDFF252; break;
                    case 164: t = 0xD1BB67F1; break; case 165: t = 0xA6BC5767; break; case 166: t = 0x3FB506DD; break; case 167: t = 0x48B2364B; break;
                    case 168: t = 0xD80D2BDA; break; case 169: t = 0xAF0A1B4C; break; case 170: t = 0x36034AF6; break; case 171: t = 0x41047A60; break;
                    case 172: t = 0xDF60EFC3; break; case 173: t = 0xA867DF55; break; case 174: t = 0x316E8EEF; break; case 175: t = 0x4669BE79; break;
                    case 176: t = 0xCB61B38C; break; case 177: t = 0xBC66831A; break; case 178: t = 0x256FD2A0; break; case 179: t = 0x5268E236; break;
                    case 180: t = 0xCC0C7795; break; case 181: t = 0xBB0B4703; break; case 182: t = 0x220216B9; break; case 183: t = 0x5505262F; break;
                    case 184: t = 0xC5BA3BBE; break; case 185: t = 0xB2BD0B28; break; case 186: t = 0x2BB45A92; break; case 187: t = 0x5CB36A04; break;
                    case 188: t = 0xC2D7FFA7; break; case 189: t = 0xB5D0CF31; break; case 190: t = 0x2CD99E8B; break; case 191: t = 0x5BDEAE1D; break;
                    case 192: t = 0x9B64C2B0; break; case 193: t = 0xEC63F226; break; case 194: t = 0x756AA39C; break; case 195: t = 0x026D930A; break;
                    case 196: t = 0x9C0906A9; break; case 197: t = 0xEB0E363F; break; case 198: t = 0x72076785; break; case 199: t = 0x05005713; break;
                    case 200: t = 0x95BF4A82; break; case 201: t = 0xE2B87A14; break; case 202: t = 0x7BB12BAE; break; case 203: t = 0x0CB61B38; break;
                    case 204: t = 0x92D28E9B; break; case 205: t = 0xE5D5BE0D; break; case 206: t = 0x7CDCEFB7; break; case 207: t = 0x0BDBDF21; break;
                    case 208: t = 0x86D3D2D4; break; case 209: t = 0xF1D4E242; break; case 210: t = 0x68DDB3F8; break; case 211: t = 0x1FDA836E; break;
                    case 212: t = 0x81BE16CD; break; case 213: t = 0xF6B9265B; break; case 214: t = 0x6FB077E1; break; case 215: t = 0x18B74777; break;
                    case 216: t = 0x88085AE6; break; case 217: t = 0xFF0F6A70; break; case 218: t = 0x66063BCA; break; case 219: t = 0x11010B5C; break;
                    case 220: t = 0x8F659EFF; break; case 221: t = 0xF862AE69; break; case 222: t = 0x616BFFD3; break; case 223: t = 0x166CCF45; break;
                    case 224: t = 0xA00AE278; break; case 225: t = 0xD70DD2EE; break; case 226: t = 0x4E048354; break; case 227: t = 0x3903B3C2; break;
                    case 228: t = 0xA7672661; break; case 229: t = 0xD06016F7; break; case 230: t = 0x4969474D; break; case 231: t = 0x3E6E77DB; break;
                    case 232: t = 0xAED16A4A; break; case 233: t = 0xD9D65ADC; break; case 234: t = 0x40DF0B66; break; case 235: t = 0x37D83BF0; break;
                    case 236: t = 0xA9BCAE53; break; case 237: t = 0xDEBB9EC5; break; case 238: t = 0x47B2CF7F; break; case 239: t = 0x30B5FFE9; break;
                    case 240: t = 0xBDBDF21C; break; case 241: t = 0xCABAC28A; break; case 242: t = 0x53B39330; break; case 243: t = 0x24B4A3A6; break;
                    case 244: t = 0xBAD03605; break; case 245: t = 0xCDD70693; break; case 246: t = 0x54DE5729; break; case 247: t = 0x23D967BF; break;
                    case 248: t = 0xB3667A2E; break; case 249: t = 0xC4614AB8; break; case 250: t = 0x5D681B02; break; case 251: t = 0x2A6F2B94; break;
                    case 252: t = 0xB40BBE37; break; case 253: t = 0xC30C8EA1; break; case 254: t = 0x5A05DF1B; break; default: t = 0x2D02EF8D; break;
                }
                c = t ^ (c >> 8);
            }
#endif
            return c;
        }

#if NET
        /// <summary>The table, as constant data in the assembly image (host flavour only).</summary>
        private static ReadOnlySpan<uint> Table => new uint[]
        {
            0x00000000, 0x77073096, 0xEE0E612C, 0x990951BA, 0x076DC419, 0x706AF48F, 0xE963A535, 0x9E6495A3,
            0x0EDB8832, 0x79DCB8A4, 0xE0D5E91E, 0x97D2D988, 0x09B64C2B, 0x7EB17CBD, 0xE7B82D07, 0x90BF1D91,
            0x1DB71064, 0x6AB020F2, 0xF3B97148, 0x84BE41DE, 0x1ADAD47D, 0x6DDDE4EB, 0xF4D4B551, 0x83D385C7,
            0x136C9856, 0x646BA8C0, 0xFD62F97A, 0x8A65C9EC, 0x14015C4F, 0x63066CD9, 0xFA0F3D63, 0x8D080DF5,
            0x3B6E20C8, 0x4C69105E, 0xD56041E4, 0xA2677172, 0x3C03E4D1, 0x4B04D447, 0xD20D85FD, 0xA50AB56B,
            0x35B5A8FA, 0x42B2986C, 0xDBBBC9D6, 0xACBCF940, 0x32D86CE3, 0x45DF5C75, 0xDCD60DCF, 0xABD13D59,
            0x26D930AC, 0x51DE003A, 0xC8D75180, 0xBFD06116, 0x21B4F4B5, 0x56B3C423, 0xCFBA9599, 0xB8BDA50F,
            0x2802B89E, 0x5F058808, 0xC60CD9B2, 0xB10BE924, 0x2F6F7C87, 0x58684C11, 0xC1611DAB, 0xB6662D3D,
            0x76DC4190, 0x01DB7106, 0x98D220BC, 0xEFD5102A, 0x71B18589, 0x06B6B51F, 0x9FBFE4A5, 0xE8B8D433,
            0x7807C9A2, 0x0F00F934, 0x9609A88E, 0xE10E9818, 0x7F6A0DBB, 0x086D3D2D, 0x91646C97, 0xE6635C01,
            0x6B6B51F4, 0x1C6C6162, 0x856530D8, 0xF262004E, 0x6C0695ED, 0x1B01A57B, 0x8208F4C1, 0xF50FC457,
            0x65B0D9C6, 0x12B7E950, 0x8BBEB8EA, 0xFCB9887C, 0x62DD1DDF, 0x15DA2D49, 0x8CD37CF3, 0xFBD44C65,
            0x4DB26158, 0x3AB551CE, 0xA3BC0074, 0xD4BB30E2, 0x4ADFA541, 0x3DD895D7, 0xA4D1C46D, 0xD3D6F4FB,
            0x4369E96A, 0x346ED9FC, 0xAD678846, 0xDA60B8D0, 0x44042D73, 0x33031DE5, 0xAA0A4C5F, 0xDD0D7CC9,
            0x5005713C, 0x270241AA, 0xBE0B1010, 0xC90C2086, 0x5768B525, 0x206F85B3, 0xB966D409, 0xCE61E49F,
            0x5EDEF90E, 0x29D9C998, 0xB0D09822, 0xC7D7A8B4, 0x59B33D17, 0x2EB40D81, 0xB7BD5C3B, 0xC0BA6CAD,
            0xEDB88320, 0x9ABFB3B6, 0x03B6E20C, 0x74B1D29A, 0xEAD54739, 0x9DD277AF, 0x04DB2615, 0x73DC1683,
            0xE3630B12, 0x94643B84, 0x0D6D6A3E, 0x7A6A5AA8, 0xE40ECF0B, 0x9309FF9D, 0x0A00AE27, 0x7D079EB1,
            0xF00F9344, 0x8708A3D2, 0x1E01F268, 0x6906C2FE, 0xF762575D, 0x806567CB, 0x196C3671, 0x6E6B06E7,
            0xFED41B76, 0x89D32BE0, 0x10DA7A5A, 0x67DD4ACC, 0xF9B9DF6F, 0x8EBEEFF9, 0x17B7BE43, 0x60B08ED5,
            0xD6D6A3E8, 0xA1D1937E, 0x38D8C2C4, 0x4FDFF252, 0xD1BB67F1, 0xA6BC5767, 0x3FB506DD, 0x48B2364B,
            0xD80D2BDA, 0xAF0A1B4C, 0x36034AF6, 0x41047A60, 0xDF60EFC3, 0xA867DF55, 0x316E8EEF, 0x4669BE79,
            0xCB61B38C, 0xBC66831A, 0x256FD2A0, 0x5268E236, 0xCC0C7795, 0xBB0B4703, 0x220216B9, 0x5505262F,
            0xC5BA3BBE, 0xB2BD0B28, 0x2BB45A92, 0x5CB36A04, 0xC2D7FFA7, 0xB5D0CF31, 0x2CD99E8B, 0x5BDEAE1D,
            0x9B64C2B0, 0xEC63F226, 0x756AA39C, 0x026D930A, 0x9C0906A9, 0xEB0E363F, 0x72076785, 0x05005713,
            0x95BF4A82, 0xE2B87A14, 0x7BB12BAE, 0x0CB61B38, 0x92D28E9B, 0xE5D5BE0D, 0x7CDCEFB7, 0x0BDBDF21,
            0x86D3D2D4, 0xF1D4E242, 0x68DDB3F8, 0x1FDA836E, 0x81BE16CD, 0xF6B9265B, 0x6FB077E1, 0x18B74777,
            0x88085AE6, 0xFF0F6A70, 0x66063BCA, 0x11010B5C, 0x8F659EFF, 0xF862AE69, 0x616BFFD3, 0x166CCF45,
            0xA00AE278, 0xD70DD2EE, 0x4E048354, 0x3903B3C2, 0xA7672661, 0xD06016F7, 0x4969474D, 0x3E6E77DB,
            0xAED16A4A, 0xD9D65ADC, 0x40DF0B66, 0x37D83BF0, 0xA9BCAE53, 0xDEBB9EC5, 0x47B2CF7F, 0x30B5FFE9,
            0xBDBDF21C, 0xCABAC28A, 0x53B39330, 0x24B4A3A6, 0xBAD03605, 0xCDD70693, 0x54DE5729, 0x23D967BF,
            0xB3667A2E, 0xC4614AB8, 0x5D681B02, 0x2A6F2B94, 0xB40BBE37, 0xC30C8EA1, 0x5A05DF1B, 0x2D02EF8D,
        };
#endif

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
