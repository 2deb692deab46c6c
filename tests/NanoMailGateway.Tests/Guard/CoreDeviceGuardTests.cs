// The runtime guard on the real thing: Core as compiled against nanoFramework's mscorlib
// must contain nothing the 1.x interpreter cannot run (DESIGN.md, Platform rules).

using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class CoreDeviceGuardTests
    {
        [Fact]
        public void CoreDeviceAssemblyHasNoGenericsMultiDimensionalArraysOrPointers()
        {
            GuardAssert.Clean(BuildOutput.DeviceAssembly("firmware/NanoMailGateway.Core.Device", "NanoMailGateway.Core.Device"));
        }

        [Fact]
        public void CoreDeviceAssemblyIsReallyScanned()
        {
            // Guards the guard: an empty or wrong file would pass the test above.
            string dll = BuildOutput.DeviceAssembly("firmware/NanoMailGateway.Core.Device", "NanoMailGateway.Core.Device");
            using var stream = System.IO.File.OpenRead(dll);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            Assert.Contains(md.TypeDefinitions, h => md.GetString(md.GetTypeDefinition(h).Name) == "BufferPool");
            Assert.Contains(md.AssemblyReferences, h => md.GetString(md.GetAssemblyReference(h).Name) == "mscorlib");
        }
    }
}
