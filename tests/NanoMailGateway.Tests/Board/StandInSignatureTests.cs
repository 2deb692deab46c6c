// The stand-ins in tools/NanoFrameworkStandIns let the board app compile here against the
// nanoFramework packages that are not on this project's feed. They are only worth that if
// every member they declare exists in the real package with the same signature, so that a
// call that compiles here compiles on the board. This test reads each stand-in assembly
// (MetadataLoadContext over nanoFramework's mscorlib) and compares each public or protected
// member, and each enum value, with a list written down from the real packages' sources at
// their release tags: System.Net 1.11.54, System.IO.FileSystem 1.1.93, System.IO.Streams
// 1.1.96, System.Device.Wifi 1.5.147, System.Threading 1.1.52, Runtime.Native 1.7.11 (the
// versions of firmware/NanoMailGateway/packages.config). A member added to a stand-in needs
// its line here, read from the package's source at that tag.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using NanoMailGateway.Tests.Guard;
using Xunit;

namespace NanoMailGateway.Tests.Board
{
    public sealed class StandInSignatureTests
    {
        /// <summary>Stand-in project folder (under tools/NanoFrameworkStandIns) and its assembly name.</summary>
        private static readonly string[] Names =
        {
            "System.Net", "System.IO.FileSystem", "System.IO.Streams", "System.Device.Wifi", "System.Threading", "nanoFramework.Runtime.Native",
        };

        public static IEnumerable<object[]> StandIns() => Names.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(StandIns))]
        public void EveryStandInMemberIsARealMemberWithItsRealSignature(string assembly)
        {
            string[] real = RealMembers.Lines;
            string[] declared = Declared(assembly);
            Assert.NotEmpty(declared);
            string[] unknown = declared.Where(d => Array.IndexOf(real, d) < 0).ToArray();
            Assert.True(unknown.Length == 0, assembly + " declares what the real package does not have (or not so):\n  " + string.Join("\n  ", unknown));
        }

        [Fact]
        public void TheWrittenDownListHasNoLineThatNoStandInDeclares()
        {
            // Keeps the list honest: a line left behind after a stand-in member went away.
            var all = new HashSet<string>(Names.SelectMany(Declared));
            string[] stale = RealMembers.Lines.Where(l => !all.Contains(l)).ToArray();
            Assert.True(stale.Length == 0, "listed but declared by no stand-in:\n  " + string.Join("\n  ", stale));
        }

        /// <summary>The public and protected members of the stand-in's types, one line each.</summary>
        internal static string[] Declared(string assembly)
        {
            string path = StandIn(assembly);
            var paths = new List<string> { BuildOutput.NanoMscorlib() };
            paths.AddRange(Names.Select(StandIn));
            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "mscorlib");
            Assembly a = context.LoadFromAssemblyPath(path);
            var lines = new List<string>();
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (Type t in a.GetExportedTypes())
            {
                string type = t.FullName!;
                lines.Add(type + " : " + Kind(t));
                if (t.IsEnum)
                {
                    foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
                    {
                        lines.Add(type + "." + f.Name + " = " + Convert.ToInt64(f.GetRawConstantValue()));
                    }
                    continue;
                }
                foreach (ConstructorInfo c in t.GetConstructors(all).Where(Visible))
                {
                    lines.Add(type + "..ctor(" + Parameters(c) + ")");
                }
                foreach (MethodInfo m in t.GetMethods(all).Where(m => Visible(m) && !m.IsSpecialName))
                {
                    lines.Add(type + "." + (m.IsStatic ? "static " : "") + m.ReturnType.FullName + " " + m.Name + "(" + Parameters(m) + ")");
                }
                foreach (PropertyInfo p in t.GetProperties(all))
                {
                    MethodInfo? get = p.GetMethod, set = p.SetMethod;
                    bool g = get != null && Visible(get), s = set != null && Visible(set);
                    if (!g && !s) continue;
                    bool isStatic = (get ?? set)!.IsStatic;
                    lines.Add(type + "." + (isStatic ? "static " : "") + p.PropertyType.FullName + " " + p.Name + " {" + (g ? " get;" : "") + (s ? " set;" : "") + " }");
                }
                foreach (FieldInfo f in t.GetFields(all).Where(f => f.IsPublic || f.IsFamily))
                {
                    lines.Add(type + "." + (f.IsStatic ? "static " : "") + (f.IsInitOnly ? "readonly " : "") + f.FieldType.FullName + " " + f.Name);
                }
            }
            return lines.ToArray();
        }

        private static string StandIn(string name) => BuildOutput.DeviceAssembly("tools/NanoFrameworkStandIns/" + name, name);

        private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

        private static string Kind(Type t)
        {
            if (t.IsEnum) return "enum";
            if (t.IsValueType) return "struct";
            if (t.IsInterface) return "interface";
            string kind = t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";
            return t.BaseType == null || t.BaseType.FullName == "System.Object" ? kind : kind + " : " + t.BaseType.FullName;
        }

        private static string Parameters(MethodBase m) =>
            string.Join(", ", m.GetParameters().Select(p => p.ParameterType.FullName + (p.HasDefaultValue ? " = " + (p.RawDefaultValue ?? "null") : "")));
    }

    /// <summary>The real members, as read from the packages' sources (versions in the file header).</summary>
    internal static class RealMembers
    {
        public static readonly string[] Lines =
        {
            "nanoFramework.Networking.NetworkHelperStatus : enum",
            "nanoFramework.Networking.NetworkHelperStatus.None = 0",
            "nanoFramework.Networking.NetworkHelperStatus.Started = 1",
            "nanoFramework.Networking.NetworkHelperStatus.NetworkIsReady = 2",
            "nanoFramework.Networking.NetworkHelperStatus.FailedNoNetworkInterface = 3",
            "nanoFramework.Networking.NetworkHelperStatus.TokenExpiredWaitingIPAddress = 4",
            "nanoFramework.Networking.NetworkHelperStatus.TokenExpiredWaitingDateTime = 5",
            "nanoFramework.Networking.NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning = 6",
            "nanoFramework.Networking.NetworkHelperStatus.ExceptionOccurred = 7",
            "nanoFramework.Networking.NetworkHelperStatus.Reconnecting = 8",
            "System.Security.Cryptography.X509Certificates.X509Certificate : class",
            "System.Security.Cryptography.X509Certificates.X509Certificate..ctor(System.Byte[])",
            "System.Security.Cryptography.X509Certificates.X509Certificate2 : class : System.Security.Cryptography.X509Certificates.X509Certificate",
            "System.Security.Cryptography.X509Certificates.X509Certificate2..ctor(System.Byte[], System.String, System.String)",
            "System.Net.EndPoint : abstract class",
            "System.Net.EndPoint..ctor()",
            "System.Net.IPAddress : class",
            "System.Net.IPAddress..ctor(System.Byte[])",
            "System.Net.IPAddress.static System.Net.IPAddress Parse(System.String)",
            "System.Net.IPAddress.System.Byte[] GetAddressBytes()",
            "System.Net.IPAddress.System.String ToString()",
            "System.Net.IPAddress.static readonly System.Net.IPAddress Any",
            "System.Net.IPAddress.static readonly System.Net.IPAddress Loopback",
            "System.Net.IPEndPoint : class : System.Net.EndPoint",
            "System.Net.IPEndPoint..ctor(System.Net.IPAddress, System.Int32)",
            "System.Net.IPEndPoint.System.Net.IPAddress Address { get; }",
            "System.Net.IPEndPoint.System.Int32 Port { get; }",
            "System.Net.NetworkInformation.NetworkInterfaceType : enum",
            "System.Net.NetworkInformation.NetworkInterfaceType.Unknown = 1",
            "System.Net.NetworkInformation.NetworkInterfaceType.Ethernet = 6",
            "System.Net.NetworkInformation.NetworkInterfaceType.Wireless80211 = 71",
            "System.Net.NetworkInformation.NetworkInterface : class",
            "System.Net.NetworkInformation.NetworkInterface..ctor(System.Int32)",
            "System.Net.NetworkInformation.NetworkInterface.static System.Net.NetworkInformation.NetworkInterface[] GetAllNetworkInterfaces()",
            "System.Net.NetworkInformation.NetworkInterface.System.String IPv4Address { get; }",
            "System.Net.NetworkInformation.NetworkInterface.System.String[] IPv4DnsAddresses { get; }",
            "System.Net.NetworkInformation.NetworkInterface.System.Net.NetworkInformation.NetworkInterfaceType NetworkInterfaceType { get; }",
            "System.Net.Security.SslProtocols : enum",
            "System.Net.Security.SslProtocols.None = 0",
            "System.Net.Security.SslProtocols.Tls12 = 3072",
            "System.Net.Security.SslProtocols.Tls13 = 12288",
            "System.Net.Security.SslVerification : enum",
            "System.Net.Security.SslVerification.NoVerification = 1",
            "System.Net.Security.SslVerification.VerifyPeer = 2",
            "System.Net.Security.SslVerification.CertificateRequired = 4",
            "System.Net.Security.SslVerification.VerifyClientOnce = 8",
            "System.Net.Security.SslStream : class : System.Net.Sockets.NetworkStream",
            "System.Net.Security.SslStream..ctor(System.Net.Sockets.Socket)",
            "System.Net.Security.SslStream.System.Void AuthenticateAsClient(System.String, System.Security.Cryptography.X509Certificates.X509Certificate, System.Security.Cryptography.X509Certificates.X509Certificate, System.Net.Security.SslProtocols)",
            "System.Net.Security.SslStream.System.Void AuthenticateAsServer(System.Security.Cryptography.X509Certificates.X509Certificate, System.Boolean, System.Net.Security.SslProtocols)",
            "System.Net.Security.SslStream.System.Net.Security.SslVerification SslVerification { get; set; }",
            "System.Net.Sockets.AddressFamily : enum",
            "System.Net.Sockets.AddressFamily.Unknown = -1",
            "System.Net.Sockets.AddressFamily.Unspecified = 0",
            "System.Net.Sockets.AddressFamily.InterNetwork = 2",
            "System.Net.Sockets.AddressFamily.InterNetworkV6 = 23",
            "System.Net.Sockets.SocketType : enum",
            "System.Net.Sockets.SocketType.Stream = 1",
            "System.Net.Sockets.SocketType.Dgram = 2",
            "System.Net.Sockets.SocketType.Raw = 3",
            "System.Net.Sockets.ProtocolType : enum",
            "System.Net.Sockets.ProtocolType.IP = 0",
            "System.Net.Sockets.ProtocolType.Tcp = 6",
            "System.Net.Sockets.ProtocolType.Udp = 17",
            "System.Net.Sockets.SocketFlags : enum",
            "System.Net.Sockets.SocketFlags.None = 0",
            "System.Net.Sockets.SocketFlags.OutOfBand = 1",
            "System.Net.Sockets.SocketFlags.Peek = 2",
            "System.Net.Sockets.SelectMode : enum",
            "System.Net.Sockets.SelectMode.SelectRead = 0",
            "System.Net.Sockets.SelectMode.SelectWrite = 1",
            "System.Net.Sockets.SelectMode.SelectError = 2",
            "System.Net.Sockets.SocketOptionLevel : enum",
            "System.Net.Sockets.SocketOptionLevel.IP = 0",
            "System.Net.Sockets.SocketOptionLevel.Tcp = 6",
            "System.Net.Sockets.SocketOptionLevel.Udp = 17",
            "System.Net.Sockets.SocketOptionLevel.Socket = 65535",
            "System.Net.Sockets.SocketOptionName : enum",
            "System.Net.Sockets.SocketOptionName.NoDelay = 1",
            "System.Net.Sockets.SocketOptionName.ReuseAddress = 4",
            "System.Net.Sockets.SocketOptionName.KeepAlive = 8",
            "System.Net.Sockets.SocketOptionName.SendTimeout = 4101",
            "System.Net.Sockets.SocketOptionName.ReceiveTimeout = 4102",
            "System.Net.Sockets.SocketError : enum",
            "System.Net.Sockets.SocketError.SocketError = -1",
            "System.Net.Sockets.SocketError.Success = 0",
            "System.Net.Sockets.SocketError.ConnectionReset = 10054",
            "System.Net.Sockets.SocketError.TimedOut = 10060",
            "System.Net.Sockets.SocketError.ConnectionRefused = 10061",
            "System.Net.Sockets.SocketException : class : System.Exception",
            "System.Net.Sockets.SocketException..ctor(System.Net.Sockets.SocketError)",
            "System.Net.Sockets.SocketException.System.Int32 ErrorCode { get; }",
            "System.Net.Sockets.Socket : class",
            "System.Net.Sockets.Socket..ctor(System.Net.Sockets.AddressFamily, System.Net.Sockets.SocketType, System.Net.Sockets.ProtocolType)",
            "System.Net.Sockets.Socket.System.Void Bind(System.Net.EndPoint)",
            "System.Net.Sockets.Socket.System.Void Listen(System.Int32)",
            "System.Net.Sockets.Socket.System.Net.Sockets.Socket Accept()",
            "System.Net.Sockets.Socket.System.Void Connect(System.Net.EndPoint)",
            "System.Net.Sockets.Socket.System.Void Close()",
            "System.Net.Sockets.Socket.System.Int32 Send(System.Byte[], System.Int32, System.Int32, System.Net.Sockets.SocketFlags)",
            "System.Net.Sockets.Socket.System.Int32 Receive(System.Byte[], System.Int32, System.Int32, System.Net.Sockets.SocketFlags)",
            "System.Net.Sockets.Socket.System.Int32 SendTo(System.Byte[], System.Int32, System.Int32, System.Net.Sockets.SocketFlags, System.Net.EndPoint)",
            "System.Net.Sockets.Socket.System.Int32 ReceiveFrom(System.Byte[], System.Int32, System.Int32, System.Net.Sockets.SocketFlags, System.Net.EndPoint&)",
            "System.Net.Sockets.Socket.System.Boolean Poll(System.Int32, System.Net.Sockets.SelectMode)",
            "System.Net.Sockets.Socket.System.Void SetSocketOption(System.Net.Sockets.SocketOptionLevel, System.Net.Sockets.SocketOptionName, System.Boolean)",
            "System.Net.Sockets.Socket.System.Net.EndPoint LocalEndPoint { get; }",
            "System.Net.Sockets.Socket.System.Net.EndPoint RemoteEndPoint { get; }",
            "System.Net.Sockets.Socket.System.Int32 ReceiveTimeout { get; set; }",
            "System.Net.Sockets.Socket.System.Int32 SendTimeout { get; set; }",
            "System.Net.Sockets.NetworkStream : class : System.IO.Stream",
            "System.Net.Sockets.NetworkStream..ctor(System.Net.Sockets.Socket, System.Boolean)",
            "System.Net.Sockets.NetworkStream.System.Void Flush()",
            "System.Net.Sockets.NetworkStream.System.Int32 Read(System.SpanByte)",
            "System.Net.Sockets.NetworkStream.System.Int32 Read(System.Byte[], System.Int32, System.Int32)",
            "System.Net.Sockets.NetworkStream.System.Int64 Seek(System.Int64, System.IO.SeekOrigin)",
            "System.Net.Sockets.NetworkStream.System.Void SetLength(System.Int64)",
            "System.Net.Sockets.NetworkStream.System.Void Write(System.Byte[], System.Int32, System.Int32)",
            "System.Net.Sockets.NetworkStream.System.Boolean CanRead { get; }",
            "System.Net.Sockets.NetworkStream.System.Boolean CanSeek { get; }",
            "System.Net.Sockets.NetworkStream.System.Boolean CanWrite { get; }",
            "System.Net.Sockets.NetworkStream.System.Int64 Length { get; }",
            "System.Net.Sockets.NetworkStream.System.Int64 Position { get; set; }",
            "System.IO.FileMode : enum",
            "System.IO.FileMode.CreateNew = 1",
            "System.IO.FileMode.Create = 2",
            "System.IO.FileMode.Open = 3",
            "System.IO.FileMode.OpenOrCreate = 4",
            "System.IO.FileMode.Truncate = 5",
            "System.IO.FileMode.Append = 6",
            "System.IO.FileAccess : enum",
            "System.IO.FileAccess.Read = 1",
            "System.IO.FileAccess.Write = 2",
            "System.IO.FileAccess.ReadWrite = 3",
            "System.IO.FileShare : enum",
            "System.IO.FileShare.None = 0",
            "System.IO.FileShare.Read = 1",
            "System.IO.FileShare.Write = 2",
            "System.IO.FileShare.ReadWrite = 3",
            "System.IO.FileStream : class : System.IO.Stream",
            "System.IO.FileStream..ctor(System.String, System.IO.FileMode)",
            "System.IO.FileStream..ctor(System.String, System.IO.FileMode, System.IO.FileAccess)",
            "System.IO.FileStream..ctor(System.String, System.IO.FileMode, System.IO.FileAccess, System.IO.FileShare)",
            "System.IO.FileStream..ctor(System.String, System.IO.FileMode, System.IO.FileAccess, System.IO.FileShare, System.Int32)",
            "System.IO.FileStream.System.Void Flush()",
            "System.IO.FileStream.System.Int32 Read(System.SpanByte)",
            "System.IO.FileStream.System.Int32 Read(System.Byte[], System.Int32, System.Int32)",
            "System.IO.FileStream.System.Int64 Seek(System.Int64, System.IO.SeekOrigin)",
            "System.IO.FileStream.System.Void SetLength(System.Int64)",
            "System.IO.FileStream.System.Void Write(System.Byte[], System.Int32, System.Int32)",
            "System.IO.FileStream.System.Boolean CanRead { get; }",
            "System.IO.FileStream.System.Boolean CanSeek { get; }",
            "System.IO.FileStream.System.Boolean CanWrite { get; }",
            "System.IO.FileStream.System.Int64 Length { get; }",
            "System.IO.FileStream.System.Int64 Position { get; set; }",
            "System.IO.File : static class",
            "System.IO.File.static System.Boolean Exists(System.String)",
            "System.IO.File.static System.Void Delete(System.String)",
            "System.IO.File.static System.Byte[] ReadAllBytes(System.String)",
            "System.IO.Directory : static class",
            "System.IO.Directory.static System.IO.DirectoryInfo CreateDirectory(System.String)",
            "System.IO.Directory.static System.Boolean Exists(System.String)",
            "System.IO.Directory.static System.String[] GetFiles(System.String)",
            "System.IO.FileSystemInfo : abstract class : System.MarshalByRefObject",
            "System.IO.FileSystemInfo..ctor()",
            "System.IO.DirectoryInfo : sealed class : System.IO.FileSystemInfo",
            "System.IO.DirectoryInfo..ctor(System.String)",
            "System.IO.SeekOrigin : enum",
            "System.IO.SeekOrigin.Begin = 0",
            "System.IO.SeekOrigin.Current = 1",
            "System.IO.SeekOrigin.End = 2",
            "System.IO.Stream : abstract class : System.MarshalByRefObject",
            "System.IO.Stream..ctor()",
            "System.IO.Stream.System.Void Flush()",
            "System.IO.Stream.System.Int32 Read(System.SpanByte)",
            "System.IO.Stream.System.Int32 Read(System.Byte[], System.Int32, System.Int32)",
            "System.IO.Stream.System.Int64 Seek(System.Int64, System.IO.SeekOrigin)",
            "System.IO.Stream.System.Void SetLength(System.Int64)",
            "System.IO.Stream.System.Void Write(System.Byte[], System.Int32, System.Int32)",
            "System.IO.Stream.System.Void Close()",
            "System.IO.Stream.System.Void Dispose()",
            "System.IO.Stream.System.Void Dispose(System.Boolean)",
            "System.IO.Stream.System.Boolean CanRead { get; }",
            "System.IO.Stream.System.Boolean CanSeek { get; }",
            "System.IO.Stream.System.Boolean CanWrite { get; }",
            "System.IO.Stream.System.Int64 Length { get; }",
            "System.IO.Stream.System.Int64 Position { get; set; }",
            "nanoFramework.Networking.WifiNetworkHelper : static class",
            "nanoFramework.Networking.WifiNetworkHelper.static System.Boolean ConnectDhcp(System.String, System.String, System.Device.Wifi.WifiReconnectionKind = 0, System.Boolean = False, System.Int32 = 0, System.Threading.CancellationToken = null)",
            "nanoFramework.Networking.WifiNetworkHelper.static System.Boolean Reconnect(System.Boolean = False, System.Int32 = 0, System.Threading.CancellationToken = null)",
            "nanoFramework.Networking.WifiNetworkHelper.static nanoFramework.Networking.NetworkHelperStatus Status { get; }",
            "nanoFramework.Networking.WifiNetworkHelper.static System.Exception HelperException { get; }",
            "System.Device.Wifi.WifiReconnectionKind : enum",
            "System.Device.Wifi.WifiReconnectionKind.Automatic = 0",
            "System.Device.Wifi.WifiReconnectionKind.Manual = 1",
            "System.Threading.CancellationToken : struct",
            "System.Threading.CancellationToken.System.Boolean IsCancellationRequested { get; }",
            "System.Threading.CancellationTokenSource : class",
            "System.Threading.CancellationTokenSource..ctor(System.Int32)",
            "System.Threading.CancellationTokenSource.System.Void Dispose()",
            "System.Threading.CancellationTokenSource.System.Threading.CancellationToken Token { get; }",
            "System.Environment : static class",
            "System.Environment.static System.Int64 TickCount64 { get; }",
            "nanoFramework.Runtime.Native.GC : static class",
            "nanoFramework.Runtime.Native.GC.static System.UInt32 Run(System.Boolean)",
            "nanoFramework.Runtime.Native.RebootOption : enum",
            "nanoFramework.Runtime.Native.RebootOption.NormalReboot = 0",
            "nanoFramework.Runtime.Native.RebootOption.EnterNanoBooter = 1",
            "nanoFramework.Runtime.Native.RebootOption.ClrOnly = 2",
            "nanoFramework.Runtime.Native.RebootOption.EnterProprietaryBooter = 8",
            "nanoFramework.Runtime.Native.Power : class",
            "nanoFramework.Runtime.Native.Power..ctor()",
            "nanoFramework.Runtime.Native.Power.static System.Void RebootDevice(nanoFramework.Runtime.Native.RebootOption = 0)",
            "nanoFramework.Runtime.Native.Power.static System.Void RebootDevice(System.Int32, nanoFramework.Runtime.Native.RebootOption = 0)",
        };
    }
}
