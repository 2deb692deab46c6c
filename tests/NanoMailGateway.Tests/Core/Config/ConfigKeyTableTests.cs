using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Tests.Guard;
using Xunit;

namespace NanoMailGateway.Tests.Core.Config
{
    /// <summary>
    /// Every key ConfigKeys accepts has a good-value row in ConfigParserTests.GoodKeys, a
    /// line in the README, and changes the configuration when set: a key that is parsed
    /// and checked but never stored fails here.
    /// </summary>
    public class ConfigKeyTableTests
    {
        private static readonly string Source = Path.Combine("firmware", "NanoMailGateway.Core.Config", "Config", "ConfigKeys.cs");

        /// <summary>The keys, read from the case labels of ConfigKeys.Apply.</summary>
        public static IEnumerable<object[]> Keys()
        {
            string text = File.ReadAllText(Path.Combine(BuildOutput.RepoRoot(), Source));
            return Regex.Matches(text, "case \"([a-z0-9_]+)\":").Select(m => new object[] { m.Groups[1].Value });
        }

        [Fact]
        public void TheKeyTableIsReadFromTheSource()
        {
            string[] keys = Keys().Select(k => (string)k[0]).ToArray();
            Assert.Contains("hostname", keys);
            Assert.Contains("heap_bytes", keys);
            Assert.True(keys.Length >= 30, keys.Length + " keys");
            Assert.Equal(keys.Length, keys.Distinct().Count());
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public void EveryKeyIsDocumentedInTheReadme(string key)
        {
            string readme = File.ReadAllText(Path.Combine(BuildOutput.RepoRoot(), "README.md"));
            Assert.Matches("[|`/]\\s*" + key + "\\b", readme);
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public void EveryKeyChangesTheConfigWhenSet(string key)
        {
            bool board = HardwareRows.Any(r => r.StartsWith(key + " =", StringComparison.Ordinal));
            string[] rows = (board ? HardwareRows : ConfigParserTests.GoodKeys().Select(r => (string)r[0]))
                .Where(r => r.StartsWith(key + " =", StringComparison.Ordinal)).ToArray();
            Assert.True(rows.Length > 0, "no row in ConfigParserTests.GoodKeys for " + key);
            string before = Snapshot(new GatewayConfig());
            bool changed = false;
            foreach (string row in rows)
            {
                var c = new GatewayConfig();
                ConfigError? err = ConfigParser.Parse(row, "main.cf", c, board);
                Assert.True(err == null, err?.ToString());
                changed |= Snapshot(c) != before;
            }
            Assert.True(changed, key + " parses but changes nothing in GatewayConfig or BoardProfile");
        }

        [Fact]
        public void ADroppedValueWouldBeSeen()
        {
            // The snapshot sees each kind of property that keys set.
            string before = Snapshot(new GatewayConfig());
            var c = new GatewayConfig();
            c.Board.TlsServer = !c.Board.TlsServer;
            Assert.NotEqual(before, Snapshot(c));
            c = new GatewayConfig();
            c.LocalDomains = new[] { "x.example" };
            Assert.NotEqual(before, Snapshot(c));
            c = new GatewayConfig();
            c.SetAccount("a", "b");
            Assert.NotEqual(before, Snapshot(c));
        }

        // Hardware facts parse only in a board profile, so GoodKeys (parsed as a config) has no rows for them.
        private static readonly string[] HardwareRows = { "heap_bytes = 320K", "storage_capacity = 2M", "max_sockets = 8" };

        /// <summary>Every public property of the config and its board profile, as text.</summary>
        private static string Snapshot(GatewayConfig c)
        {
            var parts = new List<string>();
            Render(c, parts);
            Render(c.Board, parts);
            for (int i = 0; i < c.AccountCount; i++) parts.Add("account " + c.GetAccount(i).Name + "=" + c.GetAccount(i).Secret);
            return string.Join("\n", parts);
        }

        private static void Render(object o, List<string> parts)
        {
            foreach (PropertyInfo p in o.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name))
            {
                if (p.GetIndexParameters().Length > 0 || p.PropertyType == typeof(BoardProfile)) continue;
                object? v = p.GetValue(o);
                string text = v is Array a ? string.Join(",", a.Cast<object?>().Select(x => x?.ToString())) : v is NetworkList l ? "networks " + l.Count : v?.ToString() ?? "null";
                parts.Add(p.Name + "=" + text);
            }
        }
    }
}
