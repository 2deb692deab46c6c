// INetwork on the host's real sockets (IPv4 and IPv6 literals; no name resolution here:
// Core resolves names itself, DESIGN.md).

using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>Real host sockets. Thread-safe.</summary>
    public sealed class HostNetwork : INetwork
    {
        public ITcpListener Listen(string address, int port, int backlog)
        {
            IPAddress ip = ParseAddress(address);
            var s = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                AllowRebindOverTimeWait(s);
                s.Bind(new IPEndPoint(ip, port));
                s.Listen(backlog);
                return new HostTcpListener(s);
            }
            catch (SocketException e)
            {
                s.Close();
                throw new ConnectionException("cannot listen on " + address + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + e.Message, (int)e.SocketErrorCode, e);
            }
        }

        public IConnection Connect(string address, int port, int timeoutMs)
        {
            IPAddress ip = ParseAddress(address);
            var s = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                Task t = s.ConnectAsync(new IPEndPoint(ip, port));
                bool done;
                try
                {
                    done = t.Wait(timeoutMs <= 0 ? -1 : timeoutMs);
                }
                catch (AggregateException ae) when (ae.InnerException is SocketException se)
                {
                    throw new ConnectionException("connect to " + address + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + " failed: " + se.Message, (int)se.SocketErrorCode, se);
                }
                if (!done)
                {
                    throw new ConnectionException("connect to " + address + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + " timed out", ConnectionException.TimedOut);
                }
                return new HostConnection(s);
            }
            catch (ConnectionException)
            {
                s.Close();
                throw;
            }
            catch (SocketException e)
            {
                s.Close();
                throw new ConnectionException("connect failed: " + e.Message, (int)e.SocketErrorCode, e);
            }
        }

        public IUdpSocket OpenUdp(int localPort)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                s.Bind(new IPEndPoint(IPAddress.Any, localPort));
                return new HostUdpSocket(s);
            }
            catch (SocketException e)
            {
                s.Close();
                throw new ConnectionException("cannot bind udp port " + localPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + e.Message, (int)e.SocketErrorCode, e);
            }
        }

        /// <summary>
        /// Restarting the gateway must not wait for TIME_WAIT to pass, but a second gateway
        /// must not share the port either. .NET's ReuseAddress sets SO_REUSEPORT too on
        /// Unix (two listeners then split the connections), so plain SO_REUSEADDR is set
        /// directly; Windows' SO_REUSEADDR would allow hijacking, so it gets the exclusive option.
        /// </summary>
        private static void AllowRebindOverTimeWait(Socket s)
        {
            if (OperatingSystem.IsWindows())
            {
                s.ExclusiveAddressUse = true;
            }
            else if (OperatingSystem.IsLinux())
            {
                s.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            }
            else
            {
                s.SetRawSocketOption(0xFFFF /* SOL_SOCKET */, 4 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            }
        }

        /// <summary>Parses an IP literal; a bad one is a ConnectionException (the caller's address is wrong).</summary>
        internal static IPAddress ParseAddress(string address)
        {
            if (IPAddress.TryParse(address, out IPAddress? ip)) return ip;
            throw new ConnectionException("not an IP address: " + address, 0);
        }
    }
}
