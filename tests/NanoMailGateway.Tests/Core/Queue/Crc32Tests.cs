using System.Text;
using NanoMailGateway.Core.Queue;
using Xunit;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class Crc32Tests
    {
        [Theory]
        [InlineData("", 0x00000000u)]
        [InlineData("a", 0xE8B7BE43u)]
        [InlineData("123456789", 0xCBF43926u)]   // the catalogue check value of CRC-32/ISO-HDLC
        [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
        public void Known_values(string text, uint crc)
        {
            byte[] b = Encoding.ASCII.GetBytes(text);
            Assert.Equal(crc, Crc32.Compute(b, 0, b.Length));
        }

        [Fact]
        public void Pieces_give_the_same_crc_as_the_whole()
        {
            byte[] b = new byte[1000];
            for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * 13);
            uint r = Crc32.Initial;
            r = Crc32.Update(r, b, 0, 1);
            r = Crc32.Update(r, b, 1, 500);
            r = Crc32.Update(r, b, 501, 499);
            Assert.Equal(Crc32.Compute(b, 0, b.Length), Crc32.Finish(r));
        }

        [Fact]
        public void Every_byte_value_matches_the_bit_by_bit_definition()
        {
            // The nibble table is the bit-by-bit register four steps at a time: check it
            // for every byte value, alone and after a running value.
            byte[] b = new byte[256];
            for (int i = 0; i < b.Length; i++) b[i] = (byte)i;
            for (int i = 0; i < b.Length; i++)
            {
                Assert.Equal(BitByBit(b, i, 1), Crc32.Compute(b, i, 1));
            }
            Assert.Equal(BitByBit(b, 0, b.Length), Crc32.Compute(b, 0, b.Length));
        }

        private static uint BitByBit(byte[] b, int offset, int count)
        {
            uint c = 0xFFFFFFFF;
            for (int i = offset; i < offset + count; i++)
            {
                c ^= b[i];
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            return c ^ 0xFFFFFFFF;
        }

        [Fact]
        public void A_single_flipped_bit_changes_the_crc()
        {
            byte[] b = Encoding.ASCII.GetBytes("Subject: alert\r\n\r\nsensor 4 over limit\r\n");
            uint good = Crc32.Compute(b, 0, b.Length);
            b[10] ^= 0x04;
            Assert.NotEqual(good, Crc32.Compute(b, 0, b.Length));
        }
    }
}
