// Which local mailbox an address in one of our domains belongs to. The SMTP listener
// asks at RCPT (550 5.1.1 for no such mailbox, RFC 3463 "bad destination mailbox
// address") and local delivery asks again when it files the message, so both use this
// one rule:
//  - the domain must be local (hostname, localhost, local_domains);
//  - "postmaster" (any case, also bare without a domain) is the configured postmaster account: RFC 5321 §4.5.1
//    requires that postmaster@ every domain we accept mail for works;
//  - any other local part names a user.NAME account (ASCII case ignored, RFC 5321 §2.4
//    lets us: the local part is ours to interpret);
//  - the mailbox name returned is the account's name as configured, so the POP3 login
//    name, the lock and the stored mailbox name always agree.
//  - a local part that names an alias.NAME (never an account: the config checks) is
//    expanded at RCPT to its targets (Expand), each an address of its own.
// Left out on purpose: subaddressing (user+tag), catch-all mailboxes, nested aliases.

using NanoMailGateway.Core.Config;

namespace NanoMailGateway.Core.Mailbox
{
    /// <summary>Maps local addresses to mailbox names. Thread-safe (reads only).</summary>
    public sealed class LocalRecipientMap
    {
        private readonly GatewayConfig _config;

        /// <summary>Uses the domains and accounts of <paramref name="config"/>.</summary>
        public LocalRecipientMap(GatewayConfig config)
        {
            _config = config;
        }

        /// <summary>The configuration it reads (hostname, notify_to and notify_interval for LocalSubmission and HealthNotices).</summary>
        internal GatewayConfig Config => _config;

        /// <summary>True when the address's domain is delivered locally.</summary>
        public bool IsLocal(string address)
        {
            int at = address.LastIndexOf('@');
            return at > 0 && _config.IsLocalDomain(address.Substring(at + 1));
        }

        /// <summary>
        /// The mailbox (account name) for a local address, or null when the domain is not
        /// local or no such mailbox exists.
        /// </summary>
        public string? MailboxFor(string address)
        {
            int at = address.LastIndexOf('@');
            // RFC 5321 §4.1.1.3: bare "postmaster" (no domain) must be accepted and is ours.
            if (at < 0 && Text.Ascii.EqualsIgnoreCase(address, "postmaster"))
            {
                Account? pm = _config.FindAccount(_config.Postmaster);
                return pm == null ? null : pm.Name;
            }
            if (at <= 0 || !_config.IsLocalDomain(address.Substring(at + 1))) return null;
            string local = address.Substring(0, at);
            if (Text.Ascii.EqualsIgnoreCase(local, "postmaster")) local = _config.Postmaster;
            Account? account = _config.FindAccount(local);
            return account == null ? null : account.Name;
        }

        /// <summary>The alias a local address names, or null when it names none.</summary>
        public Alias? AliasOf(string address)
        {
            int at = address.LastIndexOf('@');
            if (at <= 0 || !_config.IsLocalDomain(address.Substring(at + 1))) return null;
            return _config.FindAlias(address.Substring(0, at));
        }

        /// <summary>
        /// The targets of the alias a local address names, as full addresses (an account
        /// name gets the hostname as its domain), or null when it names none.
        /// </summary>
        public string[]? Expand(string address)
        {
            Alias? alias = AliasOf(address);
            if (alias == null) return null;
            string[] targets = Text.StringArray.New(alias.Targets.Length);
            for (int i = 0; i < targets.Length; i++)
            {
                string t = alias.Targets[i];
                targets[i] = t.IndexOf('@') < 0 ? t + "@" + _config.Hostname : t;
            }
            return targets;
        }

        /// <summary>The postmaster's mailbox name, for bounces that cannot be delivered (never bounced again).</summary>
        public string PostmasterMailbox
        {
            get
            {
                Account? account = _config.FindAccount(_config.Postmaster);
                return account == null ? _config.Postmaster : account.Name;
            }
        }
    }
}
