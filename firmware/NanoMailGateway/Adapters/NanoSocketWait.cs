// Waiting on a socket with a deadline in milliseconds, with the one wait both runtimes
// share: Socket.Poll(microseconds, SelectRead). Poll takes an int of microseconds, which
// overflows after about 35 minutes, so long waits are sliced.

using System.Net.Sockets;

namespace NanoMailGateway.Board.Adapters
{
    internal static class NanoSocketWait
    {
        private const int SliceMs = 1000000; // 1000 s per Poll call, well below int.MaxValue µs

        /// <summary>True when the socket has data (or EOF, or an error to report) before the
        /// deadline; <paramref name="timeoutMs"/> &lt;= 0 waits forever.</summary>
        public static bool Readable(Socket socket, int timeoutMs)
        {
            if (timeoutMs <= 0) return socket.Poll(-1, SelectMode.SelectRead);
            int left = timeoutMs;
            while (left > 0)
            {
                int slice = left > SliceMs ? SliceMs : left;
                if (socket.Poll(slice * 1000, SelectMode.SelectRead)) return true;
                left -= slice;
            }
            return false;
        }
    }
}
