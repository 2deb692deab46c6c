// Puts the POP3 server behind the reusable accept loop (Listener/ConnectionListener):
// each accepted connection becomes a session that runs Pop3Server.Serve on its slot
// thread; when every slot is taken the connection gets "-ERR [SYS/TEMP] too many
// sessions" (RFC 3206 §4, a transient condition) and is closed.
// Buffers are rented by Pop3Server.Serve when the session starts, not here: a session
// that finds none answers "-ERR [SYS/TEMP] server busy" itself, so TryCreate never
// fails and never blocks.
// Left out on purpose: any protocol logic (Pop3ServerSession has it all).

using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>ISessionFactory for POP3. Thread-safe.</summary>
    public sealed class Pop3SessionFactory : ISessionFactory
    {
        /// <summary>Send deadline for the busy line to a refused connection, ms.</summary>
        public const int RefuseSendTimeoutMs = 2000;

        private readonly Pop3Server _server;

        /// <summary>Serves connections with <paramref name="server"/>.</summary>
        public Pop3SessionFactory(Pop3Server server)
        {
            _server = server;
        }

        /// <inheritdoc/>
        public string Component => "pop3d";

        /// <inheritdoc/>
        public ISession? TryCreate(IConnection connection, int sessionId)
        {
            return new Session(_server, connection);
        }

        /// <inheritdoc/>
        public void Refuse(IConnection connection)
        {
            // Made per refusal (a static byte[] would be heap from boot; ARCHITECTURE.md, Memory).
            ConnectionListener.SendBusyLine(connection, Ascii.GetBytes(Pop3Replies.TooManySessions), RefuseSendTimeoutMs);
        }

        /// <summary>One connection's POP3 session on a listener slot.</summary>
        private sealed class Session : ISession
        {
            private readonly Pop3Server _server;
            private readonly IConnection _connection;

            internal Session(Pop3Server server, IConnection connection)
            {
                _server = server;
                _connection = connection;
            }

            public void Run()
            {
                _server.Serve(_connection);
            }

            public void Abort()
            {
                // Closing the connection ends a blocked Receive; Serve then releases the
                // mailbox lock without applying deletions (RFC 1939 §6: no QUIT, no UPDATE).
                _connection.Close();
            }
        }
    }
}
