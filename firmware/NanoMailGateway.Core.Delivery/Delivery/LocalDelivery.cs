// Local delivery (the MDA role): a recipient in one of our domains is
// filed in its mailbox inside the queue (state InMailbox, the store assigns the POP3
// UID). The mailbox comes from LocalRecipientMap (the same rule the listener used at
// RCPT); no such mailbox is 5.1.1 (RFC 3463 bad destination mailbox address); a
// mailbox past mailbox_quota, or mailboxes past their budget (mailbox_max_messages,
// mailbox_capacity), first lose their oldest gateway-made reports, then defer with 4.2.2
// (mailbox full) until POP3 empties them (README, Capacity).
// Left out on purpose: aliases, forwarding, sieve-like filters.

using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Files local recipients. Thread-safe.</summary>
    internal sealed class LocalDelivery
    {
        private readonly LocalRecipientMap _local;
        private readonly OutcomeRecorder _recorder;

        public LocalDelivery(LocalRecipientMap local, OutcomeRecorder recorder)
        {
            _local = local;
            _recorder = recorder;
        }

        /// <summary>Delivers recipient <paramref name="index"/> of the work's message to its mailbox.</summary>
        public void Deliver(MessageWork work, int index, int session)
        {
            QueuedMessage m = work.Message;
            string address = m.Envelope.GetRecipient(index).Address;
            string? mailbox = _local.MailboxFor(address);
            if (mailbox == null)
            {
                _recorder.Apply(work, index, DeliveryStatus.LocalPermanent("5.1.1", "unknown user: \"" + address + "\""),
                    OutcomeRecorder.RelayLocal, null, false, session);
                return;
            }
            if (!_recorder.HasRoom(work, mailbox, session))
            {
                _recorder.Apply(work, index, DeliveryStatus.LocalTransient("4.2.2", "mailbox " + mailbox + " is full"),
                    OutcomeRecorder.RelayLocal, null, false, session);
                return;
            }
            _recorder.FileInMailbox(work, index, mailbox, "delivered to mailbox " + mailbox, session);
        }
    }
}
