using System;
using System.Collections.Generic;
using NanoMailGateway.Core.Config;
using Xunit;

namespace NanoMailGateway.Tests.Core.Config
{
    public class ConfigParserTests
    {
        private static GatewayConfig Parse(string text, bool board = false)
        {
            var c = new GatewayConfig();
            ConfigError? err = ConfigParser.Parse(text, "main.cf", c, board);
            Assert.True(err == null, err?.ToString());
            return c;
        }

        private static string Error(string text, bool board = false)
        {
            ConfigError? err = ConfigParser.Parse(text, "main.cf", new GatewayConfig(), board);
            Assert.NotNull(err);
            return err!.ToString();
        }

        private static string Eps(Endpoint[] e) => string.Join(" ", Array.ConvertAll(e, x => x.ToString()));

        // Every key with a good value, and what it sets (rendered as text).
        public static IEnumerable<object[]> GoodKeys()
        {
            (string line, Func<GatewayConfig, object> get, object expected)[] rows =
            {
                ("hostname = Mail.Example.COM", c => c.Hostname, "mail.example.com"),
                ("local_domains = example.com, Example.NET lan", c => string.Join("|", c.LocalDomains), "example.com|example.net|lan"),
                ("local_domains =", c => c.LocalDomains.Length, 0),
                ("smtp_listen = 0.0.0.0:25, [::1]:2525", c => Eps(c.SmtpListen), "0.0.0.0:25 [::1]:2525"),
                ("smtp_listen = 127.0.0.1:0", c => Eps(c.SmtpListen), "127.0.0.1:0"),
                ("pop3_listen = 192.168.1.2:110", c => Eps(c.Pop3Listen), "192.168.1.2:110"),
                ("pop3_listen =", c => c.Pop3Listen.Length, 0),
                ("imap_listen = 192.168.1.2:143", c => Eps(c.ImapListen), "192.168.1.2:143"),
                ("admin_listen = 192.168.1.2:8025", c => c.AdminListen + "", "192.168.1.2:8025"),
                ("syslog_server = 192.168.1.9", c => c.SyslogServer + "", "192.168.1.9:514"),
                ("syslog_server = 192.168.1.9:1514", c => c.SyslogServer + "", "192.168.1.9:1514"),
                ("trusted_networks = 127.0.0.0/8 192.168.1.0/24, fd00::/8", c => c.TrustedNetworks.Count, 3),
                ("relayhost = [smtp.example.net]:587", c => c.RelayHost + " mx=" + c.RelayHostMxLookup, "smtp.example.net:587 mx=False"),
                ("relayhost = [192.0.2.1]", c => c.RelayHost + " mx=" + c.RelayHostMxLookup, "192.0.2.1:25 mx=False"),
                ("relayhost = example.net", c => c.RelayHost + " mx=" + c.RelayHostMxLookup, "example.net:25 mx=True"),
                ("relayhost =", c => c.RelayHost == null, true),
                ("relay_security = none", c => c.RelaySecurity, RelaySecurity.None),
                ("relay_security = STARTTLS", c => c.RelaySecurity, RelaySecurity.StartTls),
                ("relay_security = tls", c => c.RelaySecurity, RelaySecurity.Tls),
                ("relay_user = gw@example.net", c => c.RelayUser, "gw@example.net"),
                ("relay_password = s3cr#t = x", c => c.RelayPassword, "s3cr#t = x"),
                ("relay_ca_file = /I/ca.pem", c => c.RelayCaFile, "/I/ca.pem"),
                ("dns_servers = 192.168.1.1, 9.9.9.9:5353 [2620:fe::fe]:53 ::1", c => Eps(c.DnsServers), "192.168.1.1:53 9.9.9.9:5353 [2620:fe::fe]:53 [::1]:53"),
                ("smtp_port = 2525", c => c.SmtpPort, 2525),
                ("retry_min = 15m", c => c.RetryMinSeconds, 900),
                ("retry_max = 2h", c => c.RetryMaxSeconds, 7200),
                ("queue_lifetime = 3d", c => c.QueueLifetimeSeconds, 259200),
                ("delay_warning = 0", c => c.DelayWarningSeconds, 0),
                ("delay_warning = 90", c => c.DelayWarningSeconds, 90),
                ("smtp_connection_cache_time_limit = 0", c => c.ConnectionCacheSeconds, 0),
                ("message_size_limit = 512K", c => c.MessageSizeLimit, 524288),
                ("max_recipients = 1000", c => c.MaxRecipients, 1000),
                ("postmaster = admin", c => c.Postmaster, "admin"),
                ("notify_to = alerts, Ops.Team@Example.NET", c => string.Join("|", c.NotifyTo!), "alerts|Ops.Team@example.net"),
                ("notify_to =", c => c.NotifyTo!.Length, 0),
                ("notify_interval = 10m", c => c.NotifyIntervalSeconds, 600),
                ("smtp_tls_cert = cert.pem", c => c.SmtpTlsCert, "cert.pem"),
                ("smtp_tls_key = key.pem", c => c.SmtpTlsKey, "key.pem"),
                ("smtp_command_timeout = 300s", c => c.SmtpCommandTimeoutSeconds, 300),
                ("smtp_command_timeout = 2m", c => c.SmtpCommandTimeoutSeconds, 120),
                ("smtp_data_timeout = 15m", c => c.SmtpDataTimeoutSeconds, 900),
                ("pop3_autologout = 10m", c => c.Pop3AutologoutSeconds, 600),
                ("pop3_autologout = 1h", c => c.Pop3AutologoutSeconds, 3600),
                ("smtp_allow_plaintext_auth = yes", c => c.SmtpAllowPlaintextAuth, true),
                ("smtp_allow_plaintext_auth = no", c => c.SmtpAllowPlaintextAuth, false),
                ("user.sensor-1 = pa55:word!", c => c.FindAccount("SENSOR-1")!.Secret, "pa55:word!"),
                ("alias.Root = ops, Oncall@Far.Example", c => string.Join("|", c.FindAlias("ROOT")!.Targets), "ops|Oncall@far.example"),
                ("buffer_size = 2K", c => c.Board.BufferSize, 2048),
                ("buffer_count = 8", c => c.Board.BufferCount, 8),
                ("smtp_sessions = 2", c => c.Board.SmtpSessions, 2),
                ("pop3_sessions = 0", c => c.Board.Pop3Sessions, 0),
                ("imap_sessions = 2", c => c.Board.ImapSessions, 2),
                ("delivery_sessions = 2", c => c.Board.DeliverySessions, 2),
                ("dns_cache_entries = 0", c => c.Board.DnsCacheEntries, 0),
                ("queue_max_messages = 10", c => c.Board.QueueMaxMessages, 10),
                ("mailbox_max_messages = 40", c => c.Board.MailboxMaxMessages, 40),
                ("mailbox_capacity = 96K", c => c.Board.MailboxCapacity, 98304L),
                ("smtpd_client_queue_share = 25", c => c.ClientQueueSharePercent, 25),
                ("smtpd_client_message_rate_limit = 30", c => c.ClientMessageRateLimit, 30),
                ("mailbox_quota = 16K", c => c.Board.MailboxQuota, 16384),
                ("tls_server = yes", c => c.Board.TlsServer, true),
            };
            foreach (var r in rows) yield return new object[] { r.line, r.get, r.expected };
        }

        [Theory]
        [MemberData(nameof(GoodKeys))]
        public void EveryKeyParses(string line, Func<GatewayConfig, object> get, object expected)
        {
            Assert.Equal(expected, get(Parse(line)));
        }

        [Theory]
        [InlineData("heap_bytes = 320K", 327680)]
        [InlineData("storage_capacity = 2M", 2097152)]
        [InlineData("max_sockets = 8", 8)]
        public void BoardOnlyKeysParseInAProfile(string line, int expected)
        {
            BoardProfile b = Parse(line, board: true).Board;
            Assert.Contains(expected, new[] { b.HeapBytes, b.StorageCapacity, b.MaxSockets });
        }

        [Theory]
        [InlineData("heap_bytes = 320K")]
        [InlineData("storage_capacity = 2M")]
        [InlineData("max_sockets = 8")]
        public void BoardOnlyKeysAreRefusedInTheConfig(string line)
        {
            string key = line.Substring(0, line.IndexOf(' '));
            Assert.Equal("main.cf:1: " + key + ": may only be set in a board profile", Error(line));
        }

        [Theory]
        [InlineData("smtp_lisen = 127.0.0.1:25", "main.cf:1: unknown key 'smtp_lisen'")]
        [InlineData("Hostname = x", "main.cf:1: unknown key 'Hostname'")]
        [InlineData("storage_block_size = 4096", "main.cf:1: unknown key 'storage_block_size'")]
        [InlineData("user. = x", "main.cf:1: unknown key 'user.'")]
        [InlineData("message_size_limit = 10X", "main.cf:1: message_size_limit: bad size '10X'")]
        [InlineData("message_size_limit = 1G", "main.cf:1: message_size_limit: bad size '1G'")]
        [InlineData("message_size_limit = 100", "main.cf:1: message_size_limit: 100 is below 1K")]
        [InlineData("message_size_limit =", "main.cf:1: message_size_limit: bad size ''")]
        [InlineData("retry_min = 30x", "main.cf:1: retry_min: bad duration '30x' (use a number with s, m, h or d)")]
        [InlineData("retry_min = 0", "main.cf:1: retry_min: 0 is below the minimum of 1s")]
        [InlineData("pop3_autologout = 5m", "main.cf:1: pop3_autologout: 5m is below the minimum of 600s")]
        [InlineData("smtp_allow_plaintext_auth = maybe", "main.cf:1: smtp_allow_plaintext_auth: bad boolean 'maybe' (use yes or no)")]
        [InlineData("tls_server = 1", "main.cf:1: tls_server: bad boolean '1' (use yes or no)")]
        [InlineData("smtp_port = 0", "main.cf:1: smtp_port: bad number '0' (1..65535)")]
        [InlineData("smtp_port = 65536", "main.cf:1: smtp_port: bad number '65536' (1..65535)")]
        [InlineData("max_recipients = ten", "main.cf:1: max_recipients: bad number 'ten' (1..1000)")]
        [InlineData("smtp_sessions = 0", "main.cf:1: smtp_sessions: bad number '0' (1..64)")]
        [InlineData("buffer_size = 511", "main.cf:1: buffer_size: 511 is out of range 512..64K (a 512-octet command line must fit, RFC 5321 §4.5.3.1.4)")]
        [InlineData("hostname = bad_name", "main.cf:1: hostname: bad host name 'bad_name'")]
        [InlineData("hostname = -a.example", "main.cf:1: hostname: bad host name '-a.example'")]
        [InlineData("local_domains = a.example, b..example", "main.cf:1: local_domains: bad domain 'b..example'")]
        [InlineData("smtp_listen = 127.0.0.1", "main.cf:1: smtp_listen: bad address '127.0.0.1' (use ip:port)")]
        [InlineData("smtp_listen = localhost:25", "main.cf:1: smtp_listen: bad address 'localhost:25' (use ip:port)")]
        [InlineData("smtp_listen = 127.0.0.1:99999", "main.cf:1: smtp_listen: bad address '127.0.0.1:99999' (use ip:port)")]
        [InlineData("pop3_listen = [::1]", "main.cf:1: pop3_listen: bad address '[::1]' (use ip:port)")]
        [InlineData("dns_servers = dns.example:53", "main.cf:1: dns_servers: bad address 'dns.example:53' (use ip or ip:port)")]
        [InlineData("dns_servers = 9.9.9.9:0", "main.cf:1: dns_servers: bad address '9.9.9.9:0' (use ip or ip:port)")]
        [InlineData("trusted_networks = 192.168.1.1/24", "main.cf:1: trusted_networks: bad network '192.168.1.1/24' (use CIDR: 192.168.1.0/24)")]
        [InlineData("relayhost = [smtp.example.net]:", "main.cf:1: relayhost: bad value '[smtp.example.net]:' (use [host]:port or host)")]
        [InlineData("relayhost = [smtp.example.net]:0", "main.cf:1: relayhost: bad value '[smtp.example.net]:0' (use [host]:port or host)")]
        [InlineData("relayhost = 192.0.2.1", "main.cf:1: relayhost: put an IP address in brackets: '[192.0.2.1]'")]
        [InlineData("relay_security = ssl", "main.cf:1: relay_security: bad value 'ssl' (use none, starttls or tls)")]
        [InlineData("postmaster = a@b", "main.cf:1: postmaster: bad account name 'a@b'")]
        [InlineData("notify_to = ops@@example.net", "main.cf:1: notify_to: bad address 'ops@@example.net' (use an account name or local@domain)")]
        [InlineData("notify_to = .ops@example.net", "main.cf:1: notify_to: bad address '.ops@example.net' (use an account name or local@domain)")]
        [InlineData("notify_interval = 0", "main.cf:1: notify_interval: 0 is below the minimum of 1s")]
        [InlineData("user.a%b = x", "main.cf:1: user.a%b: bad account name 'a%b'")]
        [InlineData("user.bob =", "main.cf:1: user.bob: the secret must be 1..128 printable characters without spaces")]
        [InlineData("alias. = ops", "main.cf:1: unknown key 'alias.'")]
        [InlineData("alias.a%b = ops", "main.cf:1: alias.a%b: bad alias name 'a%b'")]
        [InlineData("alias.root =", "main.cf:1: alias.root: at least one address is needed")]
        [InlineData("alias.root = a b c d e f g h i", "main.cf:1: alias.root: more than 8 entries")]
        [InlineData("alias.root = ops@@far.example", "main.cf:1: alias.root: bad address 'ops@@far.example' (use an account name or local@domain)")]
        [InlineData("alias.root = <ops@far.example>", "main.cf:1: alias.root: bad address '<ops@far.example>' (use an account name or local@domain)")]
        [InlineData("alias.Root = ops\nalias.root = x", "main.cf:2: duplicate key 'alias.root' (first set on line 1)")]
        [InlineData("user.bob = two words", "main.cf:1: user.bob: the secret must be 1..128 printable characters without spaces")]
        [InlineData("hostname", "main.cf:1: expected 'key = value'")]
        [InlineData("= x", "main.cf:1: missing key before '='")]
        [InlineData("hostname = caf\u00e9.example", "main.cf:1: bad character (only printable ASCII is allowed)")]
        [InlineData("hostname = a\u0001b", "main.cf:1: bad character (only printable ASCII is allowed)")]
        public void BadInputNamesFileLineAndKey(string text, string expected)
        {
            Assert.Equal(expected, Error(text));
        }

        [Fact]
        public void LineNumbersCountCommentsBlankLinesAndCrlf()
        {
            string text = "# gateway\r\n\r\nhostname = gw.example\r\n   # indented comment\r\n\t\r\nsmtp_port = 25\r\nmax_recipients = 0\r\n";
            ConfigError err = ConfigParser.Parse(text, "main.cf", new GatewayConfig(), false)!;
            Assert.Equal(7, err.Line);
            Assert.Equal("max_recipients", err.Key);
            Assert.Equal("main.cf:7: max_recipients: bad number '0' (1..1000)", err.ToString());
        }

        [Fact]
        public void CrlfLfMixedAndNoFinalNewline()
        {
            GatewayConfig c = Parse("hostname = a.example\r\nsmtp_port = 26\npostmaster = pm");
            Assert.Equal("a.example", c.Hostname);
            Assert.Equal(26, c.SmtpPort);
            Assert.Equal("pm", c.Postmaster);
        }

        [Fact]
        public void WhiteSpaceAroundKeyAndValueIsIgnored()
        {
            GatewayConfig c = Parse("  hostname\t=\tgw.example  \nsmtp_port=2526\nrelay_password =a b ");
            Assert.Equal("gw.example", c.Hostname);
            Assert.Equal(2526, c.SmtpPort);
            Assert.Equal("a b", c.RelayPassword);
        }

        [Fact]
        public void ByteOrderMarkIsSkipped()
        {
            byte[] data = System.Text.Encoding.UTF8.GetPreamble();
            byte[] text = System.Text.Encoding.ASCII.GetBytes("hostname = bom.example\n");
            byte[] all = new byte[data.Length + text.Length];
            data.CopyTo(all, 0);
            text.CopyTo(all, data.Length);
            var c = new GatewayConfig();
            Assert.Null(ConfigParser.Parse(all, 0, all.Length, "main.cf", c, false));
            Assert.Equal("bom.example", c.Hostname);
        }

        [Fact]
        public void ParsesARangeOfABuffer()
        {
            byte[] data = System.Text.Encoding.ASCII.GetBytes("garbage\nsmtp_port = 587\ngarbage");
            var c = new GatewayConfig();
            Assert.Null(ConfigParser.Parse(data, 8, 16, "main.cf", c, false));
            Assert.Equal(587, c.SmtpPort);
        }

        [Theory]
        [InlineData("hostname = a.example\nsmtp_port = 25\nhostname = b.example", "main.cf:3: duplicate key 'hostname' (first set on line 1)")]
        [InlineData("user.Bob = x\nuser.bob = y", "main.cf:2: duplicate key 'user.bob' (first set on line 1)")]
        public void DuplicateKeysAreErrors(string text, string expected)
        {
            Assert.Equal(expected, Error(text));
        }

        [Fact]
        public void OverlongLineIsAnError()
        {
            string text = "hostname = a.example\nrelay_password = " + new string('x', ConfigParser.MaxLineLength) + "\n";
            Assert.Equal("main.cf:2: line longer than 4096 bytes", Error(text));
        }

        [Fact]
        public void DefaultsAreTheDocumentedOnes()
        {
            var c = new GatewayConfig();
            Assert.Equal("127.0.0.1:2525", Eps(c.SmtpListen));
            Assert.Equal("127.0.0.1:1110", Eps(c.Pop3Listen));
            Assert.True(c.TrustedNetworks.Contains("127.0.0.1"));
            Assert.True(c.TrustedNetworks.Contains("::1"));
            Assert.False(c.TrustedNetworks.Contains("192.168.1.1"));
            Assert.Null(c.RelayHost);
            Assert.Equal(25, c.SmtpPort);
            Assert.Equal(1800, c.RetryMinSeconds);
            Assert.Equal(5 * 86400, c.QueueLifetimeSeconds);
            Assert.Equal(4 * 3600, c.DelayWarningSeconds);
            Assert.Equal(300, c.SmtpCommandTimeoutSeconds);
            Assert.Equal(600, c.Pop3AutologoutSeconds);
            Assert.False(c.SmtpAllowPlaintextAuth);
            Assert.Equal("postmaster", c.Postmaster);
            Assert.Equal(10240000, c.MessageSizeLimit);
            // With the default board (which lowers message_size_limit to fit its flash) they validate.
            var withBoard = NanoMailGateway.Emulator.Gateway.ConfigLoader.Load(null, null);
            Assert.True(withBoard.Config != null, withBoard.Error);
            Assert.Equal(65536, withBoard.Config!.MessageSizeLimit);
        }

        [Fact]
        public void AccountsAreBoundedAndMatchIgnoringCase()
        {
            var lines = new System.Text.StringBuilder();
            for (int i = 0; i < GatewayConfig.MaxAccounts; i++) lines.Append("user.u" + i + " = pw" + i + "\n");
            GatewayConfig c = Parse(lines.ToString());
            Assert.Equal(GatewayConfig.MaxAccounts, c.AccountCount);
            Assert.Equal("pw7", c.FindAccount("U7")!.Secret);
            Assert.Null(c.FindAccount("u99"));
            lines.Append("user.one-too-many = x\n");
            Assert.Equal("main.cf:" + (GatewayConfig.MaxAccounts + 1) + ": user.one-too-many: more than 32 accounts", Error(lines.ToString()));
        }

        [Fact]
        public void AliasesAreBounded()
        {
            var lines = new System.Text.StringBuilder();
            for (int i = 0; i < GatewayConfig.MaxAliases; i++) lines.Append("alias.a" + i + " = ops\n");
            Assert.Equal(GatewayConfig.MaxAliases, Parse(lines.ToString()).AliasCount);
            lines.Append("alias.one-too-many = ops\n");
            Assert.Equal("main.cf:" + (GatewayConfig.MaxAliases + 1) + ": alias.one-too-many: more than 32 aliases", Error(lines.ToString()));
        }

        [Fact]
        public void LocalDomainsIncludeHostnameAndLocalhost()
        {
            GatewayConfig c = Parse("hostname = gw.example\nlocal_domains = lan.example");
            Assert.True(c.IsLocalDomain("GW.example"));
            Assert.True(c.IsLocalDomain("localhost"));
            Assert.True(c.IsLocalDomain("lan.EXAMPLE"));
            Assert.False(c.IsLocalDomain("example"));
        }
    }
}
