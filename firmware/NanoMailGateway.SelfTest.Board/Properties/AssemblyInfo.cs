// Assembly identity of the self-test as deployed to a board (the nanoFramework build needs
// explicit attributes; the compile check in ../NanoMailGateway.SelfTest.Device compiles
// this file too, the net10.0 build generates its own).

using System.Reflection;

[assembly: AssemblyTitle("NanoMailGateway.SelfTest")]
[assembly: AssemblyDescription("On-device self-test of NanoMailGateway's Core: in-memory scenarios, verdict on the console")]
[assembly: AssemblyProduct("NanoMailGateway")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
