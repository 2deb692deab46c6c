// Assembly identity for the board build (NanoMailGateway.Core.Admin.nfproj). The csproj beside it leaves
// this file out: its net10.0 build generates its own, its device flavour needs none.

using System.Reflection;

[assembly: AssemblyTitle("NanoMailGateway.Core.Admin")]
[assembly: AssemblyProduct("NanoMailGateway")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
