// Settings of the admin endpoint, filled by whoever composes it (the emulator, the board
// app) from GatewayConfig (admin_listen) and the board.

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Reads the free managed heap in bytes (the board: GC.Run), or -1 where it means nothing.</summary>
    public delegate long FreeHeapProbe();

    /// <summary>Admin endpoint settings. Plain data.</summary>
    public sealed class AdminOptions
    {
        /// <summary>Whole time a client has to send its request head and body, ms: a slow client cannot hold the one slot.</summary>
        public int RequestTimeoutMs { get; set; } = 10000;

        /// <summary>Deadline of each send of the response, ms.</summary>
        public int SendTimeoutMs { get; set; } = 10000;

        /// <summary>How long to read and drop what a client still sends after the response, ms (so that closing
        /// does not reset the connection before the client has read the answer).</summary>
        public int LingerMs { get; set; } = 200;

        /// <summary>Free heap reader; null = not shown.</summary>
        public FreeHeapProbe? FreeHeap { get; set; }
    }
}
