// The runtime guard on the real thing: every Core library as compiled against
// nanoFramework's mscorlib (the netstandard2.0 flavour of firmware/NanoMailGateway.Core.*)
// must contain nothing the 1.x interpreter cannot run (ARCHITECTURE.md, "Device rules").

using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class CoreLibraryGuardTests
    {
        public static TheoryData<string> Libraries()
        {
            var data = new TheoryData<string>();
            foreach (string name in BuildOutput.CoreLibraries) data.Add(name);
            return data;
        }

        [Theory]
        [MemberData(nameof(Libraries))]
        public void CoreLibraryHasNothingTheInterpreterCannotRun(string library)
        {
            GuardAssert.Clean(BuildOutput.CoreLibrary(library));
        }

        [Fact]
        public void EveryAllowedSharedStaticIsStillThere()
        {
            var found = BuildOutput.CoreLibraries
                .SelectMany(name => RuntimeGuard.Scan(BuildOutput.CoreLibrary(name)))
                .Where(f => f.Construct == GuardConstruct.StaticDataAtBoot)
                .Select(f => f.Member)
                .ToHashSet();
            foreach (string member in GuardAssert.SharedStatics.Keys)
            {
                Assert.True(found.Contains(member), member + " is allowed to make static data but no longer does: drop it from GuardAssert.SharedStatics");
            }
        }

        [Theory]
        [MemberData(nameof(Libraries))]
        public void CoreLibraryIsReallyScannedAndReferencesOnlyMscorlibAndCore(string library)
        {
            // Guards the guard: an empty or wrong file would pass the test above.
            using var stream = System.IO.File.OpenRead(BuildOutput.CoreLibrary(library));
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            Assert.Equal(library, md.GetString(md.GetAssemblyDefinition().Name));
            Assert.True(md.TypeDefinitions.Count > 5, library + " has almost no types");
            string[] refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
            Assert.Contains("mscorlib", refs);
            Assert.All(refs, r => Assert.True(r == "mscorlib" || r.StartsWith("NanoMailGateway.Core.", System.StringComparison.Ordinal), library + " references " + r));
        }

        [Fact]
        public void CoreLibrariesReferenceEachOtherOnlyDownTheList()
        {
            // The assembly graph is the architecture: a library may reference only those
            // listed before it in BuildOutput.CoreLibraries, so the graph has no cycle.
            for (int i = 0; i < BuildOutput.CoreLibraries.Length; i++)
            {
                string library = BuildOutput.CoreLibraries[i];
                using var stream = System.IO.File.OpenRead(BuildOutput.CoreLibrary(library));
                using var pe = new PEReader(stream);
                MetadataReader md = pe.GetMetadataReader();
                foreach (AssemblyReferenceHandle h in md.AssemblyReferences)
                {
                    string r = md.GetString(md.GetAssemblyReference(h).Name);
                    if (r == "mscorlib") continue;
                    int at = System.Array.IndexOf(BuildOutput.CoreLibraries, r);
                    Assert.True(at >= 0 && at < i, library + " references " + r + ", which is not below it");
                }
            }
        }
    }
}
