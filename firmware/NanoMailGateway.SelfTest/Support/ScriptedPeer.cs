// A scripted SMTP server for the client scenario, without a thread: every reply the
// peer will give is written into the server-to-client pipe before the client starts
// (the client reads them in order; a pipelining client reads a batch of them at once),
// and that direction is closed so a client that waits for more sees the end. What the
// client sent is read back afterwards as a Transcript.
// Left out on purpose: replies that depend on what the client sent (the host's xunit
// ScriptedSmtpServer does that); a client that sends an unexpected command simply gets
// the next scripted reply, and the transcript shows it.

using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>One scripted connection: the client end, and what the client sent.</summary>
    public sealed class ScriptedPeer
    {
        private readonly MemoryPipe _toServer;

        /// <summary>Prepares the peer's <paramref name="replies"/> (CRLF-terminated lines).</summary>
        public ScriptedPeer(string replies, int commandCapacity)
        {
            byte[] r = Ascii.GetBytes(replies);
            MemoryPipe toClient = new MemoryPipe(r.Length + 1);
            _toServer = new MemoryPipe(commandCapacity);
            if (!toClient.Write(r, 0, r.Length, 1000)) Expect.Fail("replies did not fit their pipe");
            toClient.Close();
            Client = new MemoryConnection(toClient, _toServer, "192.0.2.25", 25, "192.0.2.10", false);
        }

        /// <summary>The client's end of the connection.</summary>
        public MemoryConnection Client { get; }

        /// <summary>What the client sent so far, as lines.</summary>
        public Transcript Sent()
        {
            // The client has finished: everything it sent is in the pipe already.
            byte[] buf = new byte[_toServer.Count];
            int n = 0;
            while (n < buf.Length)
            {
                int r = _toServer.Read(buf, n, buf.Length - n, 50);
                if (r <= 0) break;
                n += r;
            }
            return new Transcript(buf, n);
        }
    }
}
