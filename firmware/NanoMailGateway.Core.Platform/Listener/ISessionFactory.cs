// What a protocol gives the reusable listener loop (ConnectionListener): a way to set up
// a session for a new connection (renting its buffers) and a way to turn a connection
// away with the protocol's own busy line (SMTP "421 4.3.2", POP3 "-ERR [SYS/TEMP]").

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Listener
{
    /// <summary>Creates protocol sessions. Called from the listener's accept thread only.</summary>
    public interface ISessionFactory
    {
        /// <summary>Short protocol name for logs ("smtpd", "pop3d").</summary>
        string Component { get; }

        /// <summary>
        /// Prepares a session for <paramref name="connection"/> numbered <paramref name="sessionId"/>.
        /// Returns null when the session cannot rent its buffers; the listener then refuses
        /// the connection with <see cref="Refuse"/>. Must not block on the network.
        /// </summary>
        ISession? TryCreate(IConnection connection, int sessionId);

        /// <summary>
        /// Sends the protocol's "too busy" line to <paramref name="connection"/> (with a short
        /// send deadline) and closes it. Must not throw.
        /// </summary>
        void Refuse(IConnection connection);
    }
}
