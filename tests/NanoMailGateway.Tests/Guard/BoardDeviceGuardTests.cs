// The runtime guard on the board app: Program and the adapters as compiled against
// nanoFramework's mscorlib, the package stand-ins and the Core libraries
// (firmware/NanoMailGateway.Device) must contain nothing the 1.x interpreter cannot run
// (ARCHITECTURE.md, "Device rules").

using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class BoardDeviceGuardTests
    {
        private static string Dll() => BuildOutput.BoardApp();

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
            Assert.DoesNotContain("BufferPool", types); // Core is referenced, not compiled in
            string[] refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
            Assert.Contains("mscorlib", refs);
            Assert.Contains("System.Net", refs);
            Assert.Contains("System.IO.FileSystem", refs);
            Assert.Contains("nanoFramework.Runtime.Native", refs);
            Assert.Contains("System.Device.Wifi", refs);
            Assert.Contains("NanoMailGateway.Core.Gateway", refs);
            Assert.Contains("NanoMailGateway.Core.Platform", refs);
            Assert.DoesNotContain("NanoMailGateway.Core.Simulation", refs); // test doubles stay off the gateway image
            // Nothing from .NET proper may sneak in.
            Assert.DoesNotContain("System.Runtime", refs);
            Assert.DoesNotContain("netstandard", refs);
        }
    }
}
