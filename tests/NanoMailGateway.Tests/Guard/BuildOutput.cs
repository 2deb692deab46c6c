// Finds the assemblies the runtime guard reads: the device-surface builds that the test
// project builds first (ProjectReference with ReferenceOutputAssembly=false). A missing
// file is a failure, never a skip: a guard that silently reads nothing guards nothing.

using System;
using System.IO;
using System.Reflection;

namespace NanoMailGateway.Tests.Guard
{
    public static class BuildOutput
    {
        /// <summary>The folder holding NanoMailGateway.sln, found by walking up from the test's base directory.</summary>
        public static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NanoMailGateway.sln"))) return dir.FullName;
                dir = dir.Parent;
            }
            throw new InvalidOperationException("NanoMailGateway.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>The build configuration of the running tests ("Debug", "Release").</summary>
        public static string Configuration()
        {
            var attr = typeof(BuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>();
            if (attr != null && attr.Configuration.Length > 0) return attr.Configuration;
            // bin/<Configuration>/net10.0/
            return new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        }

        /// <summary>The Core libraries, one device assembly each (firmware/NAME/NAME.csproj), in dependency order.</summary>
        public static readonly string[] CoreLibraries =
        {
            "NanoMailGateway.Core.Platform",
            "NanoMailGateway.Core.Config",
            "NanoMailGateway.Core.Queue",
            "NanoMailGateway.Core.Dns",
            "NanoMailGateway.Core.Smtp",
            "NanoMailGateway.Core.Pop3",
            "NanoMailGateway.Core.Delivery",
            "NanoMailGateway.Core.Gateway",
            "NanoMailGateway.Core.Simulation",
        };

        /// <summary>Path of the device flavour of one Core library.</summary>
        public static string CoreLibrary(string name) => DeviceAssembly("firmware/" + name, name);

        /// <summary>The board app as the board runs it (firmware/NanoMailGateway.Device builds it).</summary>
        public static string BoardApp() => DeviceAssembly("firmware/NanoMailGateway.Device", "NanoMailGateway");

        /// <summary>The self-test as the board runs it (firmware/NanoMailGateway.SelfTest.Device builds it).</summary>
        public static string SelfTestApp() => DeviceAssembly("firmware/NanoMailGateway.SelfTest.Device", "NanoMailGateway.SelfTest");

        /// <summary>Every assembly a board runs: the Core libraries, the board app and the self-test.</summary>
        public static string[] AllDeviceAssemblies()
        {
            var all = new string[CoreLibraries.Length + 2];
            for (int i = 0; i < CoreLibraries.Length; i++) all[i] = CoreLibrary(CoreLibraries[i]);
            all[CoreLibraries.Length] = BoardApp();
            all[CoreLibraries.Length + 1] = SelfTestApp();
            return all;
        }

        /// <summary>
        /// Path of a netstandard2.0 device-surface assembly built from
        /// <paramref name="projectDir"/> (relative to the repository root), in the tests' configuration.
        /// </summary>
        /// <exception cref="FileNotFoundException">it was not built.</exception>
        public static string DeviceAssembly(string projectDir, string assemblyName)
        {
            string path = Path.Combine(RepoRoot(), projectDir, "bin", Configuration(), "netstandard2.0", assemblyName + ".dll");
            if (!File.Exists(path)) throw new FileNotFoundException("device-surface assembly not built: " + path + " (run dotnet build at the repository root)", path);
            return path;
        }
    }
}
