// COMPILE-ONLY STAND-IN for nanoFramework.System.Net 1.11.54 (assembly System.Net).
// Declares the members the board app uses, with the real package's signatures
// (ARCHITECTURE.md, Platform facts; the package's own public sources for Socket,
// SocketException, IPAddress, IPEndPoint, NetworkInterface and NetworkHelperStatus);
// every body throws. Note what is NOT here because
// nanoFramework lacks it: Socket.Blocking, Shutdown, Dispose, every *Async/Begin/End
// method, SocketException.SocketErrorCode, IPAddress.TryParse. Never deployed.

using System;

namespace System.Net
{
    /// <summary>Stand-in: System.Net.EndPoint.</summary>
    public abstract class EndPoint
    {
    }

    /// <summary>Stand-in: System.Net.IPAddress.</summary>
    public class IPAddress
    {
        public static readonly IPAddress Any;

        public static readonly IPAddress Loopback;

        public IPAddress(byte[] address) => throw new NotImplementedException();

        public static IPAddress Parse(string ipString) => throw new NotImplementedException();

        public byte[] GetAddressBytes() => throw new NotImplementedException();

        public override string ToString() => throw new NotImplementedException();
    }

    /// <summary>Stand-in: System.Net.IPEndPoint.</summary>
    public class IPEndPoint : EndPoint
    {
        public IPEndPoint(IPAddress address, int port) => throw new NotImplementedException();

        public IPAddress Address => throw new NotImplementedException();

        public int Port => throw new NotImplementedException();
    }
}

namespace System.Net.Sockets
{
    public enum AddressFamily
    {
        Unknown = -1,
        Unspecified = 0,
        InterNetwork = 2,
        InterNetworkV6 = 23,
    }

    public enum SocketType
    {
        Stream = 1,
        Dgram = 2,
        Raw = 3,
    }

    public enum ProtocolType
    {
        IP = 0,
        Tcp = 6,
        Udp = 17,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0x0000,
        OutOfBand = 0x0001,
        Peek = 0x0002,
    }

    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2,
    }

    public enum SocketOptionLevel
    {
        IP = 0,
        Tcp = 6,
        Udp = 17,
        Socket = 0xffff,
    }

    public enum SocketOptionName
    {
        NoDelay = 1,
        ReuseAddress = 0x0004,
        KeepAlive = 0x0008,
        SendTimeout = 0x1005,
        ReceiveTimeout = 0x1006,
    }

    /// <summary>Stand-in: System.Net.Sockets.SocketError (the values the board app may meet; WSA numbering).</summary>
    public enum SocketError
    {
        SocketError = -1,
        Success = 0,
        ConnectionReset = 10054,
        TimedOut = 10060,
        ConnectionRefused = 10061,
    }

    /// <summary>Stand-in: System.Net.Sockets.SocketException (ErrorCode only, WSA values).</summary>
    public class SocketException : Exception
    {
        public SocketException(SocketError errorCode) => throw new NotImplementedException();

        public int ErrorCode => throw new NotImplementedException();
    }

    /// <summary>Stand-in: System.Net.Sockets.Socket (members used by the board app).</summary>
    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType) => throw new NotImplementedException();

        public EndPoint LocalEndPoint => throw new NotImplementedException();

        public EndPoint RemoteEndPoint => throw new NotImplementedException();

        public int ReceiveTimeout
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public int SendTimeout
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public void Bind(EndPoint localEP) => throw new NotImplementedException();

        public void Listen(int backlog) => throw new NotImplementedException();

        public Socket Accept() => throw new NotImplementedException();

        public void Connect(EndPoint remoteEP) => throw new NotImplementedException();

        public void Close() => throw new NotImplementedException();

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw new NotImplementedException();

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw new NotImplementedException();

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP) => throw new NotImplementedException();

        public int ReceiveFrom(byte[] buffer, int offset, int size, SocketFlags socketFlags, ref EndPoint remoteEP) => throw new NotImplementedException();

        public bool Poll(int microSeconds, SelectMode mode) => throw new NotImplementedException();

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue) => throw new NotImplementedException();

        void IDisposable.Dispose() => throw new NotImplementedException();
    }

    /// <summary>Stand-in: System.Net.Sockets.NetworkStream (base of SslStream).</summary>
    public class NetworkStream : System.IO.Stream
    {
        public NetworkStream(Socket socket, bool ownsSocket) => throw new NotImplementedException();

        public override bool CanRead => throw new NotImplementedException();

        public override bool CanSeek => throw new NotImplementedException();

        public override bool CanWrite => throw new NotImplementedException();

        public override long Length => throw new NotImplementedException();

        public override long Position
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public override void Flush() => throw new NotImplementedException();

        public override int Read(SpanByte buffer) => throw new NotImplementedException();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotImplementedException();

        public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotImplementedException();

        public override void SetLength(long value) => throw new NotImplementedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotImplementedException();
    }
}

namespace System.Net.Security
{
    /// <summary>Stand-in: System.Net.Security.SslProtocols (1.2 is the minimum on the board).</summary>
    [Flags]
    public enum SslProtocols
    {
        None = 0x00,
        Tls12 = 3072,
        Tls13 = 12288,
    }

    /// <summary>Stand-in: System.Net.Security.SslVerification.</summary>
    public enum SslVerification
    {
        NoVerification = 1,
        VerifyPeer = 2,
        CertificateRequired = 4,
        VerifyClientOnce = 8,
    }

    /// <summary>Stand-in: System.Net.Security.SslStream (SslStream(Socket) is the only constructor).</summary>
    public class SslStream : System.Net.Sockets.NetworkStream
    {
        public SslStream(System.Net.Sockets.Socket socket) : base(socket, false) => throw new NotImplementedException();

        public SslVerification SslVerification
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public void AuthenticateAsClient(
            string targetHost,
            System.Security.Cryptography.X509Certificates.X509Certificate clientCertificate,
            System.Security.Cryptography.X509Certificates.X509Certificate ca,
            SslProtocols enabledSslProtocols) => throw new NotImplementedException();

        public void AuthenticateAsServer(
            System.Security.Cryptography.X509Certificates.X509Certificate serverCertificate,
            bool clientCertificateRequired,
            SslProtocols enabledSslProtocols) => throw new NotImplementedException();
    }
}

namespace System.Security.Cryptography.X509Certificates
{
    /// <summary>Stand-in: X509Certificate (PEM or DER bytes).</summary>
    public class X509Certificate
    {
        public X509Certificate(byte[] certificate) => throw new NotImplementedException();
    }

    /// <summary>Stand-in: X509Certificate2 with a PEM private key (nanoFramework-only constructor).</summary>
    public class X509Certificate2 : X509Certificate
    {
        public X509Certificate2(byte[] rawData, string key, string password) : base(rawData) => throw new NotImplementedException();
    }
}

namespace System.Net.NetworkInformation
{
    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
    }

    /// <summary>Stand-in: System.Net.NetworkInformation.NetworkInterface (members used by the board app).</summary>
    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex) => throw new NotImplementedException();

        public static NetworkInterface[] GetAllNetworkInterfaces() => throw new NotImplementedException();

        public string IPv4Address => throw new NotImplementedException();

        public string[] IPv4DnsAddresses => throw new NotImplementedException();

        public NetworkInterfaceType NetworkInterfaceType => throw new NotImplementedException();
    }
}

namespace nanoFramework.Networking
{
    /// <summary>Stand-in: nanoFramework.Networking.NetworkHelperStatus (lives in System.Net).</summary>
    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
        Reconnecting,
    }
}
