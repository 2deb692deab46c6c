// The board build (.nfproj, packages.config, the two board solutions) needs Visual Studio
// with the nanoFramework extension, so it cannot run here. These tests keep it in step with
// what does build here: every Core library has an .nfproj with its own assembly name, and
// every project's references in the board build cover the assembly references that its
// device flavour really compiled to (read from the compiled metadata), so a library added
// or a reference added on one side only fails here instead of on a developer's Windows box.

using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NanoMailGateway.Tests.Guard;
using Xunit;

namespace NanoMailGateway.Tests.Board
{
    public class BoardProjectTests
    {
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

        [Theory]
        [MemberData(nameof(CoreLibraryGuardTests.Libraries), MemberType = typeof(CoreLibraryGuardTests))]
        public void EveryCoreLibraryHasAnNfprojNamedLikeItsAssembly(string library)
        {
            XDocument nf = XDocument.Load(Nfproj("firmware/" + library + "/" + library + ".nfproj"));
            Assert.Equal(library, nf.Descendants(Msb + "AssemblyName").Single().Value);
            Assert.Equal("Library", nf.Descendants(Msb + "OutputType").Single().Value);
            AssertCoversCompiledReferences(nf, BuildOutput.CoreLibrary(library));
            AssertPackagesMatchTheBuild("firmware/" + library + "/packages.config", nf);
        }

        [Fact]
        public void BoardAppNfprojReferencesWhatTheCompiledAppReferences()
        {
            XDocument nf = XDocument.Load(Nfproj("firmware/NanoMailGateway/NanoMailGateway.nfproj"));
            AssertCoversCompiledReferences(nf, BuildOutput.BoardApp());
            AssertPackagesMatchTheBuild("firmware/NanoMailGateway/packages.config", nf);
        }

        [Fact]
        public void SelfTestNfprojReferencesWhatTheCompiledSelfTestReferences()
        {
            XDocument nf = XDocument.Load(Nfproj("firmware/NanoMailGateway.SelfTest.Board/NanoMailGateway.SelfTest.nfproj"));
            AssertCoversCompiledReferences(nf, BuildOutput.SelfTestApp());
            AssertPackagesMatchTheBuild("firmware/NanoMailGateway.SelfTest.Board/packages.config", nf);
        }

        [Fact]
        public void ProtocolSelfTestNfprojReferencesWhatTheCompiledSelfTestReferences()
        {
            XDocument nf = XDocument.Load(Nfproj("firmware/NanoMailGateway.SelfTest.Protocols.Board/NanoMailGateway.SelfTest.Protocols.nfproj"));
            AssertCoversCompiledReferences(nf, BuildOutput.ProtocolSelfTestApp());
            AssertPackagesMatchTheBuild("firmware/NanoMailGateway.SelfTest.Protocols.Board/packages.config", nf);
            // The board build compiles the files the .Device build compiles: the shared ones
            // are listed one by one there and in Shared.props.
            string shared = File.ReadAllText(Path.Combine(BuildOutput.RepoRoot(), "firmware/NanoMailGateway.SelfTest.Protocols/Shared.props"));
            string[] linked = nf.Descendants(Msb + "Compile").Select(c => c.Attribute("Include")!.Value)
                .Where(i => i.StartsWith("..\\NanoMailGateway.SelfTest\\Support\\", StringComparison.Ordinal))
                .Select(i => i.Substring("..\\NanoMailGateway.SelfTest\\Support\\".Length)).ToArray();
            string[] listed = Regex.Matches(shared, "Support/([A-Za-z]+\\.cs)").Select(m => m.Groups[1].Value).ToArray();
            Assert.NotEmpty(listed);
            Assert.Equal(listed.OrderBy(n => n, StringComparer.Ordinal), linked.OrderBy(n => n, StringComparer.Ordinal));
        }

        [Theory]
        [InlineData("firmware/NanoMailGateway.Board.sln", "firmware/NanoMailGateway/NanoMailGateway.nfproj")]
        [InlineData("firmware/NanoMailGateway.SelfTest.Board.sln", "firmware/NanoMailGateway.SelfTest.Board/NanoMailGateway.SelfTest.nfproj")]
        [InlineData("firmware/NanoMailGateway.SelfTest.Protocols.Board.sln", "firmware/NanoMailGateway.SelfTest.Protocols.Board/NanoMailGateway.SelfTest.Protocols.nfproj")]
        public void BoardSolutionHoldsTheAppAndEveryLibraryItDeploys(string sln, string app)
        {
            string text = File.ReadAllText(Path.Combine(BuildOutput.RepoRoot(), sln));
            string dir = Path.GetDirectoryName(Path.Combine(BuildOutput.RepoRoot(), sln))!;
            string[] listed = Regex.Matches(text, "\"([^\"]+\\.nfproj)\"").Select(m => Path.GetFullPath(Path.Combine(dir, m.Groups[1].Value.Replace('\\', '/')))).ToArray();
            string appPath = Path.GetFullPath(Path.Combine(BuildOutput.RepoRoot(), app));
            Assert.Contains(appPath, listed);
            foreach (string reference in ProjectReferencePaths(XDocument.Load(appPath), Path.GetDirectoryName(appPath)!))
            {
                Assert.True(listed.Contains(reference), sln + " lacks " + reference);
                Assert.True(File.Exists(reference), reference + " does not exist");
            }
        }

        private static string Nfproj(string relative)
        {
            string path = Path.Combine(BuildOutput.RepoRoot(), relative);
            Assert.True(File.Exists(path), "missing " + relative);
            return path;
        }

        /// <summary>Each NanoMailGateway.* assembly that the compiled device flavour references is a ProjectReference of the .nfproj.</summary>
        private static void AssertCoversCompiledReferences(XDocument nf, string compiledDll)
        {
            string[] nfRefs = nf.Descendants(Msb + "ProjectReference").Select(r => r.Element(Msb + "Name")!.Value).ToArray();
            using var stream = File.OpenRead(compiledDll);
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            string[] compiled = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name))
                .Where(n => n.StartsWith("NanoMailGateway.", StringComparison.Ordinal)).ToArray();
            foreach (string name in compiled)
            {
                Assert.True(nfRefs.Contains(name), Path.GetFileName(compiledDll) + " references " + name + " but its .nfproj does not");
            }
            foreach (XElement r in nf.Descendants(Msb + "ProjectReference"))
            {
                string name = r.Element(Msb + "Name")!.Value;
                Assert.EndsWith("\\" + name + ".nfproj", r.Attribute("Include")!.Value, StringComparison.Ordinal);
            }
        }

        /// <summary>packages.config pins the CoreLibrary this build compiles against, and the mscorlib HintPath names it.</summary>
        private static void AssertPackagesMatchTheBuild(string packagesConfig, XDocument nf)
        {
            string version = XDocument.Load(Path.Combine(BuildOutput.RepoRoot(), "Directory.Build.props"))
                .Descendants("NanoFrameworkCoreLibraryVersion").Single().Value;
            XDocument packages = XDocument.Load(Path.Combine(BuildOutput.RepoRoot(), packagesConfig));
            XElement core = packages.Descendants("package").Single(p => p.Attribute("id")!.Value == "nanoFramework.CoreLibrary");
            Assert.Equal(version, core.Attribute("version")!.Value);
            string hint = nf.Descendants(Msb + "Reference").Single(r => r.Attribute("Include")!.Value == "mscorlib").Element(Msb + "HintPath")!.Value;
            Assert.Contains("nanoFramework.CoreLibrary." + version + "\\", hint, StringComparison.Ordinal);
        }

        private static string[] ProjectReferencePaths(XDocument nf, string dir) =>
            nf.Descendants(Msb + "ProjectReference")
              .Select(r => Path.GetFullPath(Path.Combine(dir, r.Attribute("Include")!.Value.Replace('\\', '/'))))
              .ToArray();
    }
}
