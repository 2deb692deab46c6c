// The on-flash record format of the queue log (format version 1). Little-endian.
//
//   offset size  field
//   0      1     magic 0x51 ('Q'): a cheap first filter before the CRC
//   1      1     type (RecordType); unknown types with a good CRC are skipped, so that
//                later versions (POP3 mailbox records) can add types without a migration
//   2      2     payload length in bytes (0..65535)
//   4      8     sequence number: unique and increasing over the life of the store; queue
//                ids and mailbox UIDs are taken from it, so they are never reused
//   12     n     payload
//   12+n   4     CRC-32 of bytes 0 .. 12+n-1 (the CRC is a trailer so that a record can be
//                streamed to flash before its end is known to the CRC)
//
// Every segment file starts with a SegmentHeader record whose payload is "NMGQ", the
// format version (1) and the segment number. Records never span segments.
// A record location is a long: segment number in the high 32 bits, byte offset of the
// record's first byte in the low 32 bits.

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Record types of the queue log. Values are on flash: never renumber.</summary>
    internal static class RecordType
    {
        /// <summary>First record of every segment: "NMGQ", version byte, segment number (u32).</summary>
        public const byte SegmentHeader = 1;

        /// <summary>A piece of message data: message id (i64), then the bytes.</summary>
        public const byte Data = 2;

        /// <summary>A committed message: id, arrival, size, envelope, recipient states, data piece list.</summary>
        public const byte Commit = 3;

        /// <summary>A recipient status change: id, recipient index, state, attempts, next attempt, code, text, mailbox, uid.</summary>
        public const byte Status = 4;

        /// <summary>The message is gone: id (i64), then the oldest segment that may hold a Commit of it and the
        /// segment of its latest Commit (u32 each; an 8-byte Remove of the first writers names no range).</summary>
        public const byte Remove = 5;
    }

    /// <summary>Sizes and byte helpers of the record format.</summary>
    internal static class RecordFormat
    {
        /// <summary>First byte of every record.</summary>
        public const byte Magic = 0x51;

        /// <summary>Format version written in segment headers.</summary>
        public const byte Version = 1;

        /// <summary>Header bytes before the payload.</summary>
        public const int HeaderSize = 12;

        /// <summary>Header plus CRC trailer.</summary>
        public const int Overhead = 16;

        /// <summary>Largest payload a record can carry.</summary>
        public const int MaxPayload = 65535;

        /// <summary>Payload of a segment header record.</summary>
        public const int SegmentHeaderPayload = 9;

        /// <summary>Bytes of the segment header record.</summary>
        public const int SegmentHeaderSize = Overhead + SegmentHeaderPayload;

        /// <summary>Bytes in front of the data in a Data record's payload (the message id).</summary>
        public const int DataPrefix = 8;

        /// <summary>Payload of a Remove record: id, oldest and newest segment that may hold a Commit of the message.</summary>
        public const int RemovePayload = 16;

        /// <summary>Bytes in front of a Data record's data (header and message id): a writer's unit keeps them free.</summary>
        public const int DataHead = HeaderSize + DataPrefix;

        /// <summary>
        /// Bit of a segment number that marks a message file: a segment holding one message
        /// longer than a write unit (its Data records, then its Commit record), deleted as one
        /// file when the message goes. Their numbers sort after every shared segment's.
        /// </summary>
        public const int MessageFileFlag = 0x40000000;

        /// <summary>Bytes per data piece entry in a Commit record: segment, offset, length (u32 each).</summary>
        public const int PieceEntrySize = 12;

        /// <summary>
        /// Magic of the segment header payload, one byte per character. A string literal, not
        /// a static byte[]: that would be heap from boot on nanoCLR (ARCHITECTURE.md, Memory).
        /// </summary>
        public const string SegmentMagic = "NMGQ";

        public static bool IsMessageFile(int segment)
        {
            return (segment & MessageFileFlag) != 0;
        }

        public static long Location(int segment, long offset)
        {
            return ((long)segment << 32) | (offset & 0xFFFFFFFFL);
        }

        public static int SegmentOf(long location)
        {
            return (int)(location >> 32);
        }

        public static long OffsetOf(long location)
        {
            return location & 0xFFFFFFFFL;
        }

        /// <summary>Bytes a string takes in a payload: u16 length then one byte per char (0xFFFF = null).</summary>
        public static int StringSize(string? s)
        {
            return 2 + (s == null ? 0 : s.Length);
        }

        public static void PutU16(byte[] b, int o, int v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
        }

        public static void PutU32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }

        public static void PutI64(byte[] b, int o, long v)
        {
            PutU32(b, o, (uint)v);
            PutU32(b, o + 4, (uint)(v >> 32));
        }

        public static int GetU16(byte[] b, int o)
        {
            return b[o] | (b[o + 1] << 8);
        }

        public static uint GetU32(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }

        public static long GetI64(byte[] b, int o)
        {
            return (long)GetU32(b, o) | ((long)GetU32(b, o + 4) << 32);
        }

        /// <summary>File name of a segment: "q" + 8 hex digits + ".seg".</summary>
        public static string SegmentName(int number)
        {
            char[] c = new char[13];
            c[0] = 'q';
            for (int i = 0; i < 8; i++)
            {
                int nibble = (int)(((uint)number >> (28 - 4 * i)) & 0xF);
                c[1 + i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            }
            c[9] = '.';
            c[10] = 's';
            c[11] = 'e';
            c[12] = 'g';
            return new string(c);
        }

        /// <summary>Segment number of a segment file name, or -1 when the name is not one.</summary>
        public static int ParseSegmentName(string name)
        {
            if (name.Length != 13 || name[0] != 'q' || name[9] != '.' || name[10] != 's' || name[11] != 'e' || name[12] != 'g') return -1;
            uint v = 0;
            for (int i = 1; i < 9; i++)
            {
                char ch = name[i];
                int d;
                if (ch >= '0' && ch <= '9') d = ch - '0';
                else if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
                else return -1;
                v = (v << 4) | (uint)d;
            }
            return v > 0x7FFFFFFF ? -1 : (int)v;
        }
    }
}
