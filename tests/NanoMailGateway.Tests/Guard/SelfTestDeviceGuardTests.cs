// The runtime guard on the self-tests as a board runs them: each compiled against
// nanoFramework's mscorlib and the Core libraries (firmware/NanoMailGateway.SelfTest.Device,
// firmware/NanoMailGateway.SelfTest.Protocols.Device) must contain nothing the 1.x
// interpreter cannot run, and must have an entry point. The first must not reference
// Core.Imap or Core.Admin (the ESP32-C3 has no heap for their tables); the protocol
// self-test must, since they are what it checks.

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
        private static string Dll(string which) => which == "protocols" ? BuildOutput.ProtocolSelfTestApp() : BuildOutput.SelfTestApp();

        [Theory]
        [InlineData("selftest")]
        [InlineData("protocols")]
        public void SelfTestDeviceAssemblyHasNoGenericsMultiDimensionalArraysOrPointers(string which)
        {
            GuardAssert.Clean(Dll(which));
        }

        [Theory]
        [InlineData("selftest")]
        [InlineData("protocols")]
        public void SelfTestDeviceAssemblyReferencesCoreAndHasMainAsEntryPoint(string which)
        {
            // Guards the guard: an empty or wrong file would pass the test above.
            using var stream = System.IO.File.OpenRead(Dll(which));
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            string[] types = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToArray();
            Assert.Contains("SelfTestRunner", types);
            Assert.DoesNotContain("BufferPool", types); // Core is referenced, not compiled in
            string[] refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
            Assert.Contains("mscorlib", refs);
            Assert.Contains("NanoMailGateway.Core.Simulation", refs);
            if (which == "protocols")
            {
                Assert.Contains("NanoMailGateway.Core.Imap", refs);
                Assert.Contains("NanoMailGateway.Core.Admin", refs);
                Assert.Contains("ImapChecks", types);
            }
            else
            {
                Assert.Contains("NanoMailGateway.Core.Pop3", refs);
                Assert.DoesNotContain("NanoMailGateway.Core.Imap", refs);
                Assert.DoesNotContain("NanoMailGateway.Core.Admin", refs);
            }
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
