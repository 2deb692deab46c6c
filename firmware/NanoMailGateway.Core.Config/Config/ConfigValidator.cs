// Rules that involve more than one setting, checked once all layers are parsed. Each
// error is placed at the line that set the offending key (or "defaults").

namespace NanoMailGateway.Core.Config
{
    /// <summary>Whole-configuration checks. Stateless.</summary>
    public static class ConfigValidator
    {
        /// <summary>Sockets kept besides sessions and listeners: one UDP socket for DNS.</summary>
        public const int ReservedSockets = 1;

        /// <summary>Returns null when the configuration is consistent, or the first problem.</summary>
        public static ConfigError? Validate(GatewayConfig c)
        {
            BoardProfile b = c.Board;
            if (c.SmtpListen.Length == 0) return c.ErrorAt("smtp_listen", "smtp_listen: at least one address is needed");
            if (c.RetryMinSeconds > c.RetryMaxSeconds) return c.ErrorAt("retry_min", "retry_min: longer than retry_max");
            if (c.RetryMaxSeconds > c.QueueLifetimeSeconds) return c.ErrorAt("retry_max", "retry_max: longer than queue_lifetime");
            if (c.DelayWarningSeconds >= c.QueueLifetimeSeconds) return c.ErrorAt("delay_warning", "delay_warning: not shorter than queue_lifetime (use 0 to turn it off)");

            // A notice to a local mailbox that does not exist would be refused at delivery, silently
            // (a message from <> is never bounced, RFC 5321 §4.5.5).
            for (int i = 0; c.NotifyTo != null && i < c.NotifyTo.Length; i++)
            {
                string? name = MissingMailbox(c, c.NotifyTo[i]);
                if (name != null) return c.ErrorAt("notify_to", "notify_to: no mailbox '" + name + "' (add user." + name + " or give a full address)");
            }

            // Both halves of a key pair, or neither.
            if ((c.SmtpTlsCert.Length == 0) != (c.SmtpTlsKey.Length == 0))
            {
                string k = c.SmtpTlsCert.Length == 0 ? "smtp_tls_key" : "smtp_tls_cert";
                return c.ErrorAt(k, k + ": smtp_tls_cert and smtp_tls_key go together");
            }
            // A server TLS session holds ~33 KB of native buffers: boards without PSRAM cannot keep one.
            if (c.SmtpTlsCert.Length > 0 && !b.TlsServer)
            {
                return c.ErrorAt("smtp_tls_cert", "smtp_tls_cert: board " + b.Name + " has tls_server = no (a TLS session needs ~33 KB)");
            }
            if ((c.RelayUser.Length == 0) != (c.RelayPassword.Length == 0))
            {
                string k = c.RelayUser.Length == 0 ? "relay_password" : "relay_user";
                return c.ErrorAt(k, k + ": relay_user and relay_password go together");
            }
            // RFC 4954 §4: no password in clear over the network.
            if (c.RelayUser.Length > 0 && c.RelaySecurity == RelaySecurity.None)
            {
                return c.ErrorAt("relay_user", "relay_user: needs relay_security = starttls or tls (the password would travel in clear)");
            }
            if (c.RelayUser.Length > 0 && c.RelayHost == null)
            {
                return c.ErrorAt("relay_user", "relay_user: needs a relayhost");
            }

            // Flash: a message or a mailbox larger than the store can never be kept.
            if (c.MessageSizeLimit > b.StorageCapacity)
            {
                return c.ErrorAt("message_size_limit", "message_size_limit: " + c.MessageSizeLimit.ToString() + " exceeds storage_capacity " + b.StorageCapacity.ToString() + " of board " + b.Name);
            }
            if (b.MailboxQuota > b.StorageCapacity)
            {
                return c.ErrorAt("mailbox_quota", "mailbox_quota: exceeds storage_capacity " + b.StorageCapacity.ToString() + " of board " + b.Name);
            }

            // Memory: the pool may take a quarter of the heap; the rest holds session
            // objects, the queue index, the DNS cache and GC headroom.
            if (b.PoolBytes * 4 > b.HeapBytes)
            {
                return c.ErrorAt("buffer_count", "buffer_count: " + b.BufferCount.ToString() + " x " + b.BufferSize.ToString() + " bytes is more than a quarter of heap_bytes " + b.HeapBytes.ToString() + " of board " + b.Name);
            }
            // Every session needs at least one buffer, else it would be refused at once.
            if (b.BufferCount < b.TotalSessions)
            {
                return c.ErrorAt("buffer_count", "buffer_count: " + b.BufferCount.ToString() + " is fewer than the " + b.TotalSessions.ToString() + " sessions");
            }
            int sockets = c.SmtpListen.Length + c.Pop3Listen.Length + c.ImapListen.Length + b.TotalSessions + ReservedSockets;
            if (sockets > b.MaxSockets)
            {
                return c.ErrorAt("smtp_sessions", "smtp_sessions: listeners, sessions and DNS need " + sockets.ToString() + " sockets; board " + b.Name + " has " + b.MaxSockets.ToString());
            }
            if (c.Pop3Listen.Length > 0 && b.Pop3Sessions == 0)
            {
                return c.ErrorAt("pop3_listen", "pop3_listen: set but pop3_sessions = 0");
            }
            if (c.ImapListen.Length > 0 && b.ImapSessions == 0)
            {
                return c.ErrorAt("imap_listen", "imap_listen: set but imap_sessions = 0 (IMAP is off on board " + b.Name + ")");
            }
            return Aliases(c);
        }

        // Aliases (README, Aliases): a name that is neither an account nor postmaster (RFC
        // 5321 §4.5.1: postmaster is always the postmaster's mailbox, postmaster = NAME picks
        // the account), and targets that exist: an account, or an address whose local
        // domain has that account; an alias as a target would nest.
        private static ConfigError? Aliases(GatewayConfig c)
        {
            for (int i = 0; i < c.AliasCount; i++)
            {
                Alias a = c.GetAlias(i);
                string key = ConfigKeys.AliasPrefix + a.Name;
                if (Text.Ascii.EqualsIgnoreCase(a.Name, "postmaster"))
                {
                    return c.ErrorAt(key, key + ": postmaster is always the postmaster account's mailbox (choose it with postmaster = NAME)");
                }
                if (c.FindAccount(a.Name) != null) return c.ErrorAt(key, key + ": " + a.Name + " is also an account (user." + a.Name + ")");
                for (int t = 0; t < a.Targets.Length; t++)
                {
                    string target = a.Targets[t];
                    string? missing = MissingMailbox(c, target);
                    if (missing != null && c.FindAlias(missing) != null) return c.ErrorAt(key, key + ": " + target + " is an alias (aliases do not nest)");
                    if (missing != null) return c.ErrorAt(key, key + ": no mailbox '" + missing + "' for " + target + " (add user." + missing + ")");
                }
            }
            return null;
        }

        /// <summary>
        /// The local part of <paramref name="address"/> (an account name, or an address in a
        /// local domain) when no mailbox answers to it; null when one does (postmaster
        /// always does) or the address is remote, not ours to check.
        /// </summary>
        private static string? MissingMailbox(GatewayConfig c, string address)
        {
            int at = address.LastIndexOf('@');
            string? name = at < 0 ? address : c.IsLocalDomain(address.Substring(at + 1)) ? address.Substring(0, at) : null;
            if (name == null || Text.Ascii.EqualsIgnoreCase(name, "postmaster") || c.FindAccount(name) != null) return null;
            return name;
        }
    }
}
