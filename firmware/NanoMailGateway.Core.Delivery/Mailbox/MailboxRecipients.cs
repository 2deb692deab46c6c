// The SMTP listener's RCPT check for local recipients (Smtp/ILocalRecipients) over the
// one mapping rule (LocalRecipientMap) and the mailboxes in the queue (MailboxStore):
//  - no such mailbox (no user.NAME account, postmaster aside) -> UnknownMailbox, 550 5.1.1,
//    unless the name is an alias.NAME -> Alias (the listener takes its targets instead);
//  - the octets already in the mailbox plus the declared size (SIZE=, RFC 1870; 0 when
//    not declared) exceed the quota -> MailboxFull, 452 4.2.2 (over quota the
//    listener answers 452 4.2.2 for that recipient). A message without SIZE= that then
//    takes the mailbox past its quota is still accepted: the size is not known at RCPT,
//    and local delivery defers it until POP3 makes room rather than losing it.
//  - every mailbox together past its budget (mailbox_max_messages, mailbox_capacity) with
//    no gateway-made report left to give way -> MailboxFull as well (README, Capacity).
// The quota counts mail already in the mailbox only, not mail still queued for it: the
// count is a scan of the queue index (bounded by queue_max_messages), cheap enough per RCPT.
// Left out on purpose: per-mailbox quota overrides (one board-wide mailbox_quota).

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Smtp;

namespace NanoMailGateway.Core.Mailbox
{
    /// <summary>Local recipient check at RCPT. Thread-safe (the map reads only, MailboxStore locks).</summary>
    public sealed class MailboxRecipients : ILocalRecipients
    {
        private readonly LocalRecipientMap _map;
        private readonly MailboxStore _mailboxes;
        private readonly long _quota;

        /// <summary>Checks against <paramref name="map"/> and <paramref name="mailboxes"/>; <paramref name="quotaBytes"/> per mailbox (board mailbox_quota).</summary>
        public MailboxRecipients(LocalRecipientMap map, MailboxStore mailboxes, long quotaBytes)
        {
            _map = map;
            _mailboxes = mailboxes;
            _quota = quotaBytes;
        }

        /// <inheritdoc/>
        public LocalRecipientResult Check(string address, long declaredSize)
        {
            string? mailbox = _map.MailboxFor(address);
            if (mailbox == null) return _map.AliasOf(address) != null ? LocalRecipientResult.Alias : LocalRecipientResult.UnknownMailbox;
            long used = _mailboxes.UsedBytes(mailbox);
            long size = declaredSize > 0 ? declaredSize : 0;
            if (used >= _quota || used + size > _quota) return LocalRecipientResult.MailboxFull;
            if (_mailboxes.BudgetFull(size)) return LocalRecipientResult.MailboxFull;
            return LocalRecipientResult.Accept;
        }

        /// <inheritdoc/>
        public string[] Expand(string address)
        {
            string[]? targets = _map.Expand(address);
            return targets ?? Text.StringArray.New(0);
        }
    }
}
