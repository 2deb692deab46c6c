// One accepted connection's protocol session as the listener loop sees it: something
// to run on its own thread and something to cut short at shutdown. The protocol (SMTP,
// POP3) lives behind this interface; the listener knows none of it.

namespace NanoMailGateway.Core.Listener
{
    /// <summary>A protocol session that owns one connection and its rented buffers.</summary>
    public interface ISession
    {
        /// <summary>
        /// Runs the dialogue to its end on the calling thread, then closes the connection and
        /// returns every rented buffer. Must not throw (a broken stream just ends the session).
        /// </summary>
        void Run();

        /// <summary>Closes the connection from another thread so that a blocked Run returns soon. Safe twice.</summary>
        void Abort();
    }
}
