// INetwork on System.Net.Sockets.Socket, written in the API subset that nanoFramework's
// System.Net and .NET share, so that the board runs these very sources and the host tests
// run them on loopback (tests/NanoMailGateway.Tests/Board/Adapters).
// Connect deadline: nanoFramework's Socket.Connect has no timeout and no non-blocking
// mode (it waits with Poll(-1), ARCHITECTURE.md, Platform facts), so a Timer closes the socket
// when the deadline passes; the blocked Connect then fails and is reported as timed out.
// Left out on purpose: IPv6 (the board's lwIP build is IPv4), name resolution (Core
// resolves MX and A itself), SO_REUSEADDR (the board has one gateway and no TIME_WAIT
// worth waiting for after a reboot). The emulator compiles these sources too and sets
// SO_REUSEADDR through BeforeListenBind (tools/NanoMailGateway.Emulator/Host/HostSocketNetwork.cs):
// the shared SetSocketOption(ReuseAddress) would also set SO_REUSEPORT on .NET/Linux, which
// lets a second gateway listen on the same port.

using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>Sockets of the board (and of the emulator and tests on the host). Thread-safe.</summary>
    public class NanoSocketNetwork : INetwork
    {
        /// <summary>Called on every listening socket before Bind; the board sets nothing.</summary>
        protected virtual void BeforeListenBind(Socket socket)
        {
        }

        /// <summary>
        /// IPv6 for a literal with a colon ("::1"), IPv4 otherwise. Decided from the text
        /// because nanoFramework's IPAddress has no AddressFamily property.
        /// </summary>
        private static AddressFamily FamilyOf(string address)
        {
            return address.IndexOf(':') >= 0 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        }

        public ITcpListener Listen(string address, int port, int backlog)
        {
            IPAddress ip = ParseAddress(address);
            var s = new Socket(FamilyOf(address), SocketType.Stream, ProtocolType.Tcp);
            try
            {
                BeforeListenBind(s);
                s.Bind(new IPEndPoint(ip, port));
                s.Listen(backlog);
                return new NanoTcpListener(s);
            }
            catch (SocketException e)
            {
                s.Close();
                throw new ConnectionException("cannot listen on " + address + ":" + port.ToString() + ": " + e.Message, NanoSocketErrors.ToWsa(e.ErrorCode), e);
            }
        }

        public IConnection Connect(string address, int port, int timeoutMs)
        {
            IPAddress ip = ParseAddress(address);
            string peer = address + ":" + port.ToString();
            var s = new Socket(FamilyOf(address), SocketType.Stream, ProtocolType.Tcp);
            var deadline = new ConnectDeadline(s);
            Timer? timer = timeoutMs > 0 ? new Timer(new TimerCallback(ConnectDeadline.Expire), deadline, timeoutMs, Timeout.Infinite) : null;
            try
            {
                s.Connect(new IPEndPoint(ip, port));
            }
            catch (SocketException e)
            {
                s.Close();
                if (deadline.Expired) throw TimedOut(peer);
                throw new ConnectionException("connect to " + peer + " failed: " + e.Message, NanoSocketErrors.ToWsa(e.ErrorCode), e);
            }
            catch (ObjectDisposedException e)
            {
                // The deadline closed the socket under Connect.
                if (deadline.Expired) throw TimedOut(peer);
                throw new ConnectionException("connect to " + peer + " failed: socket closed", ConnectionException.Reset, e);
            }
            finally
            {
                if (timer != null) timer.Dispose();
            }
            // The timer may have fired between Connect returning and here: then it closed the socket.
            if (!deadline.TryFinish())
            {
                s.Close();
                throw TimedOut(peer);
            }
            return new NanoSocketConnection(s);
        }

        public IUdpSocket OpenUdp(int localPort)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                s.Bind(new IPEndPoint(IPAddress.Any, localPort));
                return new NanoUdpSocket(s);
            }
            catch (SocketException e)
            {
                s.Close();
                throw new ConnectionException("cannot bind udp port " + localPort.ToString() + ": " + e.Message, NanoSocketErrors.ToWsa(e.ErrorCode), e);
            }
        }

        /// <summary>Parses an IPv4 literal; a bad one is a ConnectionException (the caller's address is
        /// wrong). nanoFramework has IPAddress.Parse only (no TryParse).</summary>
        internal static IPAddress ParseAddress(string address)
        {
            try
            {
                return IPAddress.Parse(address);
            }
            catch (Exception e)
            {
                throw new ConnectionException("not an IP address: " + address, 0, e);
            }
        }

        private static ConnectionException TimedOut(string peer)
        {
            return new ConnectionException("connect to " + peer + " timed out", ConnectionException.TimedOut);
        }

        /// <summary>Who wins between Connect returning and the deadline firing: exactly one does.</summary>
        private sealed class ConnectDeadline
        {
            private const int Pending = 0;
            private const int Finished = 1;
            private const int Fired = 2;

            private readonly Socket _socket;
            private int _state;

            public ConnectDeadline(Socket socket)
            {
                _socket = socket;
            }

            public bool Expired => _state == Fired;

            /// <summary>True when Connect finished first; the deadline can no longer close the socket.</summary>
            public bool TryFinish()
            {
                return Interlocked.CompareExchange(ref _state, Finished, Pending) == Pending;
            }

            /// <summary>Timer callback: closes the socket unless Connect finished first.</summary>
            public static void Expire(object? state)
            {
                var d = (ConnectDeadline)state!;
                if (Interlocked.CompareExchange(ref d._state, Fired, Pending) != Pending) return;
                try
                {
                    d._socket.Close();
                }
                catch (Exception)
                {
                    // Closing is best effort; Connect reports the outcome.
                }
            }
        }
    }
}
