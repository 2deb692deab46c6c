// A local alias from "alias.NAME = address[, address]" (README, Aliases): mail for
// NAME@ any local domain goes to the targets instead, each a local account name ("ops")
// or a full address, local or remote ("oncall@example.com"). The SMTP listener expands it
// at RCPT into one envelope recipient per target, each remembering the alias as its
// original recipient (RFC 3461 §4.2, ORCPT), so every target has its own delivery status,
// retries and report, and a report names the address the sender used.
// Aliases do not nest (a target that names an alias is a configuration error): one level
// keeps the expansion bounded and loops impossible, and is what the small set of names a
// gateway serves (root, alerts, oncall) needs.

namespace NanoMailGateway.Core.Config
{
    /// <summary>An immutable local alias.</summary>
    public sealed class Alias
    {
        /// <summary>Most targets of one alias: each becomes an envelope recipient (RAM and flash per message).</summary>
        public const int MaxTargets = 8;

        /// <summary>Creates an alias; the caller has validated both parts.</summary>
        public Alias(string name, string[] targets)
        {
            Name = name;
            Targets = targets;
        }

        /// <summary>The local part it answers to, matched ignoring ASCII case (like accounts).</summary>
        public string Name { get; }

        /// <summary>Targets as configured: account names or addresses.</summary>
        public string[] Targets { get; }
    }
}
