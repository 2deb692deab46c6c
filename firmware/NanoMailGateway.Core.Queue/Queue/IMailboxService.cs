// A protocol over the local mailboxes that the gateway starts beside SMTP and POP3 when
// the host brings one (the IMAP server, Core.Imap). The seam keeps Core.Gateway free of a
// reference to it: on nanoCLR every referenced assembly is loaded and its tables take heap
// (ARCHITECTURE.md, Assemblies), which the esp32-c3, where IMAP is off, cannot spare.

using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>A mailbox protocol server the gateway puts behind its listeners.</summary>
    public interface IMailboxService
    {
        /// <summary>
        /// Binds the service to the gateway's mailboxes and session pool (once, at Start) and
        /// returns what the listeners hand connections to.
        /// </summary>
        ISessionFactory Open(MailboxStore mailboxes, BufferPool pool);
    }
}
