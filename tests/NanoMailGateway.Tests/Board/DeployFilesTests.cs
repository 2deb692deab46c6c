// The sample files of firmware/NanoMailGateway/Deploy (what a user edits and puts on I:
// with nanoff --filedeployment) must work as shipped: board.conf parses, nmg.conf layered
// on every board profile parses and validates, and deploy.json names files that exist.

using System.IO;
using System.Text.Json;
using NanoMailGateway.Board.Settings;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Tests.Guard;
using Xunit;

namespace NanoMailGateway.Tests.Board
{
    public class DeployFilesTests
    {
        private static string DeployDir => Path.Combine(BuildOutput.RepoRoot(), "firmware", "NanoMailGateway", "Deploy");

        [Fact]
        public void SampleBoardConfParses()
        {
            byte[] data = File.ReadAllBytes(Path.Combine(DeployDir, "board.conf"));
            Assert.Null(BoardSettings.Parse(data, data.Length, out BoardSettings s));
            Assert.Equal("Workshop", s.WifiSsid);
            Assert.Equal("I:\\nmg", s.StorageFolder);
            Assert.Equal("esp32-wroom-32", s.Board);
        }

        [Theory]
        [InlineData("esp32-wroom-32")]
        [InlineData("esp32-c3")]
        [InlineData("esp32-wrover")]
        [InlineData("esp32-s3")]
        public void SampleNmgConfValidatesOnEveryBoard(string board)
        {
            var config = new GatewayConfig();
            byte[] profile = File.ReadAllBytes(Path.Combine(BuildOutput.RepoRoot(), "boards", board + ".conf"));
            Assert.Null(ConfigParser.Parse(profile, 0, profile.Length, board + ".conf", config, true));
            byte[] conf = File.ReadAllBytes(Path.Combine(DeployDir, "nmg.conf"));
            Assert.Null(ConfigParser.Parse(conf, 0, conf.Length, "nmg.conf", config, false));
            Assert.Null(ConfigValidator.Validate(config));
            Assert.Empty(config.DnsServers); // the board fills them in from DHCP
            Assert.Equal("gw1.example.lan", config.Hostname);
        }

        [Fact]
        public void DeployJsonNamesExistingFilesOnDriveI()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployDir, "deploy.json")));
            JsonElement files = doc.RootElement.GetProperty("files");
            Assert.Equal(3, files.GetArrayLength());
            foreach (JsonElement f in files.EnumerateArray())
            {
                string dest = f.GetProperty("DestinationFilePath").GetString()!;
                string src = f.GetProperty("SourceFilePath").GetString()!;
                Assert.StartsWith("I:\\", dest);
                Assert.True(File.Exists(Path.Combine(DeployDir, src)), "deploy.json names a missing file: " + src);
            }
        }
    }
}
