using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NanoMailGateway.Emulator.Cli;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Cli
{
    public class CommandLineTests
    {
        private static readonly string NL = System.Environment.NewLine;

        private static (int code, string stdout, string stderr) Run(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = CommandLine.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        [Theory]
        [InlineData("--help")]
        [InlineData("-h")]
        [InlineData("help")]
        public void HelpListsEveryVerbAndTheExitCodes(string flag)
        {
            var (code, stdout, stderr) = Run(flag);
            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            Assert.Contains("Usage:" + NL + "  nmg [command] [options]", stdout);
            Command root = CommandLine.Build(TextWriter.Null, TextWriter.Null);
            Assert.Equal(new[] { "run", "mailq", "mx", "send", "queue", "status" }, root.Subcommands.Select(v => v.Name));
            foreach (Command v in root.Subcommands) Assert.Matches(@"\n  " + v.Name + @"\b.*  " + Regex.Escape(v.Description!), stdout);
            Assert.Contains("Exit codes: 0 ok, 64 bad usage, 66 missing input, 71 OS error, 78 bad configuration;" + NL + "'nmg VERB --help' lists each verb's own.", stdout);
        }

        [Fact]
        public void VersionPrintsTheBuildsVersion()
        {
            var (code, o, e) = Run("--version");
            Assert.Equal(0, code);
            Assert.Equal("", e);
            Assert.Matches(@"^nmg \d+\.\d+\.\d+", o);
            Assert.Single(o.TrimEnd().Split('\n'));
            Assert.Contains("'nmg --version' prints the version", Run("--help").stdout);
        }

        [Fact]
        public void RunHelpDescribesItsOptions()
        {
            var (code, stdout, _) = Run("run", "--help");
            Assert.Equal(0, code);
            Assert.Contains("  nmg run [options]", stdout);
            Assert.Contains("--config <FILE>", stdout);
            Assert.Contains("--board <NAME|FILE.conf>", stdout);
            Assert.Contains("--data <DIR>", stdout);
            Assert.Contains("Exit codes: 0 stopped, 64 bad option or unknown board", stdout);
        }

        [Theory]
        [InlineData(new string[0], "nmg: required command was not provided (see nmg --help)")]
        [InlineData(new[] { "frobnicate" }, "nmg: unknown command 'frobnicate' (see nmg --help)")]
        [InlineData(new[] { "--verbose" }, "nmg: unknown option '--verbose' (see nmg --help)")]
        [InlineData(new[] { "run", "--bogus" }, "nmg run: unknown option '--bogus' (see nmg run --help)")]
        [InlineData(new[] { "run", "extra" }, "nmg run: unexpected argument 'extra' (see nmg run --help)")]
        [InlineData(new[] { "run", "--config" }, "nmg run: required argument missing for option: '--config' (see nmg run --help)")]
        [InlineData(new[] { "run", "--config=" }, "nmg run: required argument missing for option: '--config' (see nmg run --help)")]
        [InlineData(new[] { "run", "--data", "" }, "nmg run: empty value for option '--data' (see nmg run --help)")]
        [InlineData(new[] { "run", "--board=nosuch" }, "nmg: unknown board 'nosuch' (known: esp32-c3, esp32-s3, esp32-wroom-32, esp32-wrover)")]
        [InlineData(new[] { "run", "--board", "nosuch" }, "nmg: unknown board 'nosuch' (known: esp32-c3, esp32-s3, esp32-wroom-32, esp32-wrover)")]
        public void UsageErrorsAreOneLineAndExit64(string[] args, string message)
        {
            var (code, stdout, stderr) = Run(args);
            Assert.Equal(64, code);
            Assert.Equal("", stdout);
            Assert.Equal(message + NL, stderr);
        }

        /// <summary>
        /// One row per verb: arguments it needs before its options, an option taking a value, a
        /// value the verb rejects after parsing (so that the answer shows the value arrived),
        /// and that answer's exit code and message.
        /// </summary>
        public static TheoryData<string, string[], string, string, int, string> Verbs => new()
        {
            { "run", new string[0], "--board", "nosuch", 64, "nmg: unknown board 'nosuch'" },
            { "mailq", new string[0], "--data", "/nonexistent/nmg-data", 66, "nmg mailq: data directory /nonexistent/nmg-data does not exist" },
            { "mx", new[] { "a.example" }, "--dns", "dns.example", 64, "nmg mx: bad --dns value 'dns.example' (want IPv4[:PORT]) (see nmg mx --help)" },
            { "send", new string[0], "--server", "gw.example:99999", 64, "nmg send: bad --server value 'gw.example:99999' (want HOST[:PORT]) (see nmg send --help)" },
            { "queue", new[] { "list" }, "--gateway", "ftp://gw.example", 64, "nmg queue: bad --gateway value 'ftp://gw.example' (want http://HOST:PORT) (see nmg queue --help)" },
            { "status", new string[0], "--gateway", "gw.example:8025/x", 64, "nmg status: bad --gateway value 'gw.example:8025/x' (want http://HOST:PORT) (see nmg status --help)" },
        };

        [Fact]
        public void TheTableCoversEveryVerb()
        {
            Command root = CommandLine.Build(TextWriter.Null, TextWriter.Null);
            Assert.Equal(root.Subcommands.Select(v => v.Name), Verbs.Select(row => (string)row[0]));
        }

        [Theory]
        [MemberData(nameof(Verbs))]
        public void EveryVerbFollowsTheSameConventions(string verb, string[] before, string option, string value, int exit, string answer)
        {
            string[] Line(params string[] rest) => new[] { verb }.Concat(before).Concat(rest).ToArray();
            string who = "nmg " + verb;

            // --help and -h: the generated help with the verb's usage line and its exit codes.
            foreach (string help in new[] { "--help", "-h" })
            {
                var (code, stdout, stderr) = Run(verb, help);
                Assert.Equal(0, code);
                Assert.Equal("", stderr);
                Assert.Contains("Usage:" + NL + "  " + who + " ", stdout);
                Assert.Contains(option + " <", stdout);
                Assert.Contains("Exit codes: 0 ", stdout);
            }

            // --opt value and --opt=value reach the verb alike.
            var spaced = Run(Line(option, value));
            var joined = Run(Line(option + "=" + value));
            Assert.Equal(exit, spaced.code);
            Assert.StartsWith(answer, spaced.stderr);
            Assert.Equal(spaced, joined);

            // An unknown option and a missing value: exit 64, one line, one shape for every verb.
            var unknown = Run(Line("--bogus"));
            Assert.Equal((64, "", who + ": unknown option '--bogus' (see " + who + " --help)" + NL), unknown);
            var missing = Run(Line(option));
            Assert.Equal(64, missing.code);
            Assert.Equal("", missing.stdout);
            Assert.Equal(MissingValue("mailq", "--data"), MissingValue(verb, option, before));
            Assert.Equal(missing, Run(Line(option + "=")));
        }

        /// <summary>The verb's answer to <paramref name="option"/> without its value, with the verb and option names taken out.</summary>
        private static string MissingValue(string verb, string option, params string[] before)
        {
            var (code, _, stderr) = Run(new[] { verb }.Concat(before).Append(option).ToArray());
            Assert.Equal(64, code);
            Assert.Matches(@"^nmg " + verb + @": \S.* '" + option + @"' \(see nmg " + verb + @" --help\)\r?\n$", stderr);
            return stderr.Replace("nmg " + verb, "nmg VERB").Replace(option, "--OPTION");
        }

        /// <summary>README's "nmg, the emulator and admin tool" section: a usage line per verb naming
        /// each of its options, and every exit code a verb's help lists in the exit-code bullet.</summary>
        [Fact]
        public void ReadmeListsEveryVerbWithItsOptionsAndExitCodes()
        {
            string readme = File.ReadAllText(Path.Combine(NanoMailGateway.Tests.Guard.BuildOutput.RepoRoot(), "README.md"));
            int start = readme.IndexOf("## nmg, the emulator and admin tool", System.StringComparison.Ordinal);
            Assert.True(start >= 0);
            string section = readme.Substring(start, readme.IndexOf("\n## ", start, System.StringComparison.Ordinal) - start);
            string[] lines = section.Split('\n');
            int bullet = System.Array.FindIndex(lines, l => l.StartsWith("- Exit codes (sysexits):", System.StringComparison.Ordinal));
            Assert.True(bullet > 0);
            string exitCodes = string.Join(" ", lines.Skip(bullet).TakeWhile((l, i) => i == 0 || l.StartsWith("  ", System.StringComparison.Ordinal)));
            Command root = CommandLine.Build(TextWriter.Null, TextWriter.Null);
            foreach (Command verb in root.Subcommands)
            {
                string usage = Assert.Single(lines, l => l.StartsWith("    nmg " + verb.Name + " ", System.StringComparison.Ordinal));
                foreach (Option option in verb.Options.Where(o => o is not System.CommandLine.Help.HelpOption))
                {
                    Assert.Matches(@"(?<![\w-])" + Regex.Escape(option.Name) + @"(?![\w-])", usage);
                }
                string epilogue = ((CliVerb)verb).Epilogue;
                string listed = epilogue.Substring(epilogue.IndexOf("Exit codes:", System.StringComparison.Ordinal));
                foreach (Match code in Regex.Matches(listed, @"\b[1-9]\d\b"))
                {
                    Assert.True(Regex.IsMatch(exitCodes, @"\b" + code.Value + @"\b"), "README's exit codes lack " + code.Value + " (nmg " + verb.Name + ")");
                }
            }
        }

        [Fact]
        public void BadConfigLineExits78WithItsLineNumber()
        {
            string dir = Directory.CreateTempSubdirectory("nmg-cli-").FullName;
            try
            {
                string cfg = Path.Combine(dir, "main.cf");
                File.WriteAllText(cfg, "# test\nhostname = gw.example\n\nsmtp_lisen = 127.0.0.1:0\n");
                var (code, stdout, stderr) = Run("run", "--config", cfg, "--data", Path.Combine(dir, "data"));
                Assert.Equal(78, code);
                Assert.Equal("", stdout);
                Assert.Equal("nmg: " + cfg + ":4: unknown key 'smtp_lisen'" + System.Environment.NewLine, stderr);
                Assert.False(Directory.Exists(Path.Combine(dir, "data"))); // nothing created for a config that failed
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void MissingConfigFileExits66()
        {
            var (code, _, stderr) = Run("run", "--config", "/nonexistent/nmg/main.cf");
            Assert.Equal(66, code);
            Assert.StartsWith("nmg: cannot read config /nonexistent/nmg/main.cf", stderr);
        }
    }
}
