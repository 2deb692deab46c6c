// The commit signal of the queue: every committed message (listener mail, bounces)
// sets one event, so that the delivery agent sleeps until the next due time yet starts
// on new mail at once instead of polling fast.
// Left out on purpose: one signal per waiter (one AutoResetEvent wakes one waiting
// thread; a woken delivery thread takes all due work, the others wake on their timeout).

using System.Threading;

namespace NanoMailGateway.Core.Queue
{
    public sealed partial class MessageStore
    {
        private readonly AutoResetEvent _work = new AutoResetEvent(false);
        private int _mailboxChanges;

        /// <summary>
        /// Bumped by every committed change that files a message into a mailbox, takes one
        /// out of it or changes its flags: an IMAP session in IDLE compares it between reads
        /// (a few hundred milliseconds apart) and then looks at its mailbox again, so a
        /// local delivery reaches an idle client as "* N EXISTS" at once (RFC 9051 §6.3.13).
        /// </summary>
        public int MailboxChanges => _mailboxChanges;

        /// <summary>
        /// Blocks until a message is committed (or <see cref="SignalWork"/> is called) or
        /// <paramref name="timeoutMs"/> ms pass. Returns true when signalled. Thread-safe.
        /// </summary>
        public bool WaitForWork(int timeoutMs)
        {
            return _work.WaitOne(timeoutMs < 0 ? 0 : timeoutMs, false);
        }

        /// <summary>Wakes one <see cref="WaitForWork"/> caller (new work, or a stop request).</summary>
        public void SignalWork()
        {
            _work.Set();
        }
    }
}
