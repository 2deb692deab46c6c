// One message of a local mailbox (IMaildrop, the POP3 view of the queue) read line by
// line (LineReader), for checks on what the delivery agent filed there: a report is
// looked at line by line instead of being copied whole into a byte array and a string.

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Lines of message <c>index</c> of an open maildrop. One thread; the caller closes the maildrop.</summary>
    public sealed class MaildropLines : LineReader
    {
        private readonly IMaildrop _drop;
        private readonly int _index;
        private long _position;

        /// <summary>Reads message <paramref name="index"/> (0-based) of <paramref name="drop"/>.</summary>
        public MaildropLines(IMaildrop drop, int index)
        {
            _drop = drop;
            _index = index;
        }

        /// <inheritdoc/>
        protected override int Fill(byte[] buffer, int offset, int count)
        {
            int n = _drop.Read(_index, _position, buffer, offset, count);
            if (n > 0) _position += n;
            return n;
        }
    }
}
