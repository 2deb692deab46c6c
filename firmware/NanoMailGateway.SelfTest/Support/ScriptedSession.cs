// Drives one server session in memory without a second thread: the whole client script
// is written into the client-to-server pipe first and that direction is closed (every
// command pipelined, RFC 2920 / RFC 2449 §6.6), then the server runs on the calling
// thread until it hangs up, and its output is read back as one transcript.
// Why one thread: deterministic on the interpreter, and no thread stack on a 54 KB heap.
// Pipes are sized to the script and to the expected replies, not the 64 KB default of
// MemoryConnection.CreatePair, and nothing is held twice (the script goes into its pipe
// straight from the string, the transcript is read from the reply pipe at its real
// length), to stay inside the esp32-c3 heap (README, On-device self-test).
// Left out on purpose: waiting for a reply before sending the next command (clients
// that do so are covered by the host's xunit transcripts).

using NanoMailGateway.Core.Simulation;

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
            return Run(serve, script, replyCapacity, ClientAddress, false);
        }

        /// <summary>
        /// Like <see cref="Run(ServeConnection, string, int)"/> from <paramref name="clientAddress"/>;
        /// <paramref name="secure"/> makes the connection look like TLS from the start.
        /// </summary>
        public static Transcript Run(ServeConnection serve, string script, int replyCapacity, string clientAddress, bool secure)
        {
            MemoryPipe toServer = new MemoryPipe(script.Length + 1);
            byte[] chunk = new byte[64];
            for (int at = 0; at < script.Length; at += chunk.Length)
            {
                int n = script.Length - at < chunk.Length ? script.Length - at : chunk.Length;
                for (int i = 0; i < n; i++) chunk[i] = (byte)script[at + i];
                if (!toServer.Write(chunk, 0, n, 1000)) Expect.Fail("script did not fit its pipe");
            }
            return Serve(serve, toServer, replyCapacity, clientAddress, secure);
        }

        /// <summary>Closes the filled <paramref name="toServer"/> pipe, runs the server on it and reads back what it sent.</summary>
        private static Transcript Serve(ServeConnection serve, MemoryPipe toServer, int replyCapacity, string clientAddress, bool secure)
        {
            MemoryPipe toClient = new MemoryPipe(replyCapacity);
            MemoryConnection server = new MemoryConnection(toServer, toClient, clientAddress, 40000, "192.0.2.1", secure);
            toServer.Close();
            serve(server);
            byte[] reply = new byte[toClient.Count];
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
