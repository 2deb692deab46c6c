// Everything a delivery test needs around a DeliveryAgent: a real MessageStore on the
// flash simulator, the mailbox view, a config with local domain gw.test and accounts
// alerts + postmaster, the host network, a resolver pointed at a test dnsmasq, and a
// clock that runs in real time (socket deadlines work) but can jump ahead (retries).

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Delivery
{
    /// <summary>Real time plus a jump offset: deadlines of real sockets still expire.</summary>
    internal sealed class JumpClock : IClock
    {
        private readonly Stopwatch _sw = Stopwatch.StartNew();
        private readonly DateTime _start = new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);
        private long _offsetMs;

        public long MonotonicMilliseconds => _sw.ElapsedMilliseconds + System.Threading.Interlocked.Read(ref _offsetMs) + 1_000_000;

        public DateTime UtcNow => _start.AddMilliseconds(_sw.ElapsedMilliseconds + System.Threading.Interlocked.Read(ref _offsetMs));

        public void Advance(TimeSpan by) => System.Threading.Interlocked.Add(ref _offsetMs, (long)by.TotalMilliseconds);
    }

    /// <summary>The host network, counting outgoing TCP connections (to prove reuse and the dead-destination table).</summary>
    internal sealed class CountingNetwork : INetwork
    {
        private readonly HostSocketNetwork _inner = new HostSocketNetwork();
        private int _connects;

        public int Connects => _connects;

        public ITcpListener Listen(string address, int port, int backlog) => _inner.Listen(address, port, backlog);

        public IConnection Connect(string address, int port, int timeoutMs)
        {
            System.Threading.Interlocked.Increment(ref _connects);
            return _inner.Connect(address, port, timeoutMs);
        }

        public IUdpSocket OpenUdp(int localPort) => _inner.OpenUdp(localPort);
    }

    internal sealed class DeliveryRig
    {
        public const int DefaultBufferSize = 4096;

        public DeliveryRig(string? dnsEndpoint, int smtpPort, Action<DeliveryAgentOptions>? tune = null, ITlsProvider? tls = null, long capacity = 1024 * 1024,
            IRandom? random = null, int bufferSize = DefaultBufferSize, BufferPool? pool = null, QueueOptions? queue = null)
        {
            Config = new GatewayConfig { Hostname = "gw.test", LocalDomains = new[] { "gw.test" } };
            Config.SetAccount("alerts", "pw");
            Config.SetAccount("postmaster", "pw");
            Config.SmtpPort = smtpPort;
            Config.RetryMinSeconds = 60;
            Config.RetryMaxSeconds = 240;
            Config.QueueLifetimeSeconds = 3600;
            Config.DelayWarningSeconds = 0;
            Flash = new FlashSimulator(capacity, 7);
            Store = MessageStore.Open(Flash, queue ?? new QueueOptions(capacity, 16384, 2048, 3 * 16384, 64, 4), Clock);
            Mailboxes = new MailboxStore(Store);
            Local = new LocalRecipientMap(Config);
            Options = DeliveryAgentOptions.From(Config);
            Options.ConnectTimeoutMs = 2000;
            Options.Retry.JitterPercent = 0;
            Options.Client.GreetingTimeoutMs = Options.Client.CommandTimeoutMs = Options.Client.MailTimeoutMs = Options.Client.RcptTimeoutMs = 5000;
            Options.Client.DataInitTimeoutMs = Options.Client.DataBlockTimeoutMs = Options.Client.DataTerminationTimeoutMs = 5000;
            Options.Client.TlsHandshakeTimeoutMs = 5000;
            tune?.Invoke(Options);
            var dns = new DnsOptions { Servers = dnsEndpoint == null ? new string[0] : new[] { dnsEndpoint }, TryTimeoutMs = 500, TotalTimeoutMs = 1500, CacheEntries = 0 };
            var network = Network;
            Resolver = new MxResolver(network, Clock, new CountingRandom(3), dns, Log);
            Pool = pool ?? new BufferPool("delivery", bufferSize, 6);
            _tls = tls;
            Agent = NewAgent(Store, Mailboxes, random ?? new CountingRandom(5));
        }

        /// <summary>An agent like <see cref="Agent"/> over another store (a restart: MessageStore.Open on the same flash).</summary>
        public DeliveryAgent NewAgent(MessageStore store, MailboxStore mailboxes, IRandom random)
        {
            return new DeliveryAgent(store, mailboxes, Local, Options, Network, _tls, Resolver, Pool, Clock, random, Log);
        }

        private readonly ITlsProvider? _tls;

        public JumpClock Clock { get; } = new JumpClock();

        public CountingNetwork Network { get; } = new CountingNetwork();

        public QuietLog Log { get; } = new QuietLog(true);

        public GatewayConfig Config { get; }

        public FlashSimulator Flash { get; }

        public MessageStore Store { get; }

        public MailboxStore Mailboxes { get; }

        public LocalRecipientMap Local { get; }

        public DeliveryAgentOptions Options { get; }

        public MxResolver Resolver { get; }

        public BufferPool Pool { get; }

        public DeliveryAgent Agent { get; }

        public string AllLog => string.Join("\n", Log.Lines);

        /// <summary>Queues a message through the store's writer, as the listener does.</summary>
        public QueuedMessage Put(string sender, byte[] body, params string[] rcpts) => Put(sender, body, DsnNotify.Unspecified, rcpts);

        public QueuedMessage Put(string sender, byte[] body, DsnNotify notify, params string[] rcpts)
        {
            var env = new Envelope(sender) { EightBitMime = true };
            foreach (string r in rcpts) env.AddRecipient(new EnvelopeRecipient(r, Local.IsLocal(r), notify, null));
            IMessageWriter w = Store.BeginMessage(env)!;
            Assert.NotNull(w);
            for (int o = 0; o < body.Length; o += 1500) Assert.True(w.Write(body, o, Math.Min(1500, body.Length - o)));
            w.Commit();
            return Store.Find(w.QueueId)!;
        }

        public static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);

        /// <summary>A small message with this subject.</summary>
        public static byte[] Simple(string subject) => Latin1("From: alerts@gw.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n");

        /// <summary>The mailbox's messages as bytes, read through the POP3 view.</summary>
        public List<byte[]> MailboxMessages(string mailbox)
        {
            IMaildrop drop = Mailboxes.Open(mailbox)!;
            var list = new List<byte[]>();
            try
            {
                for (int i = 0; i < drop.Count; i++)
                {
                    var b = new byte[drop.SizeOf(i)];
                    int p = 0;
                    while (p < b.Length)
                    {
                        int n = drop.Read(i, p, b, p, b.Length - p);
                        Assert.True(n > 0);
                        p += n;
                    }
                    list.Add(b);
                }
            }
            finally
            {
                drop.Close();
            }
            return list;
        }

        public RecipientState StateOf(QueuedMessage m, int r) => m.GetStatus(r).State;

        /// <summary>smtp-sink's copy (LF line ends) of a CRLF message.</summary>
        public static byte[] Lf(byte[] crlf) => Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(crlf).Replace("\r\n", "\n"));
    }
}
