// The nmg command line: `nmg <verb> [options]`, parsed by System.CommandLine with one set of
// conventions for every verb (README "nmg"): `--opt value` and `--opt=value`, generated
// `--help`/`-h` on nmg and on each verb, and every usage error reported as one line
//   nmg VERB: <what is wrong> (see nmg VERB --help)
// with exit code 64 (EX_USAGE). Adding a verb is one line in Build (and its <Verb>Command class).

using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.IO;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>Parses a command line and runs its verb.</summary>
    public static class CommandLine
    {
        public const string Name = "nmg";

        /// <summary>nmg with every verb, in the order `nmg --help` lists them.</summary>
        public static Command Build(TextWriter stdout, TextWriter stderr)
        {
            Command root = Root();
            root.Add(RunCommand.Create(stdout, stderr));
            root.Add(MailqCommand.Create(stdout, stderr));
            root.Add(MxCommand.Create(stdout, stderr));
            root.Add(SendCommand.Create(stdout, stderr));
            root.Add(QueueCommand.Create(stdout, stderr));
            root.Add(StatusCommand.Create(stdout, stderr));
            return root;
        }

        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            if (args.Length == 1 && args[0] == "help") args = new[] { "--help" };
            if (args.Length == 1 && args[0] == "--version")
            {
                stdout.WriteLine(Name + " " + Version);
                return ExitCodes.Ok;
            }
            return Invoke(Build(stdout, stderr), args, stdout, stderr);
        }

        /// <summary>This build's version: the emulator assembly's informational version (with the commit when the build knew it).</summary>
        public static string Version
        {
            get
            {
                var a = typeof(CommandLine).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false);
                return a.Length > 0 ? ((System.Reflection.AssemblyInformationalVersionAttribute)a[0]).InformationalVersion : "0.0.0";
            }
        }

        /// <summary>Runs one verb with the arguments after its name, under the same conventions as nmg.</summary>
        public static int RunVerb(Command verb, string[] args, TextWriter stdout, TextWriter stderr)
        {
            Command root = Root();
            root.Add(verb);
            string[] line = new string[args.Length + 1];
            line[0] = verb.Name;
            Array.Copy(args, 0, line, 1, args.Length);
            return Invoke(root, line, stdout, stderr);
        }

        /// <summary>An option with one value that may not be empty (an empty path or name is a typo, not a choice).</summary>
        public static Option<string> Value(string name, string helpName, string description)
        {
            var option = new Option<string>(name) { HelpName = helpName, Description = description };
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string>()?.Length == 0) r.AddError("empty value for option '" + name + "'");
            });
            return option;
        }

        /// <summary>An option of whole seconds, 1..<paramref name="max"/> (--timeout).</summary>
        public static Option<int> Seconds(string name, int max, string description)
        {
            return new Option<int>(name)
            {
                HelpName = "SECONDS",
                Description = description,
                CustomParser = r =>
                {
                    string v = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                    if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds) || seconds < 1 || seconds > max)
                    {
                        r.AddError("bad " + name + " value '" + v + "' (want 1.." + max.ToString(System.Globalization.CultureInfo.InvariantCulture) + " seconds)");
                    }
                    return seconds;
                },
            };
        }

        /// <summary>
        /// The first line of a password file, or null with one line on stderr when it cannot be
        /// read (the verb then exits 66, EX_NOINPUT). Passwords come from files or the
        /// environment, never the command line, where `ps` shows them to every user.
        /// </summary>
        public static string? PasswordFile(string who, string file, TextWriter stderr)
        {
            try
            {
                using var reader = new StreamReader(file);
                return reader.ReadLine() ?? "";
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                stderr.WriteLine(who + ": cannot read the password file " + file + ": " + e.Message);
                return null;
            }
        }

        // A plain Command rather than RootCommand: RootCommand takes its name from the process
        // (dotnet's testhost under tests) and adds a --version that would print testhost's;
        // nmg's own `nmg --version` is answered in Run.
        private static Command Root()
        {
            var root = new CliVerb(Name, "NanoMailGateway emulator and admin tool",
                "Run 'nmg <command> --help' for the options of a command; 'nmg --version' prints the version.\n" +
                "Exit codes: 0 ok, 64 bad usage, 66 missing input, 71 OS error, 78 bad configuration;\n" +
                "'nmg VERB --help' lists each verb's own.");
            var help = new HelpOption();
            help.Action = new VerbHelpAction((SynchronousCommandLineAction)help.Action!);
            root.Add(help);
            return root;
        }

        private static int Invoke(Command root, string[] args, TextWriter stdout, TextWriter stderr)
        {
            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                Command at = parsed.CommandResult.Command;
                string who = at == root ? Name : Name + " " + at.Name;
                stderr.WriteLine(who + ": " + Problem(parsed, at == root) + " (see " + who + " --help)");
                return ExitCodes.Usage;
            }
            // The verbs report their own failures with sysexits codes, and `nmg run` handles
            // SIGINT and SIGTERM itself (RunCommand), so System.CommandLine does neither.
            var invocation = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return parsed.Invoke(invocation);
        }

        /// <summary>The first thing wrong: a word nmg does not know, else the parser's first error.</summary>
        private static string Problem(ParseResult parsed, bool atRoot)
        {
            if (parsed.UnmatchedTokens.Count > 0)
            {
                string token = parsed.UnmatchedTokens[0];
                if (token.StartsWith('-')) return "unknown option '" + token + "'";
                return (atRoot ? "unknown command '" : "unexpected argument '") + token + "'";
            }
            return Phrase(parsed.Errors[0].Message);
        }

        /// <summary>A parser message as the middle of our one-line form: lower-case start, no final period.</summary>
        private static string Phrase(string message)
        {
            string m = message.TrimEnd();
            if (m.EndsWith('.')) m = m.Substring(0, m.Length - 1);
            return m.Length > 0 ? char.ToLowerInvariant(m[0]) + m.Substring(1) : m;
        }
    }
}
