// The files README "Many boards" gives an operator of many boards (docs/fleet), checked
// by the tools that operator would use on them: Prometheus's promtool (the scrape
// config, the alert rules and their unit tests), Postfix's postconf (the central MTA's
// main.cf lines: a misspelt parameter is "unused"), and the rollout script, whose
// per-board nmg.conf must load as the board would load it. AdminEndToEndTests checks
// that the alert rules name only series a running gateway serves.

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NanoMailGateway.Board.Settings;
using NanoMailGateway.Emulator.Gateway;
using NanoMailGateway.Tests.Guard;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Fleet
{
    public sealed class FleetFilesTests : IDisposable
    {
        private static readonly string Fleet = Path.Combine(BuildOutput.RepoRoot(), "docs", "fleet");
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-fleet-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static ProcessResult Run(string tool, string dir, params string[] args)
        {
            ProcessResult r = ProcessRunner.Run(tool, args, null, TimeSpan.FromSeconds(60), dir);
            Assert.False(r.TimedOut, tool + " timed out");
            return r;
        }

        [SkippableFact]
        public void PrometheusConfigAndAlertRulesPassPromtoolAndTheirUnitTests()
        {
            string promtool = Peers.Require("promtool");
            // The scrape config reads its password from a file the operator creates; point it here.
            string password = Path.Combine(_dir, "nmg-password");
            File.WriteAllText(password, "secret\n");
            File.WriteAllText(Path.Combine(_dir, "prometheus.yml"),
                File.ReadAllText(Path.Combine(Fleet, "prometheus.yml")).Replace("/etc/prometheus/nmg-password", password));
            File.Copy(Path.Combine(Fleet, "nmg-alerts.yml"), Path.Combine(_dir, "nmg-alerts.yml"));
            ProcessResult config = Run(promtool, _dir, "check", "config", "prometheus.yml");
            Assert.True(config.ExitCode == 0, config.StdOut + config.StdErr);
            Assert.Contains("SUCCESS: 6 rules found", config.StdOut + config.StdErr);
            ProcessResult rules = Run(promtool, Fleet, "test", "rules", "nmg-alerts.test.yml");
            Assert.True(rules.ExitCode == 0, rules.StdOut + rules.StdErr);
            Assert.Contains("SUCCESS", rules.StdOut + rules.StdErr);
        }

        [SkippableFact]
        public void CentralPostfixLinesAreAllKnownToPostfix()
        {
            string postconf = Peers.Require("postconf");
            File.Copy(Path.Combine(Fleet, "postfix-main.cf"), Path.Combine(_dir, "main.cf"));
            File.WriteAllText(Path.Combine(_dir, "master.cf"), "");
            ProcessResult r = Run(postconf, _dir, "-c", _dir, "-n");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.DoesNotContain("unused parameter", r.StdErr);
            Assert.Contains("smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination", r.StdOut);

            // The same check catches a misspelt line.
            File.AppendAllText(Path.Combine(_dir, "main.cf"), "smtpd_sasl_enable = yes\n");
            Assert.Contains("unused parameter: smtpd_sasl_enable=yes", Run(postconf, _dir, "-c", _dir, "-n").StdErr);
        }

        [SkippableFact]
        public void RolloutWritesAConfigEachBoardLoadsAndADeploymentList()
        {
            string sh = Peers.Require("sh");
            string site = Path.Combine(_dir, "site");
            Directory.CreateDirectory(site);
            foreach (string f in new[] { "deploy-fleet.sh", "nmg.conf" }) File.Copy(Path.Combine(Fleet, f), Path.Combine(site, f));
            File.Copy(Path.Combine(BuildOutput.RepoRoot(), "firmware", "NanoMailGateway", "Deploy", "board.conf"), Path.Combine(site, "board.conf"));
            File.WriteAllText(Path.Combine(_dir, "boards.txt"),
                "# port host profile target\n/dev/ttyUSB0  gw-boiler-1.plant.lan\n\n/dev/ttyUSB1 gw-press-2.plant.lan esp32-c3 ESP32_C3\n");
            string boards = Path.Combine(BuildOutput.RepoRoot(), "boards");
            string[] args = { "NMG_BOARDS=" + boards, sh, Path.Combine(site, "deploy-fleet.sh"), "-n", "boards.txt", "out" };

            // nmg.conf asks for a CA file the board must be given: without it, nothing is written.
            ProcessResult noCa = Run("/usr/bin/env", _dir, args);
            Assert.Equal(66, noCa.ExitCode);
            Assert.Contains("ca.pem is missing", noCa.StdErr);
            Assert.False(Directory.Exists(Path.Combine(_dir, "out")));

            File.WriteAllText(Path.Combine(site, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
            ProcessResult r = Run("/usr/bin/env", _dir, args);
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal(
                "(cd out/gw-boiler-1.plant.lan && nanoff --target ESP32_REV0 --serialport /dev/ttyUSB0 --filedeployment deploy.json)\n" +
                "(cd out/gw-press-2.plant.lan && nanoff --target ESP32_C3 --serialport /dev/ttyUSB1 --filedeployment deploy.json)\n",
                r.StdOut);

            foreach ((string host, string profile) in new[] { ("gw-boiler-1.plant.lan", "esp32-wroom-32"), ("gw-press-2.plant.lan", "esp32-c3") })
            {
                string dir = Path.Combine(_dir, "out", host);
                // The board's checks: the profile and nmg.conf load and validate, and the
                // board-only rule (TLS needs relay_ca_file) holds.
                Assert.Equal(File.ReadAllBytes(Path.Combine(boards, profile + ".conf")), File.ReadAllBytes(Path.Combine(dir, "profile.conf")));
                LoadResult loaded = ConfigLoader.Load(profile, Path.Combine(dir, "nmg.conf"));
                Assert.True(loaded.Config != null, host + ": " + loaded.Error);
                Assert.Equal(host, loaded.Config!.Hostname);
                Assert.Equal(profile, loaded.Config.Board.Name);
                Assert.Null(BoardConfigCheck.Check(loaded.Config));
                Assert.Equal(2, loaded.Config.AliasCount);
                Assert.Contains("board = " + profile + "\n", File.ReadAllText(Path.Combine(dir, "board.conf")));

                using JsonDocument deploy = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "deploy.json")));
                string[] targets = deploy.RootElement.GetProperty("files").EnumerateArray()
                    .Select(e => e.GetProperty("DestinationFilePath").GetString() + "<" + e.GetProperty("SourceFilePath").GetString()).ToArray();
                Assert.Equal(new[] { @"I:\board.conf<board.conf", @"I:\profile.conf<profile.conf", @"I:\ca.pem<ca.pem", @"I:\nmg.conf<nmg.conf" }, targets);
                foreach (string t in targets) Assert.True(File.Exists(Path.Combine(dir, t.Substring(t.IndexOf('<') + 1))), t);
            }
        }
    }
}
