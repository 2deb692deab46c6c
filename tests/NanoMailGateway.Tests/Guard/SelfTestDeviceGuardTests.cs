// The runtime guard on the self-test as a board runs it: the self-test compiled against
// nanoFramework's mscorlib and the Core libraries (firmware/NanoMailGateway.SelfTest.Device)
// must contain nothing the 1.x interpreter cannot run, and must have an entry point.

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class SelfTestDeviceGuardTests
    {
        private static string Dll() => BuildOutput.SelfTestApp();

        [Fact]
        public void SelfTestDeviceAssemblyHasNoGenericsMultiDimensionalArraysOrPointers()
        {
            GuardAssert.Clean(Dll());
        }

        [Fact]
        public void SelfTestDeviceAssemblyReferencesCoreAndHasMainAsEntryPoint()
        {
            // Guards the guard: an empty or wrong file would pass the test above.
            using var stream = System.IO.File.OpenRead(Dll());
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            string[] types = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToArray();
            Assert.Contains("SelfTestRunner", types);
            Assert.DoesNotContain("BufferPool", types); // Core is referenced, not compiled in
            string[] refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
            Assert.Contains("mscorlib", refs);
            Assert.Contains("NanoMailGateway.Core.Simulation", refs);
            Assert.Contains("NanoMailGateway.Core.Pop3", refs);
            Assert.All(refs, r => Assert.True(r == "mscorlib" || r.StartsWith("NanoMailGateway.Core.", StringComparison.Ordinal), "self-test references " + r));

            int entry = pe.PEHeaders.CorHeader!.EntryPointTokenOrRelativeVirtualAddress;
            Assert.NotEqual(0, entry);
            MethodDefinition main = md.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(entry & 0xFFFFFF));
            TypeDefinition program = md.GetTypeDefinition(main.GetDeclaringType());
            Assert.Equal("Main", md.GetString(main.Name));
            Assert.Equal("NanoMailGateway.SelfTest.Program", md.GetString(program.Namespace) + "." + md.GetString(program.Name));
        }
    }
}
