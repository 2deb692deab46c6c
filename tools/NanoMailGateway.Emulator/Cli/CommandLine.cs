// The nmg command line: `nmg <verb> [flags]`. Verbs come from one table; adding a verb
// is one line in Verbs (and its <Verb>Command class).

using System;
using System.IO;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>Dispatches a command line to its verb.</summary>
    public static class CommandLine
    {
        /// <summary>Every verb, in the order `nmg --help` lists them.</summary>
        public static readonly CliVerb[] Verbs =
        {
            new CliVerb("run", "run the gateway on this host with a board's limits", RunCommand.Run),
            new CliVerb("mailq", "list the mail queue of a stopped or running gateway (postqueue -p)", MailqCommand.Run),
            new CliVerb("mx", "show the mail exchangers and addresses delivery would use for a domain", MxCommand.Run),
        };

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            if (args.Length == 0)
            {
                stderr.WriteLine("nmg: missing command (see nmg --help)");
                return ExitCodes.Usage;
            }
            string verb = args[0];
            if (verb == "--help" || verb == "-h" || verb == "help")
            {
                PrintHelp(stdout);
                return ExitCodes.Ok;
            }
            foreach (CliVerb v in Verbs)
            {
                if (v.Name == verb)
                {
                    string[] rest = new string[args.Length - 1];
                    Array.Copy(args, 1, rest, 0, rest.Length);
                    return v.Run(rest, stdout, stderr);
                }
            }
            stderr.WriteLine(verb.StartsWith('-')
                ? "nmg: unknown option '" + verb + "' (see nmg --help)"
                : "nmg: unknown command '" + verb + "' (see nmg --help)");
            return ExitCodes.Usage;
        }

        private static void PrintHelp(TextWriter o)
        {
            o.WriteLine("nmg - NanoMailGateway emulator and admin tool");
            o.WriteLine();
            o.WriteLine("usage: nmg <command> [options]");
            o.WriteLine();
            o.WriteLine("commands:");
            foreach (CliVerb v in Verbs)
            {
                o.WriteLine("  " + v.Name.PadRight(10) + v.Summary);
            }
            o.WriteLine();
            o.WriteLine("Run 'nmg <command> --help' for the options of a command.");
            o.WriteLine("Exit codes: 0 ok, 64 bad usage, 66 missing input, 71 OS error, 78 bad configuration.");
        }
    }
}
