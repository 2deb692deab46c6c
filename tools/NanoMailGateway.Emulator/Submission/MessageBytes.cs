// The prepared message in memory as the SMTP client reads it (IMessageContent): nmg send
// holds what it read from stdin, where the gateway reads from its flash queue.

using System;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Emulator.Submission
{
    /// <summary>A byte array as message content.</summary>
    public sealed class MessageBytes : IMessageContent
    {
        private readonly byte[] _bytes;

        public MessageBytes(byte[] bytes)
        {
            _bytes = bytes;
        }

        public long Length => _bytes.Length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, _bytes.Length - position);
            if (n <= 0) return 0;
            Array.Copy(_bytes, position, buffer, offset, n);
            return n;
        }
    }
}
