// Delivery against broken and hostile exchangers, end to end on loopback: the
// DeliveryAgent over a real MessageStore, the scripted DNS server for the MX records and
// the scripted SMTP server on a real socket as the exchanger. No sequence of replies may
// take a message out of the queue unless the far side accepted its whole content; a drop
// or a power cut at any stage leaves it queued; a slow exchanger must not hold up mail for
// another domain; every log line about a server names it.

using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Core.Dns;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;
using static NanoMailGateway.Tests.Core.Delivery.DeliveryRig;

namespace NanoMailGateway.Tests.Core.Delivery
{
    public sealed class HostileMxDeliveryTests : IDisposable
    {
        // Addresses of their own on Linux loopback, apart from the other delivery tests'.
        private const string SlowMx = "127.0.21.7";
        private const string GoodMx = "127.0.21.3";

        private readonly DnsTestServer _dns = new DnsTestServer();
        private readonly int _port = FreePort.Tcp(GoodMx);

        public HostileMxDeliveryTests()
        {
            _dns.OnUdp = DnsTestKit.Zone((q, r) =>
            {
                if (q.Type == DnsReply.Mx && q.Name == "slow.test") r.MxRecord("slow.test", 10, "mx.slow.test");
                else if (q.Type == DnsReply.Mx && q.Name == "ok.test") r.MxRecord("ok.test", 10, "mx.ok.test");
                else if (q.Type == DnsReply.A && q.Name == "mx.slow.test") r.ARecord("mx.slow.test", SlowMx);
                else if (q.Type == DnsReply.A && q.Name == "mx.ok.test") r.ARecord("mx.ok.test", GoodMx);
                else r.Rcode = 3;
            });
        }

        public void Dispose() => _dns.Dispose();

        private DeliveryRig Rig(Action<NanoMailGateway.Core.Delivery.DeliveryAgentOptions>? tune = null) => new DeliveryRig(_dns.Endpoint, _port, tune);

        private ScriptedSmtpServer Mx(string address, Action<ScriptedSmtpServer> script)
        {
            var srv = new ScriptedSmtpServer(address, _port);
            script(srv);
            srv.Start();
            return srv;
        }

        public static TheoryData<string> HostileScripts() => new TheoryData<string>
        {
            "2xx to DATA", "2xx to DATA, pipelined", "one reply too many", "250- then 550 at the final dot",
            "550- then 250 at the final dot", "354 and 250 in one packet, then close",
        };

        private static void Script(ScriptedSmtpServer x, string script)
        {
            const string NoPipelining = "250-mx.ok.test\r\n250 ENHANCEDSTATUSCODES";
            switch (script)
            {
                case "2xx to DATA":
                    x.EhloReply = NoPipelining;
                    x.OnCommand = l => l == "DATA" ? "250 2.0.0 ok" : null;
                    break;
                case "2xx to DATA, pipelined":
                    x.OnCommand = l => l == "DATA" ? "250 2.0.0 ok" : null;
                    break;
                case "one reply too many":
                    x.BatchUntilData = true;
                    x.OnCommand = l => l.StartsWith("RCPT", StringComparison.Ordinal) ? "250 2.1.5 Ok\r\n250 2.0.0 one more" : null;
                    break;
                case "250- then 550 at the final dot":
                    x.OnMessage = _ => "250-2.0.0 queued\r\n550 5.7.1 rejected";
                    break;
                case "550- then 250 at the final dot":
                    x.OnMessage = _ => "550-5.7.1 rejected\r\n250 2.0.0 queued";
                    break;
                case "354 and 250 in one packet, then close":
                    x.EhloReply = NoPipelining;
                    x.OnCommand = l => l == "DATA" ? "354 go ahead\r\n250 2.0.0 ok" + ScriptedSmtpServer.Hangup : null;
                    break;
                default:
                    throw new ArgumentException(script);
            }
        }

        [Theory]
        [MemberData(nameof(HostileScripts))]
        public void Hostile_replies_never_take_a_message_out_of_the_queue(string script)
        {
            var rig = Rig();
            using var mx = Mx(GoodMx, x => Script(x, script));
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("hostile"), "ops@ok.test");
            Assert.Equal(1, rig.Agent.RunOnce());
            Assert.Equal(1, rig.Store.Count);
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Equal("4.5.0", m.GetStatus(0).Code);
            string line = Assert.Single(rig.Log.Lines, l => l.Contains("to=<ops@ok.test>"));
            Assert.Contains("status=deferred (protocol error with mx.ok.test[" + GoodMx + "]", line);
            Assert.DoesNotContain(rig.Log.Lines, l => l.Contains("status=sent") || l.Contains("status=bounced"));
        }

        public static TheoryData<string> Stages() => new TheoryData<string> { "greeting", "EHLO", "MAIL", "RCPT", "DATA", "final dot" };

        [Theory]
        [MemberData(nameof(Stages))]
        public void A_drop_at_any_stage_leaves_the_message_queued(string stage)
        {
            var rig = Rig();
            using var mx = Mx(GoodMx, x =>
            {
                x.EhloReply = "250-mx.ok.test\r\n250 ENHANCEDSTATUSCODES";
                if (stage == "greeting") x.Greeting = "220-mx.ok.test" + ScriptedSmtpServer.Hangup;
                x.OnCommand = l => l.StartsWith(stage, StringComparison.Ordinal) ? ScriptedSmtpServer.Hangup : null;
                x.OnMessage = _ => stage == "final dot" ? ScriptedSmtpServer.Hangup : "250 2.0.0 ok";
            });
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("drop"), "ops@ok.test");
            rig.Agent.RunOnce();
            Assert.Equal(1, rig.Store.Count);
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Contains(rig.Log.Lines, l => l.Contains("to=<ops@ok.test>") && l.Contains("status=deferred") && l.Contains("mx.ok.test[" + GoodMx + "]"));
        }

        [Theory]
        [MemberData(nameof(Stages))]
        public void A_power_cut_at_any_stage_loses_nothing(string stage)
        {
            var rig = Rig();
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("cut"), "ops@ok.test");
            using var mx = Mx(GoodMx, x =>
            {
                x.EhloReply = "250-mx.ok.test\r\n250 ENHANCEDSTATUSCODES";
                x.OnCommand = l =>
                {
                    if (!l.StartsWith(stage, StringComparison.Ordinal)) return null;
                    rig.Flash.CutPowerNow();
                    return ScriptedSmtpServer.Hangup;
                };
                // At the final dot the server even says 250 after the power went: the gateway never
                // recorded it, so after the restart the message is still queued (a duplicate later, RFC 5321 §6.1).
                x.OnMessage = _ =>
                {
                    if (stage == "final dot") rig.Flash.CutPowerNow();
                    return "250 2.0.0 ok";
                };
            });
            if (stage == "greeting") rig.Flash.CutPowerNow();
            try
            {
                rig.Agent.RunOnce();
            }
            catch (StorageException)
            {
                // The board reboots here.
            }
            rig.Flash.Reboot();
            MessageStore store = MessageStore.Open(rig.Flash, rig.Store.Options, rig.Clock);
            QueuedMessage again = Assert.Single(store.GetMessages(), q => q.Id == m.Id);
            Assert.False(again.AllFinal);
            Assert.NotEqual(RecipientState.Delivered, again.GetStatus(0).State);
        }

        [Fact]
        public void A_drip_feeding_mx_does_not_hold_up_mail_for_another_domain()
        {
            // RFC timeouts (minutes) on every stage; only the head-of-line limit may cut the drip.
            var rig = Rig(o =>
            {
                var defaults = new NanoMailGateway.Core.SmtpClient.SmtpClientOptions();
                o.Client.GreetingTimeoutMs = defaults.GreetingTimeoutMs;
                o.Client.CommandTimeoutMs = defaults.CommandTimeoutMs;
                o.DestinationTurnMs = 1500;
            });
            // The greeting of the slow MX takes 60 s, one byte every 2 s.
            using var slow = Mx(SlowMx, x => x.GreetingDripMs = 2000);
            using var good = Mx(GoodMx, x => { });
            QueuedMessage stuck = rig.Put("alerts@gw.test", Simple("to the slow one"), "ops@slow.test");
            QueuedMessage alarm = rig.Put("alerts@gw.test", Simple("alarm"), "ops@ok.test");
            var sw = Stopwatch.StartNew();
            var runner = new Thread(() => rig.Agent.RunOnce()) { IsBackground = true };
            runner.Start();
            while (alarm.GetStatus(0).State != RecipientState.Delivered && sw.ElapsedMilliseconds < 30000) Thread.Sleep(20);
            long deliveredAfter = sw.ElapsedMilliseconds;
            Assert.True(runner.Join(10000), "the pass did not end");
            Assert.Equal(RecipientState.Delivered, alarm.GetStatus(0).State);
            Assert.InRange(deliveredAfter, 0, 4000);
            Assert.Single(good.Messages);
            Assert.Equal(RecipientState.Deferred, stuck.GetStatus(0).State);
            Assert.Contains(rig.Log.Lines, l => l.Contains("to=<ops@slow.test>") && l.Contains("status=deferred") && l.Contains("mx.slow.test[" + SlowMx + "]"));
            Assert.Equal(10000, new NanoMailGateway.Core.Delivery.DeliveryAgentOptions().DestinationTurnMs);
        }

        [Fact]
        public void The_slow_mx_gets_its_full_time_when_no_other_mail_waits()
        {
            var rig = Rig(o => o.DestinationTurnMs = 300);
            using var slow = Mx(SlowMx, x => { x.Greeting = "220 mx.slow.test"; x.GreetingDripMs = 60; });   // about 1 s
            QueuedMessage m = rig.Put("alerts@gw.test", Simple("patient"), "ops@slow.test");
            Assert.Equal(1, rig.Agent.RunOnce());
            Assert.Equal(RecipientState.Delivered, m.GetStatus(0).State);
        }

        [Fact]
        public void A_STARTTLS_refusal_by_the_relayhost_names_the_host_in_every_line()
        {
            const string Relay = "127.0.21.9";
            var rig = new DeliveryRig(null, _port, o =>
            {
                o.RelayHost = Relay;
                o.RelayPort = _port;
                o.RelaySecurity = RelaySecurity.StartTls;
            }, tls: new MemoryTlsProvider(false, false));
            using var relay = Mx(Relay, x =>
            {
                x.EhloReply = "250-relay.test\r\n250-STARTTLS\r\n250 ENHANCEDSTATUSCODES";
                x.OnCommand = l => l == "STARTTLS" ? "454 4.7.0 TLS not available due to local problem" : null;
            });
            rig.Put("alerts@gw.test", Simple("one"), "ops@far.test");
            rig.Put("alerts@gw.test", Simple("two"), "ops2@far.test");
            rig.Agent.RunOnce();
            string[] lines = rig.Log.Lines.Where(l => l.Contains("to=<")).ToArray();
            Assert.Equal(2, lines.Length);
            string hostPort = Relay + "[" + Relay + "]:" + _port;
            Assert.Contains("relay=" + hostPort + ",", lines[0]);
            Assert.Contains("host " + hostPort + " said: 454 4.7.0 TLS not available", lines[0]);
            Assert.All(rig.Log.Lines, l => Assert.DoesNotContain("host none", l));
            Assert.All(lines, l => Assert.Contains(hostPort, l));
        }
    }
}
