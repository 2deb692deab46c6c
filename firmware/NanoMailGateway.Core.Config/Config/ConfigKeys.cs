// The table of configuration keys: how each key's value is parsed, checked and stored.
// One case per key; the defaults and reasons are on the properties of GatewayConfig and
// BoardProfile. Per-key ranges live here because they are facts about one value;
// rules that involve several keys live in ConfigValidator.

namespace NanoMailGateway.Core.Config
{
    /// <summary>Applies one "key = value" to a GatewayConfig.</summary>
    internal static class ConfigKeys
    {
        /// <summary>Prefix of account keys: "user.NAME = SECRET".</summary>
        public const string UserPrefix = "user.";

        /// <summary>
        /// Parses and stores one setting. Returns null when done, or the error text after
        /// the "file:line: " prefix.
        /// </summary>
        public static string? Apply(GatewayConfig c, string key, string value, bool boardProfile)
        {
            BoardProfile b = c.Board;
            long n = 0;
            switch (key)
            {
                // Hardware facts: only a board profile knows them.
                case "heap_bytes":
                case "storage_capacity":
                case "storage_block_size":
                case "max_sockets":
                    if (!boardProfile) return key + ": may only be set in a board profile";
                    if (key == "max_sockets")
                    {
                        n = Number(value, 2, 64);
                        if (n < 0) return BadNumber(key, value, 2, 64);
                        b.MaxSockets = (int)n;
                        return null;
                    }
                    n = ConfigValue.ParseSize(value);
                    if (n < 0) return BadSize(key, value);
                    if (key == "heap_bytes")
                    {
                        if (n < 16 * 1024) return key + ": " + value + " is below 16K";
                        b.HeapBytes = (int)n;
                    }
                    else if (key == "storage_capacity")
                    {
                        if (n < 16 * 1024) return key + ": " + value + " is below 16K";
                        b.StorageCapacity = (int)n;
                    }
                    else
                    {
                        if (n < 256 || n > 65536) return key + ": " + value + " is out of range 256..64K";
                        b.StorageBlockSize = (int)n;
                    }
                    return null;

                case "buffer_size":
                    n = ConfigValue.ParseSize(value);
                    if (n < 0) return BadSize(key, value);
                    // One SMTP command or reply line (RFC 5321 §4.5.3.1.4-5: 512 octets) must fit a
                    // buffer; DATA is streamed, so a text line need not (ARCHITECTURE.md, Memory).
                    if (n < 512 || n > 65536) return key + ": " + value + " is out of range 512..64K (a 512-octet command line must fit, RFC 5321 §4.5.3.1.4)";
                    b.BufferSize = (int)n;
                    return null;
                case "buffer_count":
                    return Int(key, value, 1, 4096, ref n) ?? Store(b, key, n);
                case "smtp_sessions":
                case "delivery_sessions":
                    return Int(key, value, 1, 64, ref n) ?? Store(b, key, n);
                case "pop3_sessions":
                case "imap_sessions":
                    return Int(key, value, 0, 64, ref n) ?? Store(b, key, n);
                case "dns_cache_entries":
                    return Int(key, value, 0, 4096, ref n) ?? Store(b, key, n);
                case "queue_max_messages":
                case "mailbox_max_messages":
                    return Int(key, value, 1, 100000, ref n) ?? Store(b, key, n);
                case "mailbox_capacity":
                    n = ConfigValue.ParseSize(value);
                    if (n < 0) return BadSize(key, value);
                    if (n < 4096) return key + ": " + value + " is below 4K";
                    b.MailboxCapacity = n;
                    return null;
                case "mailbox_quota":
                    n = ConfigValue.ParseSize(value);
                    if (n < 0) return BadSize(key, value);
                    if (n < 1024) return key + ": " + value + " is below 1K";
                    b.MailboxQuota = (int)n;
                    return null;
                case "tls_server":
                    return Bool(key, value, ref n) ?? SetTlsServer(b, n);

                case "hostname":
                    if (!Endpoint.IsHostName(value)) return key + ": bad host name '" + value + "'";
                    c.Hostname = Text.Ascii.ToLowerString(value);
                    return null;
                case "local_domains":
                    return SetLocalDomains(c, value);
                case "smtp_listen":
                case "pop3_listen":
                case "imap_listen":
                case "admin_listen":
                case "dns_servers":
                    return SetEndpoints(c, key, value);
                case "trusted_networks":
                    {
                        string[]? items = ConfigValue.SplitList(value);
                        if (items == null) return TooMany(key);
                        NetworkList? list = NetworkList.Parse(items, out string bad);
                        if (list == null) return key + ": bad network '" + bad + "' (use CIDR: 192.168.1.0/24)";
                        c.TrustedNetworks = list;
                        return null;
                    }
                case "relayhost":
                    return SetRelayHost(c, value);
                case "relay_security":
                    if (Text.Ascii.EqualsIgnoreCase(value, "none")) c.RelaySecurity = RelaySecurity.None;
                    else if (Text.Ascii.EqualsIgnoreCase(value, "starttls")) c.RelaySecurity = RelaySecurity.StartTls;
                    else if (Text.Ascii.EqualsIgnoreCase(value, "tls")) c.RelaySecurity = RelaySecurity.Tls;
                    else return key + ": bad value '" + value + "' (use none, starttls or tls)";
                    return null;
                case "relay_user":
                    c.RelayUser = value;
                    return null;
                case "relay_password":
                    c.RelayPassword = value;
                    return null;
                case "relay_ca_file":
                    c.RelayCaFile = value;
                    return null;
                case "smtp_tls_cert":
                    c.SmtpTlsCert = value;
                    return null;
                case "smtp_tls_key":
                    c.SmtpTlsKey = value;
                    return null;
                case "smtp_port":
                    return Int(key, value, 1, 65535, ref n) ?? Store(c, key, n);
                case "message_size_limit":
                    n = ConfigValue.ParseSize(value);
                    if (n < 0) return BadSize(key, value);
                    if (n < 1024) return key + ": " + value + " is below 1K";
                    c.MessageSizeLimit = (int)n;
                    return null;
                case "max_recipients":
                    return Int(key, value, 1, 1000, ref n) ?? Store(c, key, n);
                case "smtpd_client_queue_share":
                    return Int(key, value, 1, 100, ref n) ?? Store(c, key, n);
                case "smtpd_client_message_rate_limit":
                    return Int(key, value, 0, 100000, ref n) ?? Store(c, key, n);
                case "postmaster":
                    if (!Account.IsValidName(value)) return key + ": bad account name '" + value + "'";
                    c.Postmaster = value;
                    return null;
                case "retry_min":
                case "retry_max":
                case "queue_lifetime":
                    return Duration(key, value, 1, ref n) ?? Store(c, key, n);
                case "delay_warning":
                    return Duration(key, value, 0, ref n) ?? Store(c, key, n);
                case "smtp_command_timeout":
                case "smtp_data_timeout":
                    return Duration(key, value, 1, ref n) ?? Store(c, key, n);
                case "pop3_autologout":
                    // RFC 1939 §3: the autologout timer MUST be at least 10 minutes.
                    return Duration(key, value, 600, ref n) ?? Store(c, key, n);
                case "smtp_allow_plaintext_auth":
                    return Bool(key, value, ref n) ?? SetPlaintextAuth(c, n);
            }
            if (key.Length > UserPrefix.Length && key.Substring(0, UserPrefix.Length) == UserPrefix)
            {
                string name = key.Substring(UserPrefix.Length);
                if (!Account.IsValidName(name)) return key + ": bad account name '" + name + "'";
                if (!Account.IsValidSecret(value)) return key + ": the secret must be 1..128 printable characters without spaces";
                if (!c.SetAccount(name, value)) return key + ": more than " + GatewayConfig.MaxAccounts.ToString() + " accounts";
                return null;
            }
            return "unknown key '" + key + "'";
        }

        private static string? Store(BoardProfile b, string key, long n)
        {
            int v = (int)n;
            switch (key)
            {
                case "buffer_count": b.BufferCount = v; break;
                case "smtp_sessions": b.SmtpSessions = v; break;
                case "pop3_sessions": b.Pop3Sessions = v; break;
                case "imap_sessions": b.ImapSessions = v; break;
                case "delivery_sessions": b.DeliverySessions = v; break;
                case "dns_cache_entries": b.DnsCacheEntries = v; break;
                case "queue_max_messages": b.QueueMaxMessages = v; break;
                case "mailbox_max_messages": b.MailboxMaxMessages = v; break;
            }
            return null;
        }

        private static string? Store(GatewayConfig c, string key, long n)
        {
            int v = (int)n;
            switch (key)
            {
                case "smtp_port": c.SmtpPort = v; break;
                case "max_recipients": c.MaxRecipients = v; break;
                case "smtpd_client_queue_share": c.ClientQueueSharePercent = v; break;
                case "smtpd_client_message_rate_limit": c.ClientMessageRateLimit = v; break;
                case "retry_min": c.RetryMinSeconds = v; break;
                case "retry_max": c.RetryMaxSeconds = v; break;
                case "queue_lifetime": c.QueueLifetimeSeconds = v; break;
                case "delay_warning": c.DelayWarningSeconds = v; break;
                case "smtp_command_timeout": c.SmtpCommandTimeoutSeconds = v; break;
                case "smtp_data_timeout": c.SmtpDataTimeoutSeconds = v; break;
                case "pop3_autologout": c.Pop3AutologoutSeconds = v; break;
            }
            return null;
        }

        private static string? SetTlsServer(BoardProfile b, long n)
        {
            b.TlsServer = n == 1;
            return null;
        }

        private static string? SetPlaintextAuth(GatewayConfig c, long n)
        {
            c.SmtpAllowPlaintextAuth = n == 1;
            return null;
        }

        private static string? SetLocalDomains(GatewayConfig c, string value)
        {
            string[]? items = ConfigValue.SplitList(value);
            if (items == null) return TooMany("local_domains");
            for (int i = 0; i < items.Length; i++)
            {
                if (!Endpoint.IsHostName(items[i])) return "local_domains: bad domain '" + items[i] + "'";
                items[i] = Text.Ascii.ToLowerString(items[i]);
            }
            c.LocalDomains = items;
            return null;
        }

        private static string? SetEndpoints(GatewayConfig c, string key, string value)
        {
            string[]? items = ConfigValue.SplitList(value);
            if (items == null) return TooMany(key);
            bool dns = key == "dns_servers";
            Endpoint[] eps = new Endpoint[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                // A DNS server may omit the port (53, RFC 1035 §4.2); a listener may not.
                Endpoint? e = Endpoint.Parse(items[i], dns ? 53 : -1, true);
                if (e == null || (dns && e.Port == 0))
                {
                    return key + ": bad address '" + items[i] + "' (use " + (dns ? "ip or ip:port" : "ip:port") + ")";
                }
                eps[i] = e;
            }
            if (key == "smtp_listen") c.SmtpListen = eps;
            else if (key == "pop3_listen") c.Pop3Listen = eps;
            else if (key == "imap_listen") c.ImapListen = eps;
            else if (key == "admin_listen")
            {
                if (eps.Length > 1) return key + ": one address only (ip:port)";
                c.AdminListen = eps.Length == 0 ? null : eps[0];
            }
            else c.DnsServers = eps;
            return null;
        }

        private static string? SetRelayHost(GatewayConfig c, string value)
        {
            if (value.Length == 0)
            {
                c.RelayHost = null;
                c.RelayHostMxLookup = false;
                return null;
            }
            // Postfix: "[host]" means use host's A record as is; plain "host" means look up its MX.
            bool bracketed = value[0] == '[';
            Endpoint? e = Endpoint.Parse(value, 25, false);
            if (e == null || e.Port == 0) return "relayhost: bad value '" + value + "' (use [host]:port or host)";
            if (!bracketed && IpLiteral.IsValid(e.Host)) return "relayhost: put an IP address in brackets: '[" + e.Host + "]'";
            c.RelayHost = e;
            c.RelayHostMxLookup = !bracketed;
            return null;
        }

        private static string? Int(string key, string value, long min, long max, ref long n)
        {
            n = Number(value, min, max);
            return n < 0 ? BadNumber(key, value, min, max) : null;
        }

        private static long Number(string value, long min, long max)
        {
            long n = ConfigValue.ParseNumber(value, max);
            return n < min ? -1 : n;
        }

        private static string? Duration(string key, string value, long min, ref long n)
        {
            n = ConfigValue.ParseDuration(value);
            if (n < 0) return key + ": bad duration '" + value + "' (use a number with s, m, h or d)";
            if (n < min) return key + ": " + value + " is below the minimum of " + min.ToString() + "s";
            return null;
        }

        private static string? Bool(string key, string value, ref long n)
        {
            n = ConfigValue.ParseBool(value);
            return n < 0 ? key + ": bad boolean '" + value + "' (use yes or no)" : null;
        }

        private static string BadSize(string key, string value)
        {
            return key + ": bad size '" + value + "'";
        }

        private static string BadNumber(string key, string value, long min, long max)
        {
            return key + ": bad number '" + value + "' (" + min.ToString() + ".." + max.ToString() + ")";
        }

        private static string TooMany(string key)
        {
            return key + ": more than " + ConfigValue.MaxListItems.ToString() + " entries";
        }
    }
}
