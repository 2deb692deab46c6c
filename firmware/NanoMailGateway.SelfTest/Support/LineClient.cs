// The client side of one in-memory connection to the composed gateway: sends commands
// as written and reads the replies line by line (LineReader). Reads wait generously:
// the gateway's session threads run on the interpreter, under emulation on a PC.

using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Line-oriented client end of a connection. One thread.</summary>
    public sealed class LineClient : LineReader
    {
        /// <summary>How long one read or send waits for the gateway, ms.</summary>
        public const int TimeoutMs = 30000;

        // The two pipes themselves, not a MemoryConnection around them: one heap frame less
        // under every read while the gateway's threads are at their deepest on nanoCLR.
        private readonly MemoryPipe _in;
        private readonly MemoryPipe _out;

        /// <summary>The client end of the pipes: replies arrive on <paramref name="fromServer"/>, commands go to <paramref name="toServer"/>.</summary>
        public LineClient(MemoryPipe fromServer, MemoryPipe toServer)
        {
            _in = fromServer;
            _out = toServer;
        }

        /// <summary>Sends <paramref name="text"/> (ASCII, line ends as written).</summary>
        public void Send(string text)
        {
            byte[] b = Ascii.GetBytes(text);
            if (!_out.Write(b, 0, b.Length, TimeoutMs)) Expect.Fail("the gateway did not take '" + text + "'");
        }

        /// <summary>Closes the client end.</summary>
        public void Close()
        {
            _in.Close();
            _out.Close();
        }

        /// <inheritdoc/>
        protected override int Fill(byte[] buffer, int offset, int count)
        {
            return _in.Read(buffer, offset, count, TimeoutMs);
        }
    }
}
