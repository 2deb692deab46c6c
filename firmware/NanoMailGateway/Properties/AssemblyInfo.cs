// Assembly identity of the board app (the nanoFramework build needs explicit attributes;
// the compile check in firmware/NanoMailGateway.Device compiles this file too).

using System.Reflection;

[assembly: AssemblyTitle("NanoMailGateway")]
[assembly: AssemblyDescription("SMTP gateway with a flash queue, MX delivery and POP3 mailboxes for ESP32 boards")]
[assembly: AssemblyProduct("NanoMailGateway")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
