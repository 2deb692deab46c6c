// Picks a free TCP or UDP port on loopback for a peer that needs a fixed port number.

using System.Net;
using System.Net.Sockets;

namespace NanoMailGateway.Tests.Support
{
    public static class FreePort
    {
        public static int Tcp(string address = "127.0.0.1")
        {
            var l = new TcpListener(IPAddress.Parse(address), 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public static int Udp(string address = "127.0.0.1")
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            return ((IPEndPoint)s.LocalEndPoint!).Port;
        }
    }
}
