// The board app's packages.config must restore as written: every package version exists
// and the set agrees with each package's own dependencies. NuGet's nanoFramework packages
// are not on this project's feed (only CoreLibrary is), so the facts are written down
// here from the packages' public sources: each version is a release tag of the package's
// repository (nanoframework/<repo>, tag v<version>), and its dependencies are that tag's
// .nuspec. Read 2026-07 (the 1.x line that builds against CoreLibrary 1.17.11).
// A version bump adds its row here, read from that release's nuspec.

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using NanoMailGateway.Tests.Guard;
using Xunit;

namespace NanoMailGateway.Tests.Board
{
    public sealed class PackageSetTests
    {
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

        /// <summary>id, version (a release tag), then the nuspec's dependencies as id/version pairs.</summary>
        private static readonly string[][] Releases =
        {
            new[] { "nanoFramework.CoreLibrary", "1.17.11" },
            new[] { "nanoFramework.Runtime.Events", "1.11.37", "nanoFramework.CoreLibrary", "1.17.11" },
            new[] { "nanoFramework.Runtime.Native", "1.7.11", "nanoFramework.CoreLibrary", "1.17.11" },
            new[] { "nanoFramework.System.Text", "1.3.42", "nanoFramework.CoreLibrary", "1.17.11" },
            new[] { "nanoFramework.System.Threading", "1.1.52", "nanoFramework.CoreLibrary", "1.17.11" },
            new[] { "nanoFramework.System.IO.Streams", "1.1.96", "nanoFramework.CoreLibrary", "1.17.11", "nanoFramework.System.Text", "1.3.42" },
            new[] { "nanoFramework.System.IO.FileSystem", "1.1.93", "nanoFramework.CoreLibrary", "1.17.11", "nanoFramework.Runtime.Events", "1.11.37",
                "nanoFramework.System.IO.Streams", "1.1.96", "nanoFramework.System.Text", "1.3.42" },
            new[] { "nanoFramework.System.Net", "1.11.54", "nanoFramework.CoreLibrary", "1.17.11", "nanoFramework.Runtime.Events", "1.11.37",
                "nanoFramework.System.Text", "1.3.42", "nanoFramework.System.Threading", "1.1.52", "nanoFramework.System.IO.Streams", "1.1.96" },
            new[] { "nanoFramework.System.Device.Wifi", "1.5.147", "nanoFramework.CoreLibrary", "1.17.11", "nanoFramework.Runtime.Events", "1.11.37",
                "nanoFramework.System.Net", "1.11.54" },
        };

        [Theory]
        [InlineData("firmware/NanoMailGateway/packages.config")]
        [InlineData("firmware/NanoMailGateway.SelfTest.Board/packages.config")]
        public void EveryPackageIsAReleaseAndItsDependenciesAreInTheSetAtTheirVersion(string config)
        {
            Dictionary<string, string> set = Packages(config);
            foreach (KeyValuePair<string, string> p in set)
            {
                string[]? release = Releases.FirstOrDefault(r => r[0] == p.Key && r[1] == p.Value);
                Assert.True(release != null, config + ": " + p.Key + " " + p.Value + " is not a release written down here (see the header)");
                for (int i = 2; i < release!.Length; i += 2)
                {
                    Assert.True(set.TryGetValue(release[i], out string? have), config + ": " + p.Key + " " + p.Value + " needs " + release[i] + " " + release[i + 1]);
                    Assert.True(have == release[i + 1], config + ": " + p.Key + " " + p.Value + " needs " + release[i] + " " + release[i + 1] + ", the set has " + have);
                }
            }
        }

        [Fact]
        public void TheBoardAppsHintPathsNameThePackagesConfigVersions()
        {
            Dictionary<string, string> set = Packages("firmware/NanoMailGateway/packages.config");
            XDocument nf = XDocument.Load(Path.Combine(BuildOutput.RepoRoot(), "firmware/NanoMailGateway/NanoMailGateway.nfproj"));
            string[] hints = nf.Descendants(Msb + "HintPath").Select(h => h.Value).ToArray();
            Assert.NotEmpty(hints);
            foreach (string hint in hints)
            {
                // ..\packages\<id>.<version>\lib\<assembly>.dll
                string folder = hint.Split('\\')[2];
                KeyValuePair<string, string> match = set.FirstOrDefault(p => folder == p.Key + "." + p.Value);
                Assert.True(match.Key != null, "HintPath " + hint + " names no package of packages.config at its version");
            }
            foreach (string id in set.Keys)
            {
                Assert.Contains(hints, h => h.Contains("\\" + id + "." + set[id] + "\\", System.StringComparison.Ordinal));
            }
        }

        private static Dictionary<string, string> Packages(string config)
        {
            XDocument doc = XDocument.Load(Path.Combine(BuildOutput.RepoRoot(), config));
            return doc.Descendants("package").ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);
        }
    }
}
