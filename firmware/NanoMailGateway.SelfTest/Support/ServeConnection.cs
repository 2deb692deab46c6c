// The shape of a server's session entry point (Pop3Server.Serve, SmtpServer.Serve ...),
// so that one helper can drive any of them over an in-memory connection.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Runs one whole server session on the calling thread and closes the connection.</summary>
    public delegate void ServeConnection(IConnection connection);
}
