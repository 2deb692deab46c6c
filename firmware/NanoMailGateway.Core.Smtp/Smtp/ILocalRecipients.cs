// The RCPT-time question for a recipient in one of our domains: does that mailbox
// exist, and has it room? RelayPolicy decides local versus remote from the domain
// alone; this seam decides which local recipients are accepted, so that mail for a
// mailbox that does not exist is refused in the dialogue (550 5.1.1, RFC 3463 "bad
// destination mailbox address") instead of becoming a bounce the gateway has to write,
// and mail for a full mailbox is deferred by the client (452 4.2.2, RFC 3463 "mailbox
// full"; RFC 5321 §4.5.3.1.10 allows 452 at RCPT for a resource shortage).
// Without an implementation (SmtpServer built without one) every local recipient is
// accepted, as before.
// An alias (README, Aliases) is accepted and replaced by its targets in the envelope;
// their mailboxes' quotas are local delivery's to enforce (it defers, never loses).
// Left out on purpose: VRFY/EXPN answers from it (VRFY stays 252, RFC 5321 §3.5.3).

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Outcome of <see cref="ILocalRecipients.Check"/>.</summary>
    public enum LocalRecipientResult
    {
        /// <summary>The mailbox exists and has room: 250.</summary>
        Accept,
        /// <summary>No such mailbox: 550 5.1.1.</summary>
        UnknownMailbox,
        /// <summary>The mailbox is at its quota: 452 4.2.2.</summary>
        MailboxFull,
        /// <summary>An alias: the recipients are its targets (<see cref="ILocalRecipients.Expand"/>).</summary>
        Alias,
    }

    /// <summary>Decides on local recipients at RCPT. Implementations must be thread-safe (all sessions call it).</summary>
    public interface ILocalRecipients
    {
        /// <summary>
        /// Checks <paramref name="address"/> (a recipient RelayPolicy found local, as SmtpPath
        /// gives it, e.g. "alerts@gw.example" or bare "postmaster"); <paramref name="declaredSize"/>
        /// is the MAIL FROM SIZE= value in octets, 0 when none was given.
        /// </summary>
        LocalRecipientResult Check(string address, long declaredSize);

        /// <summary>The target addresses of an address <see cref="Check"/> found an alias (RFC 5321 §3.4 "aliases").</summary>
        string[] Expand(string address);
    }
}
