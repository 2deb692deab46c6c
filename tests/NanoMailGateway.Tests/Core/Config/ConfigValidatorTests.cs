using NanoMailGateway.Core.Config;
using Xunit;

namespace NanoMailGateway.Tests.Core.Config
{
    public class ConfigValidatorTests
    {
        private static string? Check(string config, string? profile = null)
        {
            var c = new GatewayConfig();
            if (profile != null) Assert.Null(ConfigParser.Parse(profile, "boards/test.conf", c, true));
            c.Board.Name = "test";
            Assert.Null(ConfigParser.Parse(config, "main.cf", c, false));
            return ConfigValidator.Validate(c)?.ToString();
        }

        [Theory]
        [InlineData("smtp_listen =", "main.cf:1: smtp_listen: at least one address is needed")]
        [InlineData("retry_min = 2h\nretry_max = 1h", "main.cf:1: retry_min: longer than retry_max")]
        [InlineData("retry_max = 6d", "main.cf:1: retry_max: longer than queue_lifetime")]
        [InlineData("queue_lifetime = 3h", "defaults: retry_max: longer than queue_lifetime")]
        [InlineData("retry_max = 1h\ndelay_warning = 5d", "main.cf:2: delay_warning: not shorter than queue_lifetime (use 0 to turn it off)")]
        [InlineData("tls_server = yes\nsmtp_tls_cert = c.pem", "main.cf:2: smtp_tls_cert: smtp_tls_cert and smtp_tls_key go together")]
        [InlineData("smtp_tls_cert = c.pem\nsmtp_tls_key = k.pem", "main.cf:1: smtp_tls_cert: board test has tls_server = no (a TLS session needs ~33 KB)")]
        [InlineData("relayhost = [r.example]:587\nrelay_user = u", "main.cf:2: relay_user: relay_user and relay_password go together")]
        [InlineData("relayhost = [r.example]:587\nrelay_user = u\nrelay_password = p", "main.cf:2: relay_user: needs relay_security = starttls or tls (the password would travel in clear)")]
        [InlineData("relay_security = tls\nrelay_user = u\nrelay_password = p", "main.cf:2: relay_user: needs a relayhost")]
        [InlineData("message_size_limit = 1M", "main.cf:1: message_size_limit: 1048576 exceeds storage_capacity 196608 of board test")]
        [InlineData("mailbox_quota = 256K", "main.cf:1: mailbox_quota: exceeds storage_capacity 196608 of board test")]
        [InlineData("buffer_count = 23", "main.cf:1: buffer_count: 23 x 1024 bytes is more than a quarter of heap_bytes 92160 of board test")]
        [InlineData("buffer_count = 4", "main.cf:1: buffer_count: 4 is fewer than the 5 sessions")]
        [InlineData("buffer_size = 512\nbuffer_count = 46", "main.cf:2: buffer_count: 46 x 512 bytes is more than a quarter of heap_bytes 92160 of board test")]
        [InlineData("smtp_sessions = 12\nbuffer_count = 16", "main.cf:1: smtp_sessions: listeners, sessions and DNS need 17 sockets; board test has 16")]
        [InlineData("pop3_sessions = 0", "defaults: pop3_listen: set but pop3_sessions = 0")]
        [InlineData("notify_to = alerts", "main.cf:1: notify_to: no mailbox 'alerts' (add user.alerts or give a full address)")]
        [InlineData("local_domains = plant.example\nnotify_to = ops@Plant.Example", "main.cf:2: notify_to: no mailbox 'ops' (add user.ops or give a full address)")]
        [InlineData("user.ops = x\nalias.postmaster = ops", "main.cf:2: alias.postmaster: postmaster is always the postmaster account's mailbox (choose it with postmaster = NAME)")]
        [InlineData("user.ops = x\nalias.OPS = postmaster", "main.cf:2: alias.OPS: OPS is also an account (user.OPS)")]
        [InlineData("alias.root = ops", "main.cf:1: alias.root: no mailbox 'ops' for ops (add user.ops)")]
        [InlineData("local_domains = plant.example\nalias.root = nobody@Plant.Example", "main.cf:2: alias.root: no mailbox 'nobody' for nobody@plant.example (add user.nobody)")]
        [InlineData("user.ops = x\nalias.root = ops\nalias.oncall = ops, root", "main.cf:3: alias.oncall: root is an alias (aliases do not nest)")]
        public void InconsistentSettingsAreNamed(string config, string expected)
        {
            Assert.Equal(expected, Check(config, "message_size_limit = 64K"));
        }

        [Theory]
        [InlineData("pop3_sessions = 0\npop3_listen =")]
        [InlineData("user.alerts = pw\nnotify_to = alerts, postmaster, ops@far.example")]
        [InlineData("tls_server = yes\nsmtp_tls_cert = c.pem\nsmtp_tls_key = k.pem")]
        [InlineData("relayhost = [r.example]:587\nrelay_security = starttls\nrelay_user = u\nrelay_password = p")]
        [InlineData("delay_warning = 0")]
        [InlineData("buffer_count = 22")]
        [InlineData("buffer_size = 512")]                       // every component works with 512-octet buffers
        [InlineData("buffer_size = 512\nbuffer_count = 45")]
        [InlineData("user.ops = x\nalias.root = ops, postmaster, pager@far.example")]
        [InlineData("local_domains = plant.example\nuser.ops = x\nalias.oncall = ops@plant.example, postmaster@gw.example")]
        public void ConsistentSettingsPass(string config)
        {
            Assert.Null(Check(config, "message_size_limit = 64K"));
        }
    }
}
