// The options every verb that talks to a running gateway's admin endpoint shares (`nmg
// queue`, `nmg status`): where it is and how to log in. The password never goes on the
// command line, where `ps` shows it to every user of the machine: it comes from a file
// (first line) or from the environment, as with the postmaster's password printed by
// `nmg run` at first start.

using System;
using System.CommandLine;
using System.IO;
using NanoMailGateway.Emulator.Admin;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>--gateway, --user, --password-file and --timeout of one verb.</summary>
    public sealed class GatewayOptions
    {
        public const string GatewayVariable = "NMG_GATEWAY";
        public const string PasswordVariable = "NMG_PASSWORD";

        private readonly Option<string> _gateway = CommandLine.Value("--gateway", "URL",
            "the gateway's admin endpoint, http://HOST:PORT or HOST:PORT (default: $" + GatewayVariable + ")");
        private readonly Option<string> _user = CommandLine.Value("--user", "NAME", "the account to log in as (default: postmaster)");
        private readonly Option<string> _passwordFile = CommandLine.Value("--password-file", "FILE",
            "a file whose first line is the password (default: $" + PasswordVariable + ")");
        private readonly Option<int> _timeout = CommandLine.Seconds("--timeout", 300, "how long to wait for the gateway, 1..300 (default 10)");

        /// <summary>Adds the options to <paramref name="verb"/>.</summary>
        public void AddTo(Command verb)
        {
            verb.Add(_gateway);
            verb.Add(_user);
            verb.Add(_passwordFile);
            verb.Add(_timeout);
        }

        /// <summary>The client the options describe, or null with one line on stderr and the exit code in <paramref name="exit"/>.</summary>
        public AdminClient? Client(ParseResult r, string who, TextWriter stderr, out int exit)
        {
            exit = ExitCodes.Ok;
            string? where = r.GetValue(_gateway) ?? Environment.GetEnvironmentVariable(GatewayVariable);
            if (string.IsNullOrEmpty(where))
            {
                stderr.WriteLine(who + ": no gateway: give --gateway URL or set " + GatewayVariable + " (see " + who + " --help)");
                exit = ExitCodes.Usage;
                return null;
            }
            Uri? uri = AdminClient.ParseGateway(where);
            if (uri == null)
            {
                stderr.WriteLine(who + ": bad --gateway value '" + where + "' (want http://HOST:PORT) (see " + who + " --help)");
                exit = ExitCodes.Usage;
                return null;
            }
            string? password;
            string? file = r.GetValue(_passwordFile);
            if (file != null)
            {
                password = CommandLine.PasswordFile(who, file, stderr);
                if (password == null)
                {
                    exit = ExitCodes.NoInput;
                    return null;
                }
            }
            else password = Environment.GetEnvironmentVariable(PasswordVariable);
            if (string.IsNullOrEmpty(password))
            {
                stderr.WriteLine(who + ": no password: give --password-file FILE or set " + PasswordVariable + " (see " + who + " --help)");
                exit = ExitCodes.Usage;
                return null;
            }
            return new AdminClient(uri, r.GetValue(_user) ?? "postmaster", password, TimeSpan.FromSeconds(r.GetValue(_timeout) is int t && t > 0 ? t : 10));
        }
    }
}
