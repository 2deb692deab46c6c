// Who may send where (no open relay, README "SMTP listener"): a recipient whose domain is one of
// local_domains is a local mailbox and accepted from anyone; any other recipient is
// relayed, which needs a trusted client network or a successful AUTH; otherwise RCPT
// gets 554 5.7.1. The decision looks only at the domain of the final mailbox as
// SmtpPath parsed it, so none of these route around it: "%" hacks and "!" bang paths
// (local-part characters, never interpreted), source routes (ignored), quoted local
// parts with "@" (the domain after the quote decides), "user@a@b" (a syntax error),
// trailing dots (a syntax error). An address literal is always remote: matching it
// against our own addresses buys nothing for a device gateway and would be one more
// way in. The sender (also MAIL FROM:<>) plays no part in the decision.

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Outcome of <see cref="RelayPolicy.Check"/>.</summary>
    public enum RelayDecision
    {
        /// <summary>A local mailbox: accept from anyone.</summary>
        Local,
        /// <summary>Remote, and the client may relay.</summary>
        Relay,
        /// <summary>Remote, and the client may not relay: 554 5.7.1.</summary>
        Denied,
    }

    /// <summary>The relay decision. Thread-safe (immutable).</summary>
    public sealed class RelayPolicy
    {
        private readonly string[] _localDomains;

        /// <summary>Creates the policy; <paramref name="localDomains"/> are lower case without trailing dot.</summary>
        public RelayPolicy(string[] localDomains)
        {
            _localDomains = localDomains;
        }

        /// <summary>True when <paramref name="domain"/> (lower case) is one of local_domains.</summary>
        public bool IsLocalDomain(string domain)
        {
            for (int i = 0; i < _localDomains.Length; i++)
            {
                if (_localDomains[i] == domain) return true;
            }
            return false;
        }

        /// <summary>
        /// Decides for a parsed recipient path. <paramref name="mayRelay"/>: the client is in a
        /// trusted network or has authenticated in this session.
        /// </summary>
        public RelayDecision Check(SmtpPath recipient, bool mayRelay)
        {
            // RFC 5321 §4.1.1.3: bare "postmaster" is ours.
            if (recipient.Domain.Length == 0) return RelayDecision.Local;
            if (!recipient.IsAddressLiteral && IsLocalDomain(recipient.Domain)) return RelayDecision.Local;
            return mayRelay ? RelayDecision.Relay : RelayDecision.Denied;
        }
    }
}
