using System.IO;
using NanoMailGateway.Emulator.Cli;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Cli
{
    public class CommandLineTests
    {
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
        public void HelpListsEveryVerb(string flag)
        {
            var (code, stdout, stderr) = Run(flag);
            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            Assert.Contains("usage: nmg <command>", stdout);
            foreach (CliVerb v in CommandLine.Verbs) Assert.Contains("  " + v.Name, stdout);
        }

        [Fact]
        public void RunHelpDescribesItsOptions()
        {
            var (code, stdout, _) = Run("run", "--help");
            Assert.Equal(0, code);
            Assert.Contains("--config FILE", stdout);
            Assert.Contains("--board NAME", stdout);
            Assert.Contains("--data DIR", stdout);
        }

        [Theory]
        [InlineData(new string[0], "nmg: missing command (see nmg --help)")]
        [InlineData(new[] { "frobnicate" }, "nmg: unknown command 'frobnicate' (see nmg --help)")]
        [InlineData(new[] { "--verbose" }, "nmg: unknown option '--verbose' (see nmg --help)")]
        [InlineData(new[] { "run", "--bogus" }, "nmg run: unknown option '--bogus' (see nmg run --help)")]
        [InlineData(new[] { "run", "extra" }, "nmg run: unexpected argument 'extra' (see nmg run --help)")]
        [InlineData(new[] { "run", "--config" }, "nmg run: option --config needs a value (see nmg run --help)")]
        [InlineData(new[] { "run", "--board=nosuch" }, "nmg: unknown board 'nosuch' (known: esp32-c3, esp32-s3, esp32-wroom-32, esp32-wrover)")]
        [InlineData(new[] { "run", "--board", "nosuch" }, "nmg: unknown board 'nosuch' (known: esp32-c3, esp32-s3, esp32-wroom-32, esp32-wrover)")]
        public void UsageErrorsAreOneLineAndExit64(string[] args, string message)
        {
            var (code, stdout, stderr) = Run(args);
            Assert.Equal(64, code);
            Assert.Equal("", stdout);
            Assert.Equal(message + System.Environment.NewLine, stderr);
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
