// Assembly identity of the protocol self-test as deployed to a board (the nanoFramework
// build needs explicit attributes; the compile check in
// ../NanoMailGateway.SelfTest.Protocols.Device compiles this file too, the net10.0 build
// generates its own).

using System.Reflection;

[assembly: AssemblyTitle("NanoMailGateway.SelfTest.Protocols")]
[assembly: AssemblyDescription("On-device protocol self-test of NanoMailGateway: IMAP server and admin endpoint on a composed gateway, verdict on the console")]
[assembly: AssemblyProduct("NanoMailGateway")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
