// Drives one server session in memory without a second thread: the whole client script
// is written into the client-to-server pipe first and that direction is closed (every
// command pipelined, RFC 2920 / RFC 2449 §6.6), then the server runs on the calling
// thread until it hangs up, and its output is read back as one transcript.
// Why one thread: deterministic on the interpreter, and no thread stack on a 54 KB heap.
// Pipes are sized to the script and to the expected replies, not the 64 KB default of
// MemoryConnection.CreatePair, to stay inside the esp32-c3 budget.
// Left out on purpose: waiting for a reply before sending the next command (clients
// that do so are covered by the host's xunit transcripts).

using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Runs a scripted client against a server session.</summary>
    public static class ScriptedSession
    {
        /// <summary>Address the scripted client appears to come from (TEST-NET-1, RFC 5737).</summary>
        public const string ClientAddress = "192.0.2.10";

        /// <summary>
        /// Sends <paramref name="script"/> (ASCII; CR and LF exactly as written) and returns
        /// what the server sent before it closed. <paramref name="replyCapacity"/> bounds the
        /// replies in octets: a server that sends more blocks until its send deadline.
        /// </summary>
        public static Transcript Run(ServeConnection serve, string script, int replyCapacity)
        {
            return Run(serve, Ascii.GetBytes(script), replyCapacity, ClientAddress);
        }

        /// <summary>Like <see cref="Run(ServeConnection, string, int)"/> with raw octets and a chosen client address.</summary>
        public static Transcript Run(ServeConnection serve, byte[] script, int replyCapacity, string clientAddress)
        {
            return Run(serve, script, replyCapacity, clientAddress, false);
        }

        /// <summary>
        /// Like <see cref="Run(ServeConnection, byte[], int, string)"/>; <paramref name="secure"/>
        /// makes the connection look like TLS from the start (implicit TLS, RFC 8314), for
        /// what a server allows only over TLS.
        /// </summary>
        public static Transcript Run(ServeConnection serve, byte[] script, int replyCapacity, string clientAddress, bool secure)
        {
            MemoryPipe toServer = new MemoryPipe(script.Length + 1);
            MemoryPipe toClient = new MemoryPipe(replyCapacity);
            MemoryConnection server = new MemoryConnection(toServer, toClient, clientAddress, 40000, "192.0.2.1", secure);
            if (!toServer.Write(script, 0, script.Length, 1000)) Expect.Fail("script did not fit its pipe");
            toServer.Close();
            serve(server);
            byte[] reply = new byte[replyCapacity];
            int n = 0;
            while (n < reply.Length)
            {
                int r = toClient.Read(reply, n, reply.Length - n, 1000);
                if (r <= 0) break;
                n += r;
            }
            return new Transcript(reply, n);
        }
    }
}
