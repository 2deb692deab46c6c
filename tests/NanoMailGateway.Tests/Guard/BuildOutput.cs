// Finds the assemblies the runtime guard and the bytecode budget read: the device-surface
// builds that the test project builds first (ProjectReference with
// ReferenceOutputAssembly=false), and nanoFramework's mscorlib they compile against. A
// missing file is a failure, never a skip: a guard that silently reads nothing guards
// nothing. The budget bench compiles this file too, and asks for Debug and Release paths
// whether or not they exist.

using System;
using System.IO;
using System.Reflection;
using System.Text.Json;

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
            "NanoMailGateway.Core.Imap",
            "NanoMailGateway.Core.Delivery",
            "NanoMailGateway.Core.Gateway",
            "NanoMailGateway.Core.Admin",
            "NanoMailGateway.Core.Simulation",
        };

        /// <summary>Path of the device flavour of one Core library.</summary>
        public static string CoreLibrary(string name) => DeviceAssembly("firmware/" + name, name);

        /// <summary>The board app as the board runs it (firmware/NanoMailGateway.Device builds it).</summary>
        public static string BoardApp() => DeviceAssembly("firmware/NanoMailGateway.Device", "NanoMailGateway");

        /// <summary>The self-test as the board runs it (firmware/NanoMailGateway.SelfTest.Device builds it).</summary>
        public static string SelfTestApp() => DeviceAssembly("firmware/NanoMailGateway.SelfTest.Device", "NanoMailGateway.SelfTest");

        /// <summary>The protocol self-test as the board runs it (firmware/NanoMailGateway.SelfTest.Protocols.Device builds it).</summary>
        public static string ProtocolSelfTestApp() => DeviceAssembly("firmware/NanoMailGateway.SelfTest.Protocols.Device", "NanoMailGateway.SelfTest.Protocols");

        /// <summary>Every assembly a board runs: the Core libraries, the board app and the two self-tests.</summary>
        public static string[] AllDeviceAssemblies()
        {
            string[] all = AllDeviceAssemblies(Configuration());
            foreach (string path in all) RequireBuilt(path);
            return all;
        }

        /// <summary>Names of every assembly a board runs, in the order of <see cref="AllDeviceAssemblies(string)"/>.</summary>
        public static string[] DeviceAssemblyNames()
        {
            var names = new string[CoreLibraries.Length + 3];
            CoreLibraries.CopyTo(names, 0);
            names[CoreLibraries.Length] = "NanoMailGateway";
            names[CoreLibraries.Length + 1] = "NanoMailGateway.SelfTest";
            names[CoreLibraries.Length + 2] = "NanoMailGateway.SelfTest.Protocols";
            return names;
        }

        /// <summary>
        /// Paths of every assembly a board runs as built in <paramref name="configuration"/>,
        /// whether or not they exist (the benchmarks look for Debug and Release alike).
        /// </summary>
        public static string[] AllDeviceAssemblies(string configuration)
        {
            var all = new string[CoreLibraries.Length + 3];
            for (int i = 0; i < CoreLibraries.Length; i++) all[i] = DeviceAssembly("firmware/" + CoreLibraries[i], CoreLibraries[i], configuration);
            all[CoreLibraries.Length] = DeviceAssembly("firmware/NanoMailGateway.Device", "NanoMailGateway", configuration);
            all[CoreLibraries.Length + 1] = DeviceAssembly("firmware/NanoMailGateway.SelfTest.Device", "NanoMailGateway.SelfTest", configuration);
            all[CoreLibraries.Length + 2] = DeviceAssembly("firmware/NanoMailGateway.SelfTest.Protocols.Device", "NanoMailGateway.SelfTest.Protocols", configuration);
            return all;
        }

        /// <summary>
        /// Path of a netstandard2.0 device-surface assembly built from
        /// <paramref name="projectDir"/> (relative to the repository root), in the tests' configuration.
        /// </summary>
        /// <exception cref="FileNotFoundException">it was not built.</exception>
        public static string DeviceAssembly(string projectDir, string assemblyName)
        {
            return RequireBuilt(DeviceAssembly(projectDir, assemblyName, Configuration()));
        }

        /// <summary>Path of a device-surface assembly in <paramref name="configuration"/>, built or not.</summary>
        public static string DeviceAssembly(string projectDir, string assemblyName, string configuration)
        {
            return Path.Combine(RepoRoot(), projectDir, "bin", configuration, "netstandard2.0", assemblyName + ".dll");
        }

        /// <summary>
        /// The mscorlib.dll the device flavours compile against, in the nanoFramework.CoreLibrary
        /// package as restored for firmware/NanoMailGateway.Core.Platform (its project.assets.json
        /// names the package folder and version, so a custom NUGET_PACKAGES is followed).
        /// </summary>
        /// <exception cref="FileNotFoundException">the device flavour was not restored.</exception>
        public static string NanoMscorlib()
        {
            string assets = Path.Combine(RepoRoot(), "firmware", "NanoMailGateway.Core.Platform", "obj", "project.assets.json");
            if (!File.Exists(assets)) throw new FileNotFoundException("not restored: " + assets + " (run dotnet build at the repository root)", assets);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(assets));
            foreach (JsonProperty folder in doc.RootElement.GetProperty("packageFolders").EnumerateObject())
            {
                foreach (JsonProperty library in doc.RootElement.GetProperty("libraries").EnumerateObject())
                {
                    if (!library.Name.StartsWith("nanoFramework.CoreLibrary/", StringComparison.OrdinalIgnoreCase)) continue;
                    string dll = Path.Combine(folder.Name, library.Value.GetProperty("path").GetString()!, "lib", "mscorlib.dll");
                    if (File.Exists(dll)) return dll;
                }
            }
            throw new FileNotFoundException("nanoFramework.CoreLibrary's mscorlib.dll not found through " + assets);
        }

        private static string RequireBuilt(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException("device-surface assembly not built: " + path + " (run dotnet build at the repository root)", path);
            return path;
        }
    }
}
