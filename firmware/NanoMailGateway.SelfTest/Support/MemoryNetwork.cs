// The whole network of the full-load scenario in memory, behind the INetwork seam the
// composed MailGateway runs on: its listeners are MemoryListeners that the check dials
// into, its delivery connects to the ScriptedMx at mx.example.net (192.0.2.25:25), and
// its resolver talks UDP/TCP to the ScriptedDnsNetwork's server, which names that MX for
// example.net. Pipes are sized per dial (a few hundred octets, not the 64 KB default of
// MemoryConnection.CreatePair): the writer waits for the reader, so small pipes only
// cost time, and the esp32-c3 heap has no room for more.
// Left out on purpose: several addresses per listener port, IPv6.

using System.Collections;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;

namespace NanoMailGateway.SelfTest
{
    /// <summary>In-memory INetwork for the composed gateway. Thread-safe.</summary>
    public sealed class MemoryNetwork : INetwork
    {
        /// <summary>How long a dial waits for the gateway's accept thread, ms (the interpreter is slow).</summary>
        public const int DialTimeoutMs = 10000;

        private readonly object _gate = new object();
        private readonly ArrayList _listeners = new ArrayList();   // MemoryListener
        private readonly ScriptedDnsNetwork _dns = new ScriptedDnsNetwork();
        private readonly ScriptedMx _mx;
        private int _dials;

        /// <summary>A network whose only remote SMTP server is <paramref name="mx"/>.</summary>
        public MemoryNetwork(ScriptedMx mx)
        {
            _mx = mx;
        }

        /// <inheritdoc/>
        public ITcpListener Listen(string address, int port, int backlog)
        {
            lock (_gate)
            {
                for (int i = 0; i < _listeners.Count; i++)
                {
                    if (((MemoryListener)_listeners[i]!).LocalPort == port) throw new ConnectionException("address in use", ConnectionException.Refused);
                }
                MemoryListener l = new MemoryListener(address, port);
                _listeners.Add(l);
                return l;
            }
        }

        /// <inheritdoc/>
        public IConnection Connect(string address, int port, int timeoutMs)
        {
            if (address == ScriptedDnsNetwork.MxAddress && port == 25) return _mx.Accept();
            return _dns.Connect(address, port, timeoutMs);
        }

        /// <inheritdoc/>
        public IUdpSocket OpenUdp(int localPort)
        {
            return _dns.OpenUdp(localPort);
        }

        /// <summary>
        /// Connects a client from <paramref name="clientAddress"/> to the gateway's listener on
        /// <paramref name="port"/>, with <paramref name="pipeCapacity"/> octets each way.
        /// </summary>
        public LineClient Dial(int port, string clientAddress, int pipeCapacity)
        {
            MemoryListener? l = null;
            int n;
            lock (_gate)
            {
                for (int i = 0; i < _listeners.Count; i++)
                {
                    MemoryListener c = (MemoryListener)_listeners[i]!;
                    if (c.LocalPort == port) l = c;
                }
                n = ++_dials;
            }
            if (l == null) Expect.Fail("nothing listens on port " + port.ToString());
            MemoryPipe toServer = new MemoryPipe(pipeCapacity);
            MemoryPipe toClient = new MemoryPipe(pipeCapacity);
            string local = l!.LocalEndPoint.Substring(0, l.LocalEndPoint.LastIndexOf(':'));
            MemoryConnection server = new MemoryConnection(toServer, toClient, clientAddress, 40000 + n, local, false);
            if (!l.Offer(server, DialTimeoutMs)) Expect.Fail("the gateway did not accept on port " + port.ToString());
            return new LineClient(toClient, toServer);
        }
    }
}
