// Scenario: configuration parsing and validation (Core/Config), good and bad. The texts
// are inline: a board has no config file until one is deployed, and the check must not
// depend on one. Errors must name the file and the 1-based line. The local recipient map
// built from it names the mailbox of a local address (postmaster included, RFC 5321 §4.5.1)
// and expands an alias (README, Aliases) to full addresses.

using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Mailbox;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Config parser and validator checks.</summary>
    public static class ConfigChecks
    {
        private const string MainCf =
            "# gateway\n" +
            "hostname = GW.Example.ORG\n" +
            "local_domains = example.org\n" +
            "  max_recipients = 20  \n" +
            "retry_min = 10m\n" +
            "user.sensor1 = s3cret-pass\n";

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("config.good", new Check(Good));
            r.Run("config.unknown-key-line", new Check(UnknownKeyLine));
            r.Run("config.missing-equals-line", new Check(MissingEqualsLine));
            r.Run("config.duplicate-key", new Check(DuplicateKey));
            r.Run("config.hardware-key-outside-profile", new Check(HardwareKeyOutsideProfile));
            r.Run("config.bad-size", new Check(BadSize));
            r.Run("config.validator-pool-over-heap", new Check(ValidatorPoolOverHeap));
            r.Run("config.local-recipients", new Check(LocalRecipients));
        }

        private static void Good()
        {
            GatewayConfig c = new GatewayConfig();
            Expect.Null(ConfigParser.Parse(BoardProfiles.C3, "esp32-c3.conf", c, true), "profile error");
            Expect.Null(ConfigParser.Parse(MainCf, "main.cf", c, false), "main.cf error");
            Expect.Null(ConfigValidator.Validate(c), "validator error");
            Expect.Equal(54 * 1024, c.Board.HeapBytes, "heap_bytes");
            Expect.Equal(512, c.Board.BufferSize, "buffer_size");
            Expect.Equal(6, c.Board.BufferCount, "buffer_count");
            Expect.Equal(32 * 1024, c.MessageSizeLimit, "message_size_limit");
            Expect.Equal("gw.example.org", c.Hostname, "hostname (lower-cased)");
            Expect.Equal(20, c.MaxRecipients, "max_recipients (blanks trimmed)");
            Expect.Equal(600, c.RetryMinSeconds, "retry_min 10m");
            Expect.True(c.IsLocalDomain("EXAMPLE.org"), "example.org is local");
            Expect.NotNull(c.FindAccount("sensor1"), "account sensor1");
        }

        private static void UnknownKeyLine()
        {
            GatewayConfig c = new GatewayConfig();
            ConfigError? e = ConfigParser.Parse("# comment\n\nhostname = a.example\nsmtp_lisen = 0.0.0.0:25\n", "main.cf", c, false);
            Expect.NotNull(e, "error");
            Expect.Equal(4, e!.Line, "line");
            Expect.Equal("smtp_lisen", e.Key, "key");
            Expect.StartsWith("main.cf:4: ", e.ToString(), "printed form");
            Expect.Contains("unknown key", e.Message, "message");
        }

        private static void MissingEqualsLine()
        {
            GatewayConfig c = new GatewayConfig();
            ConfigError? e = ConfigParser.Parse("hostname = a.example\r\nmax_recipients 20\r\n", "main.cf", c, false);
            Expect.NotNull(e, "error");
            Expect.Equal(2, e!.Line, "line");
            Expect.Contains("key = value", e.Message, "message");
        }

        private static void DuplicateKey()
        {
            GatewayConfig c = new GatewayConfig();
            ConfigError? e = ConfigParser.Parse("max_recipients = 5\nhostname = a.example\nMAX_RECIPIENTS = 6\n", "main.cf", c, false);
            Expect.NotNull(e, "error");
            Expect.Equal(3, e!.Line, "line");
            Expect.Contains("line 1", e.Message, "names the first line");
        }

        private static void HardwareKeyOutsideProfile()
        {
            GatewayConfig c = new GatewayConfig();
            ConfigError? e = ConfigParser.Parse("heap_bytes = 1M\n", "main.cf", c, false);
            Expect.NotNull(e, "error");
            Expect.Equal(1, e!.Line, "line");
            Expect.Contains("board profile", e.Message, "message");
            Expect.Equal(90 * 1024, c.Board.HeapBytes, "heap unchanged");
        }

        private static void BadSize()
        {
            GatewayConfig c = new GatewayConfig();
            ConfigError? e = ConfigParser.Parse("hostname = a.example\n\nmessage_size_limit = 10X\n", "main.cf", c, false);
            Expect.NotNull(e, "error");
            Expect.Equal(3, e!.Line, "line");
            Expect.Equal("message_size_limit", e.Key, "key");
        }

        private static void ValidatorPoolOverHeap()
        {
            GatewayConfig c = new GatewayConfig();
            Expect.Null(ConfigParser.Parse(BoardProfiles.C3, "esp32-c3.conf", c, true), "profile error");
            Expect.Null(ConfigParser.Parse("# more buffers\nbuffer_count = 40\n", "main.cf", c, false), "main.cf error");
            ConfigError? e = ConfigValidator.Validate(c);
            Expect.NotNull(e, "validator error for 40 KB of buffers on a 54 KB heap");
            Expect.Equal("main.cf", e!.File, "file");
            Expect.Equal(2, e.Line, "placed at the line that set buffer_count");
        }

        private static void LocalRecipients()
        {
            GatewayConfig c = new GatewayConfig();
            Expect.Null(ConfigParser.Parse("hostname = gw.example.org\nlocal_domains = plant.example\nuser.Ops = s3cret-pass\npostmaster = Ops\nalias.oncall = ops, Pager@Example.NET\n", "main.cf", c, false), "main.cf error");
            LocalRecipientMap map = new LocalRecipientMap(c);
            Expect.Equal("Ops", map.MailboxFor("ops@PLANT.example"), "account name, case ignored");
            Expect.Equal("Ops", map.MailboxFor("PostMaster@gw.example.org"), "postmaster of every local domain");
            Expect.Null(map.MailboxFor("nobody@plant.example"), "no such mailbox (550 5.1.1 at RCPT)");
            Expect.Null(map.MailboxFor("ops@example.net"), "not a local domain");
            Expect.True(!map.IsLocal("ops@plant.example.com"), "a suffix of a local domain is not local");
            Expect.Equal("Ops", map.PostmasterMailbox, "postmaster mailbox");
            // An alias is no mailbox: its targets, as full addresses, take its place at RCPT.
            Expect.Null(map.MailboxFor("oncall@plant.example"), "an alias has no mailbox");
            string[]? targets = map.Expand("OnCall@plant.example");
            Expect.NotNull(targets, "alias targets");
            Expect.Equal(2, targets!.Length, "two targets");
            Expect.Equal("ops@gw.example.org", targets[0], "account name gets the hostname");
            Expect.Equal("Pager@example.net", targets[1], "remote address, domain lowered");
            Expect.Null(map.Expand("ops@plant.example"), "an account is not an alias");
        }
    }
}
