// Socket error numbers as the Platform seams report them (WSA values, ConnectionException).
// nanoFramework's SocketException.ErrorCode carries WSA values already (its only member,
// ARCHITECTURE.md, Platform facts); .NET on Linux, where these same adapter sources are tested,
// carries the errno instead. SocketErrorCode would say it portably but nanoFramework lacks
// it, so the few numbers the gateway acts on are translated here.
// Left out on purpose: macOS errno values (they overlap Linux ones with other meanings);
// the emulator runs these adapters too, so on macOS it reports untranslated numbers.

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>Maps a SocketException.ErrorCode to the WSA numbering of ConnectionException.</summary>
    public static class NanoSocketErrors
    {
        /// <summary>WSAEMSGSIZE: a datagram was longer than the receive buffer.</summary>
        public const int MessageSize = 10040;

        /// <summary>WSAECONNABORTED.</summary>
        public const int Aborted = 10053;

        /// <summary>WSAEADDRINUSE.</summary>
        public const int AddressInUse = 10048;

        /// <summary>Returns the WSA number for <paramref name="code"/>: WSA values (board, Windows)
        /// pass through, Linux errno values are translated, others pass through unchanged.</summary>
        public static int ToWsa(int code)
        {
            switch (code)
            {
                case 110: return 10060; // ETIMEDOUT
                case 111: return 10061; // ECONNREFUSED
                case 104: return 10054; // ECONNRESET
                case 103: return 10053; // ECONNABORTED
                case 98: return 10048;  // EADDRINUSE
                case 99: return 10049;  // EADDRNOTAVAIL
                case 101: return 10051; // ENETUNREACH
                case 113: return 10065; // EHOSTUNREACH
                case 90: return 10040;  // EMSGSIZE
                default: return code;
            }
        }
    }
}
