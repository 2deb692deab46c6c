// The table of configuration keys: how each key's value is parsed, checked and stored.
// One case per key, and each case does all three, so there is no second table a key can
// be missing from. A new key goes into the section it belongs to below, with a row in
// ConfigParserTests.GoodKeys (hardware facts: ConfigKeyTableTests.HardwareRows) and a
// line in the README's configuration table; ConfigKeyTableTests reads the case labels
// and fails on a key without either, or one that parses but changes nothing. The
// defaults and reasons are on the properties of GatewayConfig and BoardProfile. Per-key
// ranges live here because they are facts about one value; rules that involve several
// keys live in ConfigValidator.

namespace NanoMailGateway.Core.Config
{
    /// <summary>Applies one "key = value" to a GatewayConfig.</summary>
    internal static class ConfigKeys
    {
        /// <summary>Prefix of account keys: "user.NAME = SECRET".</summary>
        public const string UserPrefix = "user.";

        /// <summary>Prefix of alias keys: "alias.NAME = address[, address]".</summary>
        public const string AliasPrefix = "alias.";

        /// <summary>
        /// Parses and stores one setting. Returns null when done, or the error text after
        /// the "file:line: " prefix. Each case stores its value only when the value is good
        /// and returns the error (null) itself.
        /// </summary>
        public static string? Apply(GatewayConfig c, string key, string value, bool boardProfile)
        {
            BoardProfile b = c.Board;
            long n = 0;
            string? error = null;
            Endpoint[]? eps = null;
            switch (key)
            {
                // ---- hardware facts: only a board profile knows them -------------------
                case "heap_bytes":
                    if (Hardware(key, boardProfile, ref error) && Size(key, value, 16 * 1024, ref n, ref error)) b.HeapBytes = (int)n;
                    return error;
                case "storage_capacity":
                    if (Hardware(key, boardProfile, ref error) && Size(key, value, 16 * 1024, ref n, ref error)) b.StorageCapacity = (int)n;
                    return error;
                case "max_sockets":
                    if (Hardware(key, boardProfile, ref error) && Int(key, value, 2, 64, ref n, ref error)) b.MaxSockets = (int)n;
                    return error;

                // ---- board limits: a profile sets them, a config may override them -----
                case "buffer_size":
                    n = ConfigValue.ParseSize(value);
                    if (n < 0) return BadSize(key, value);
                    // One SMTP command or reply line (RFC 5321 §4.5.3.1.4-5: 512 octets) must fit a
                    // buffer; DATA is streamed, so a text line need not (ARCHITECTURE.md, Memory).
                    if (n < 512 || n > 65536) return key + ": " + value + " is out of range 512..64K (a 512-octet command line must fit, RFC 5321 §4.5.3.1.4)";
                    b.BufferSize = (int)n;
                    return null;
                case "buffer_count":
                    if (Int(key, value, 1, 4096, ref n, ref error)) b.BufferCount = (int)n;
                    return error;
                case "smtp_sessions":
                    if (Int(key, value, 1, 64, ref n, ref error)) b.SmtpSessions = (int)n;
                    return error;
                case "pop3_sessions":
                    if (Int(key, value, 0, 64, ref n, ref error)) b.Pop3Sessions = (int)n;
                    return error;
                case "imap_sessions":
                    if (Int(key, value, 0, 64, ref n, ref error)) b.ImapSessions = (int)n;
                    return error;
                case "delivery_sessions":
                    if (Int(key, value, 1, 64, ref n, ref error)) b.DeliverySessions = (int)n;
                    return error;
                case "dns_cache_entries":
                    if (Int(key, value, 0, 4096, ref n, ref error)) b.DnsCacheEntries = (int)n;
                    return error;
                case "queue_max_messages":
                    if (Int(key, value, 1, 100000, ref n, ref error)) b.QueueMaxMessages = (int)n;
                    return error;
                case "mailbox_max_messages":
                    if (Int(key, value, 1, 100000, ref n, ref error)) b.MailboxMaxMessages = (int)n;
                    return error;
                case "mailbox_capacity":
                    if (Size(key, value, 4096, ref n, ref error)) b.MailboxCapacity = n;
                    return error;
                case "mailbox_quota":
                    if (Size(key, value, 1024, ref n, ref error)) b.MailboxQuota = (int)n;
                    return error;
                case "tls_server":
                    if (Bool(key, value, ref n, ref error)) b.TlsServer = n == 1;
                    return error;

                // ---- names and addresses ----------------------------------------------
                case "hostname":
                    if (!Endpoint.IsHostName(value)) return key + ": bad host name '" + value + "'";
                    c.Hostname = Text.Ascii.ToLowerString(value);
                    return null;
                case "local_domains":
                    return SetLocalDomains(c, value);
                case "smtp_listen":
                    if (Endpoints(key, value, -1, ref eps, ref error)) c.SmtpListen = eps!;
                    return error;
                case "pop3_listen":
                    if (Endpoints(key, value, -1, ref eps, ref error)) c.Pop3Listen = eps!;
                    return error;
                case "imap_listen":
                    if (Endpoints(key, value, -1, ref eps, ref error)) c.ImapListen = eps!;
                    return error;
                case "admin_listen":
                    if (!Endpoints(key, value, -1, ref eps, ref error)) return error;
                    if (eps!.Length > 1) return key + ": one address only (ip:port)";
                    c.AdminListen = eps.Length == 0 ? null : eps[0];
                    return null;
                case "syslog_server":
                    if (!Endpoints(key, value, 514, ref eps, ref error)) return error;
                    if (eps!.Length > 1) return key + ": one address only (ip or ip:port)";
                    c.SyslogServer = eps.Length == 0 ? null : eps[0];
                    return null;
                case "dns_servers":
                    if (Endpoints(key, value, 53, ref eps, ref error)) c.DnsServers = eps!;
                    return error;
                case "trusted_networks":
                    {
                        string[]? items = ConfigValue.SplitList(value);
                        if (items == null) return TooMany(key);
                        NetworkList? list = NetworkList.Parse(items, out string bad);
                        if (list == null) return key + ": bad network '" + bad + "' (use CIDR: 192.168.1.0/24)";
                        c.TrustedNetworks = list;
                        return null;
                    }
                case "postmaster":
                    if (!Account.IsValidName(value)) return key + ": bad account name '" + value + "'";
                    c.Postmaster = value;
                    return null;

                case "notify_to":
                    return SetNotifyTo(c, value);
                case "notify_interval":
                    if (Duration(key, value, 1, ref n, ref error)) c.NotifyIntervalSeconds = (int)n;
                    return error;

                // ---- outbound delivery ------------------------------------------------
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
                case "smtp_port":
                    if (Int(key, value, 1, 65535, ref n, ref error)) c.SmtpPort = (int)n;
                    return error;

                // ---- the SMTP and POP3 servers ----------------------------------------
                case "smtp_tls_cert":
                    c.SmtpTlsCert = value;
                    return null;
                case "smtp_tls_key":
                    c.SmtpTlsKey = value;
                    return null;
                case "message_size_limit":
                    if (Size(key, value, 1024, ref n, ref error)) c.MessageSizeLimit = (int)n;
                    return error;
                case "max_recipients":
                    if (Int(key, value, 1, 1000, ref n, ref error)) c.MaxRecipients = (int)n;
                    return error;
                case "smtpd_client_queue_share":
                    if (Int(key, value, 1, 100, ref n, ref error)) c.ClientQueueSharePercent = (int)n;
                    return error;
                case "smtpd_client_message_rate_limit":
                    if (Int(key, value, 0, 100000, ref n, ref error)) c.ClientMessageRateLimit = (int)n;
                    return error;
                case "smtp_allow_plaintext_auth":
                    if (Bool(key, value, ref n, ref error)) c.SmtpAllowPlaintextAuth = n == 1;
                    return error;

                // ---- times (durations in seconds) -------------------------------------
                case "retry_min":
                    if (Duration(key, value, 1, ref n, ref error)) c.RetryMinSeconds = (int)n;
                    return error;
                case "retry_max":
                    if (Duration(key, value, 1, ref n, ref error)) c.RetryMaxSeconds = (int)n;
                    return error;
                case "queue_lifetime":
                    if (Duration(key, value, 1, ref n, ref error)) c.QueueLifetimeSeconds = (int)n;
                    return error;
                case "smtp_connection_cache_time_limit":
                    if (Duration(key, value, 0, ref n, ref error)) c.ConnectionCacheSeconds = (int)n;
                    return error;
                case "delay_warning":
                    if (Duration(key, value, 0, ref n, ref error)) c.DelayWarningSeconds = (int)n;
                    return error;
                case "smtp_command_timeout":
                    if (Duration(key, value, 1, ref n, ref error)) c.SmtpCommandTimeoutSeconds = (int)n;
                    return error;
                case "smtp_data_timeout":
                    if (Duration(key, value, 1, ref n, ref error)) c.SmtpDataTimeoutSeconds = (int)n;
                    return error;
                case "pop3_autologout":
                    // RFC 1939 §3: the autologout timer MUST be at least 10 minutes.
                    if (Duration(key, value, 600, ref n, ref error)) c.Pop3AutologoutSeconds = (int)n;
                    return error;
            }
            if (key.Length > UserPrefix.Length && key.Substring(0, UserPrefix.Length) == UserPrefix)
            {
                string name = key.Substring(UserPrefix.Length);
                if (!Account.IsValidName(name)) return key + ": bad account name '" + name + "'";
                if (!Account.IsValidSecret(value)) return key + ": the secret must be 1..128 printable characters without spaces";
                if (!c.SetAccount(name, value)) return key + ": more than " + GatewayConfig.MaxAccounts.ToString() + " accounts";
                return null;
            }
            if (key.Length > AliasPrefix.Length && key.Substring(0, AliasPrefix.Length) == AliasPrefix)
            {
                return SetAlias(c, key, key.Substring(AliasPrefix.Length), value);
            }
            return "unknown key '" + key + "'";
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

        private static string? SetNotifyTo(GatewayConfig c, string value)
        {
            string[]? items = null;
            string? error = NamesOrAddresses("notify_to", value, ConfigValue.MaxListItems, ref items);
            if (error == null) c.NotifyTo = items;
            return error;
        }

        // alias.NAME: a name like an account's, 1..Alias.MaxTargets targets. Whether they
        // exist, nest or clash with an account is ConfigValidator's: accounts may come later.
        private static string? SetAlias(GatewayConfig c, string key, string name, string value)
        {
            if (!Account.IsValidName(name)) return key + ": bad alias name '" + name + "'";
            string[]? targets = null;
            string? error = NamesOrAddresses(key, value, Alias.MaxTargets, ref targets);
            if (error != null) return error;
            if (targets!.Length == 0) return key + ": at least one address is needed";
            if (!c.SetAlias(name, targets)) return key + ": more than " + GatewayConfig.MaxAliases.ToString() + " aliases";
            return null;
        }

        // A list of mail targets (notify_to, alias.NAME): each an account name (the local
        // mailbox name@hostname) or local@domain, where the local part is a dot-atom (RFC
        // 5322 §3.4.1, as SMTP takes it unquoted, RFC 5321 §4.1.2) of at most 64 octets
        // (RFC 5321 §4.5.3.1.1). Domains are lowered, as a domain is matched ignoring case.
        private static string? NamesOrAddresses(string key, string value, int max, ref string[]? items)
        {
            string[]? list = ConfigValue.SplitList(value);
            if (list == null || list.Length > max) return key + ": more than " + max.ToString() + " entries";
            for (int i = 0; i < list.Length; i++)
            {
                string a = list[i];
                int at = a.LastIndexOf('@');
                bool good = at < 0 ? Account.IsValidName(a)
                    : at > 0 && at <= 64 && a[0] != '.' && a[at - 1] != '.' && Endpoint.IsHostName(a.Substring(at + 1));
                for (int k = 0; good && at > 0 && k < at; k++)
                {
                    // Dot-atom text (RFC 5322 §3.2.3): atext, single dots between.
                    char ch = a[k];
                    good = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                        || "!#$%&'*+-/=?^_`{|}~".IndexOf(ch) >= 0 || (ch == '.' && a[k - 1] != '.');
                }
                if (!good) return key + ": bad address '" + a + "' (use an account name or local@domain)";
                if (at > 0) list[i] = a.Substring(0, at + 1) + Text.Ascii.ToLowerString(a.Substring(at + 1));
            }
            items = list;
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

        // The value helpers below return true with the value in n, or false with the
        // error text in error.

        private static bool Hardware(string key, bool boardProfile, ref string? error)
        {
            if (!boardProfile) error = key + ": may only be set in a board profile";
            return boardProfile;
        }

        private static bool Int(string key, string value, long min, long max, ref long n, ref string? error)
        {
            n = ConfigValue.ParseNumber(value, max);
            if (n >= min) return true;
            error = BadNumber(key, value, min, max);
            return false;
        }

        /// <summary>A size with K or M; <paramref name="min"/> is a whole number of KiB.</summary>
        private static bool Size(string key, string value, long min, ref long n, ref string? error)
        {
            n = ConfigValue.ParseSize(value);
            if (n < 0) error = BadSize(key, value);
            else if (n < min) error = key + ": " + value + " is below " + (min / 1024).ToString() + "K";
            return error == null;
        }

        private static bool Duration(string key, string value, long min, ref long n, ref string? error)
        {
            n = ConfigValue.ParseDuration(value);
            if (n < 0) error = key + ": bad duration '" + value + "' (use a number with s, m, h or d)";
            else if (n < min) error = key + ": " + value + " is below the minimum of " + min.ToString() + "s";
            return error == null;
        }

        private static bool Bool(string key, string value, ref long n, ref string? error)
        {
            n = ConfigValue.ParseBool(value);
            if (n < 0) error = key + ": bad boolean '" + value + "' (use yes or no)";
            return error == null;
        }

        /// <summary>A list of addresses; a DNS server may omit the port (53, RFC 1035 §4.2), a listener may not.</summary>
        // defaultPort: the port an address without one gets (DNS 53, syslog 514), or -1 when
        // the port is required (listen sockets).
        private static bool Endpoints(string key, string value, int defaultPort, ref Endpoint[]? eps, ref string? error)
        {
            string[]? items = ConfigValue.SplitList(value);
            if (items == null)
            {
                error = TooMany(key);
                return false;
            }
            eps = new Endpoint[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                Endpoint? e = Endpoint.Parse(items[i], defaultPort, true);
                if (e == null || (defaultPort > 0 && e.Port == 0))
                {
                    error = key + ": bad address '" + items[i] + "' (use " + (defaultPort > 0 ? "ip or ip:port" : "ip:port") + ")";
                    return false;
                }
                eps[i] = e;
            }
            return true;
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
