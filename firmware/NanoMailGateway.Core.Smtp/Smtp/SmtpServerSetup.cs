// Turns the parsed configuration (Config/GatewayConfig) into what the SMTP listener
// takes: its options, the AUTH account directory and the trusted networks. Kept here so
// that the integration code is one call per piece and the mapping of every key sits in
// one place next to the options it fills.
// Local domains are local_domains plus the hostname and "localhost", the same set as
// GatewayConfig.IsLocalDomain, so relay checks and local delivery agree.

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Config;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Configuration to SMTP listener settings. Thread-safe (stateless).</summary>
    public static class SmtpServerSetup
    {
        /// <summary>Options from the configuration keys (see SmtpServerOptions for the key of each).</summary>
        public static SmtpServerOptions OptionsFrom(GatewayConfig c)
        {
            string[] configured = c.LocalDomains;
            string[] local = Text.StringArray.New(configured.Length + 2);
            for (int i = 0; i < configured.Length; i++) local[i] = Text.Ascii.ToLowerString(configured[i]);
            local[configured.Length] = Text.Ascii.ToLowerString(c.Hostname);
            local[configured.Length + 1] = "localhost";
            SmtpServerOptions o = new SmtpServerOptions();
            o.HostName = c.Hostname;
            o.LocalDomains = local;
            o.MessageSizeLimit = c.MessageSizeLimit;
            o.MaxRecipients = c.MaxRecipients;
            o.CommandTimeoutMs = c.SmtpCommandTimeoutSeconds * 1000;
            o.DataTimeoutMs = c.SmtpDataTimeoutSeconds * 1000;
            o.AllowPlaintextAuth = c.SmtpAllowPlaintextAuth;
            o.ClientQueueSharePercent = c.ClientQueueSharePercent;
            o.ClientMessageRateLimit = c.ClientMessageRateLimit;
            return o;
        }

        /// <summary>The user.NAME accounts.</summary>
        public static AccountDirectory AccountsFrom(GatewayConfig c)
        {
            AccountDirectory d = new AccountDirectory();
            for (int i = 0; i < c.AccountCount; i++)
            {
                Account a = c.GetAccount(i);
                d.Add(a.Name, a.Secret);
            }
            return d;
        }

        /// <summary>The trusted_networks list as the listener's seam.</summary>
        public static ITrustedNetworks TrustedFrom(GatewayConfig c)
        {
            return new ConfiguredTrustedNetworks(c.TrustedNetworks);
        }
    }
}
