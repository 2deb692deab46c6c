// The runtime guard on the board app: Program, the adapters and Core as compiled against
// nanoFramework's mscorlib and the package stand-ins (firmware/NanoMailGateway.Device) must
// contain nothing the 1.x interpreter cannot run (DESIGN.md, Platform rules).

using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class BoardDeviceGuardTests
    {
        private static string Dll() => BuildOutput.DeviceAssembly("firmware/NanoMailGateway.Device", "NanoMailGateway.Device");

        [Fact]
        public void BoardAppAssemblyHasNoGenericsMultiDimensionalArraysOrPointers()
        {
            GuardAssert.Clean(Dll());
        }

        [Fact]
        public void BoardAppAssemblyIsReallyScannedAndBuiltAgainstTheBoardLibraries()
        {
            // Guards the guard: an empty or wrong file would pass the test above.
            using var stream = System.IO.File.OpenRead(Dll());
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            string[] types = md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToArray();
            Assert.Contains("NanoSocketNetwork", types);
            Assert.Contains("NanoFileStore", types);
            Assert.Contains("NanoTlsProvider", types);
            Assert.Contains("BufferPool", types);
            string[] refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
            Assert.Contains("mscorlib", refs);
            Assert.Contains("System.Net", refs);
            Assert.Contains("System.IO.FileSystem", refs);
            Assert.Contains("nanoFramework.Runtime.Native", refs);
            Assert.Contains("System.Device.Wifi", refs);
            // Nothing from .NET proper may sneak in.
            Assert.DoesNotContain("System.Runtime", refs);
            Assert.DoesNotContain("netstandard", refs);
        }
    }
}
