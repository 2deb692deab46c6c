// Named return values of IConnection.Receive besides a byte count.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>Special results of <see cref="IConnection.Receive"/>.</summary>
    public static class ConnectionResult
    {
        /// <summary>The peer closed its side of the stream.</summary>
        public const int Closed = 0;

        /// <summary>No byte arrived before the deadline.</summary>
        public const int TimedOut = -1;
    }
}
