// The DNS zone of the delivery tests, served by a real dnsmasq, plus the one smtp_port
// every test MX listens on (smtp-sink on 127.0.0.x:<port>, Linux loopback takes all of 127/8):
//   two.test     MX 10 mx1 (127.0.0.2, nobody listens), MX 20 mx2 (127.0.0.3)
//   ok.test      MX 10 -> 127.0.0.3        fail.test  MX 10 -> 127.0.0.4 (rejects RCPT 5xx)
//   soft.test    MX 10 -> 127.0.0.5        drop.test  MX 10 -> 127.0.0.6
//   nullmx.test  MX 0 "."                  relay.test A 127.0.0.1 (a name the test cert lacks)
//   anything else under .test: NXDOMAIN.

using System;
using System.Collections.Generic;
using NanoMailGateway.Tests.Core.Dns;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public sealed class DeliveryZone : IDisposable
    {
        private readonly DnsmasqFixture _dns = new DnsmasqFixture(new List<string>
        {
            "--local=/test/", "--local-ttl=300",
            "--mx-host=two.test,mx1.two.test,10", "--host-record=mx1.two.test,127.0.0.2",
            "--mx-host=two.test,mx2.two.test,20", "--host-record=mx2.two.test,127.0.0.3",
            "--mx-host=ok.test,mx.ok.test,10", "--host-record=mx.ok.test,127.0.0.3",
            "--mx-host=fail.test,mx.fail.test,10", "--host-record=mx.fail.test,127.0.0.4",
            "--mx-host=soft.test,mx.soft.test,10", "--host-record=mx.soft.test,127.0.0.5",
            "--mx-host=drop.test,mx.drop.test,10", "--host-record=mx.drop.test,127.0.0.6",
            "--mx-host=nullmx.test,.,0", "--host-record=nullmx.test,127.0.0.8",
            "--host-record=relay.test,127.0.0.1",
        });

        public int SmtpPort { get; } = FreePort.Tcp();

        /// <summary>Starts dnsmasq (once) and returns its endpoint.</summary>
        public string Dns()
        {
            _dns.EnsureStarted(Peers.Require("dnsmasq"));
            return _dns.Endpoint;
        }

        public void Dispose() => _dns.Dispose();
    }
}
