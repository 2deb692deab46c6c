// Raised by the network seams when a stream breaks: reset, refused, unreachable,
// a send that missed its deadline, or a failed TLS handshake. Protocol code treats it
// as "this connection is gone" (MailKit's "protocol error: reconnect" class); it is
// never used for a protocol-level refusal, which is a reply value instead.

using System;

namespace NanoMailGateway.Core.Platform
{
    /// <summary>A connection failed or broke; the connection is unusable afterwards.</summary>
    public class ConnectionException : Exception
    {
        /// <summary>Socket error number when one is known (WSA values: 10060 timed out,
        /// 10061 refused, 10054 reset), otherwise 0.</summary>
        public int ErrorCode { get; }

        /// <summary>Creates the exception with a message and an optional error number.</summary>
        public ConnectionException(string message, int errorCode)
            : base(message)
        {
            ErrorCode = errorCode;
        }

        /// <summary>Creates the exception wrapping the adapter's own exception.</summary>
        public ConnectionException(string message, int errorCode, Exception inner)
            : base(message, inner)
        {
            ErrorCode = errorCode;
        }

        /// <summary>WSAETIMEDOUT.</summary>
        public const int TimedOut = 10060;

        /// <summary>WSAECONNREFUSED.</summary>
        public const int Refused = 10061;

        /// <summary>WSAECONNRESET.</summary>
        public const int Reset = 10054;
    }
}
