// RFC 5452 §9.2: the source port is drawn at random from 1024..65535 for each query and
// drawn again when the bind fails; after BindAttempts failures the system chooses.
// A fault-injecting INetwork in front of the real host sockets refuses chosen binds.

using System.Collections.Generic;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Core.Dns
{
    public class SourcePortTests
    {
        private sealed class RefusingNetwork : INetwork
        {
            private readonly HostSocketNetwork _real = new HostSocketNetwork();
            private int _refuse;

            public RefusingNetwork(int refuse) { _refuse = refuse; }

            public List<int> Asked { get; } = new List<int>();

            public ITcpListener Listen(string address, int port, int backlog) => _real.Listen(address, port, backlog);

            public IConnection Connect(string address, int port, int timeoutMs) => _real.Connect(address, port, timeoutMs);

            public IUdpSocket OpenUdp(int localPort)
            {
                lock (Asked) Asked.Add(localPort);
                if (_refuse-- > 0) throw new ConnectionException("in use (injected)", 10048);
                return _real.OpenUdp(localPort);
            }
        }

        private static MxResult Resolve(RefusingNetwork net, DnsTestServer s)
        {
            var options = DnsTestKit.Options(s);
            return new MxResolver(net, new NanoMailGateway.Emulator.Host.SystemClock(), new NanoMailGateway.Emulator.Host.HostRandom(), options, null).Resolve("example.com");
        }

        [Fact]
        public void Failed_bind_draws_another_random_port()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { DnsReply.For(q, 3).Build() };
            var net = new RefusingNetwork(3);
            Assert.Equal(DnsStatus.NotFound, Resolve(net, s).Status);
            Assert.Equal(4, net.Asked.Count);
            Assert.All(net.Asked, p => Assert.InRange(p, 1024, 65535));
            Assert.Equal(net.Asked[3], s.Queries[0].SourcePort);
        }

        [Fact]
        public void After_every_random_port_fails_the_system_chooses()
        {
            using var s = new DnsTestServer();
            s.OnUdp = (q, o) => new[] { DnsReply.For(q, 3).Build() };
            var net = new RefusingNetwork(4);
            Assert.Equal(DnsStatus.NotFound, Resolve(net, s).Status);
            Assert.Equal(5, net.Asked.Count);
            Assert.Equal(0, net.Asked[4]);
        }

        [Fact]
        public void No_socket_at_all_is_a_temporary_failure()
        {
            using var s = new DnsTestServer();
            var net = new RefusingNetwork(1000);
            MxResult r = Resolve(net, s);
            Assert.Equal(DnsStatus.TempFail, r.Status);
            Assert.Contains("no UDP socket", r.Text);
        }
    }
}
