// The runtime guard on the self-test as a board runs it: Core and the self-test compiled
// into one assembly against nanoFramework's mscorlib (firmware/NanoMailGateway.SelfTest.Device)
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
        private static string Dll() => BuildOutput.DeviceAssembly("firmware/NanoMailGateway.SelfTest.Device", "NanoMailGateway.SelfTest.Device");

        [Fact]
        public void SelfTestDeviceAssemblyHasNoGenericsMultiDimensionalArraysOrPointers()
        {
            GuardAssert.Clean(Dll());
        }

        [Fact]
        public void SelfTestDeviceAssemblyIsCoreAndSelfTestWithMainAsEntryPoint()
        {
            // Guards the guard: an empty or wrong file would pass the test above.
            using var stream = System.IO.File.OpenRead(Dll());
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            string[] types = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToArray();
            Assert.Contains("BufferPool", types);
            Assert.Contains("Pop3Server", types);
            Assert.Contains("SelfTestRunner", types);
            Assert.Contains(md.AssemblyReferences, h => md.GetString(md.GetAssemblyReference(h).Name) == "mscorlib");
            Assert.Single(md.AssemblyReferences);

            int entry = pe.PEHeaders.CorHeader!.EntryPointTokenOrRelativeVirtualAddress;
            Assert.NotEqual(0, entry);
            MethodDefinition main = md.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(entry & 0xFFFFFF));
            TypeDefinition program = md.GetTypeDefinition(main.GetDeclaringType());
            Assert.Equal("Main", md.GetString(main.Name));
            Assert.Equal("NanoMailGateway.SelfTest.Program", md.GetString(program.Namespace) + "." + md.GetString(program.Name));
        }
    }
}
