// The client side of one in-memory connection to the composed gateway: sends commands
// as written and reads the replies line by line (LineReader). Reads wait generously:
// the gateway's session threads run on the interpreter, under emulation on a PC.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Line-oriented client end of a connection. One thread.</summary>
    public sealed class LineClient : LineReader
    {
        /// <summary>How long one read or send waits for the gateway, ms.</summary>
        public const int TimeoutMs = 30000;

        private readonly IConnection _c;

        /// <summary>Wraps the client end <paramref name="c"/>.</summary>
        public LineClient(IConnection c)
        {
            _c = c;
        }

        /// <summary>Sends <paramref name="text"/> (ASCII, line ends as written).</summary>
        public void Send(string text)
        {
            byte[] b = Ascii.GetBytes(text);
            _c.Send(b, 0, b.Length, TimeoutMs);
        }

        /// <summary>Closes the client end.</summary>
        public void Close()
        {
            _c.Close();
        }

        /// <inheritdoc/>
        protected override int Fill(byte[] buffer, int offset, int count)
        {
            return _c.Receive(buffer, offset, count, TimeoutMs);
        }
    }
}
