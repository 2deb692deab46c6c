// IMessageContent over a byte array, in the device subset, for the SMTP client and bounce
// scenarios. Reads are cut to a few octets on purpose, so the reader under test must
// stream across chunk boundaries as it does from flash.

using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Core.Text;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>A message held in RAM. Not thread-safe.</summary>
    public sealed class BytesContent : IMessageContent
    {
        private const int MaxRead = 13;

        private readonly byte[] _data;

        /// <summary>Holds <paramref name="text"/> as ASCII octets (CRLF lines, not dot-stuffed).</summary>
        public BytesContent(string text)
        {
            _data = Ascii.GetBytes(text);
        }

        /// <inheritdoc/>
        public long Length => _data.Length;

        /// <inheritdoc/>
        public int Read(long position, byte[] buffer, int offset, int count)
        {
            if (position >= _data.Length) return 0;
            int n = _data.Length - (int)position;
            if (n > count) n = count;
            if (n > MaxRead) n = MaxRead;
            System.Array.Copy(_data, (int)position, buffer, offset, n);
            return n;
        }
    }
}
