// The whole gateway composed from Core's modules, the same on the board and in the
// emulator (ARCHITECTURE.md, Message path: the same core runs in two places). From a validated
// GatewayConfig (with its BoardProfile) and the platform seams it builds and starts:
//   queue      MessageStore recovered from the files (capacity, queue_max_messages,
//              smtp_sessions + 1 writers: one per SMTP session and one for bounces)
//   mailboxes  MailboxStore over the queue; LocalRecipientMap; the RCPT check
//              (550 5.1.1 unknown mailbox, 452 4.2.2 over mailbox_quota)
//   smtpd      SmtpServer + one ConnectionListener per smtp_listen, smtp_sessions slots
//   pop3d      Pop3Server + one ConnectionListener per pop3_listen, pop3_sessions slots
//   imapd      the host's IMailboxService (Core.Imap's ImapServer, over the same MailboxStore)
//              + one ConnectionListener per imap_listen, imap_sessions slots; the host
//              brings it (AddMailboxService) so that this library does not load Core.Imap
//              on boards where IMAP is off (README, IMAP mailboxes)
//   accept     ONE AcceptLoop thread for all those listeners (about 520 bytes of heap
//              and two stack frames per thread saved on the board, ARCHITECTURE.md, Threads)
//   dns        MxResolver (dns_servers, dns_cache_entries)
//   delivery   the delivery agent (queue runner, local delivery, bounces)
// Memory (ARCHITECTURE.md, Memory): one session pool of buffer_count x buffer_size buffers, allocated
// here once and shared by every kind of session: an SMTP session rents 2 (DATA goes into the
// queue writer's own buffer), a POP3 session 2, an IMAP session 2, a delivery session 2 (the message is read
// from flash into its send buffer). Sharing lets a quiet POP3 side leave
// its buffers to SMTP bursts; the slot counts per protocol keep any one side from taking
// everything, and a session that finds the pool empty is refused (421 4.3.2 /
// -ERR [SYS/TEMP]), never given more memory. The resolver borrows one buffer of it per
// lookup, which a delivery session makes before it rents its own two. The queue keeps its
// own small fixed pool of writer buffers.
// Stop: listeners first (all sockets closed and the accept thread ended, then sessions get
// a bounded time, then are cut),
// then delivery, then the queue is closed.
// Left out on purpose: reloading the config while running (restart instead).

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Gateway
{
    /// <summary>Composes and runs the gateway. Start once, Stop once, from one thread; counters are thread-safe.</summary>
    public sealed class MailGateway
    {
        /// <summary>
        /// Pending connections a listen socket holds per session slot (README, Bursts). A burst
        /// of senders waits in the IP stack's accept queue (a socket each, no buffers) until a
        /// slot frees; a queue of 4 made the kernel drop the SYNs of the rest, and each such
        /// sender came back only after its TCP retransmission timeout (1 s and more), so ten
        /// senders per slot got under 1 % of the throughput of one (tools/bench smtp).
        /// </summary>
        public const int BacklogPerSlot = 10;

        /// <summary>The listen backlog for a listener with <paramref name="slots"/> session slots: BacklogPerSlot each, at least 4.</summary>
        public static int BacklogFor(int slots)
        {
            return slots < 1 ? 4 : (slots * BacklogPerSlot < 4 ? 4 : slots * BacklogPerSlot);
        }

        /// <summary>Queue segment file size, bytes (QueueOptions: small enough that a stuck message pins little).</summary>
        public const int SegmentSize = 16384;

        /// <summary>Most bytes the queue gathers per append (and per writer buffer); boards with smaller session buffers use their buffer size.</summary>
        public const int WriteUnit = 2048;

        /// <summary>Segments kept back from new mail for status records, bounces and compaction.</summary>
        public const int ReserveSegments = 3;

        private const string Component = "master";

        private readonly GatewayConfig _config;
        private readonly GatewayPlatform _platform;
        private readonly ILog _log;
        private ConnectionListener?[] _smtpListeners = new ConnectionListener?[0];   // null entries: not started
        private ConnectionListener?[] _pop3Listeners = new ConnectionListener?[0];
        private ConnectionListener?[]? _imapListeners;   // null without IMAP: no object at all
        private string[]? _imapEndpoints;
        private IMailboxService? _imap;
        private AcceptLoop? _accept;
        private MessageStore? _store;
        private bool _started;
        private bool _stopped;

        /// <summary>Prepares the gateway; nothing is opened until <see cref="Start"/>.</summary>
        public MailGateway(GatewayConfig config, GatewayPlatform platform)
        {
            _config = config;
            _platform = platform;
            _log = platform.Log;
            // The configuration is final here: where each key came from only mattered to
            // the validator's messages.
            config.ForgetOrigins();
            BoardProfile b = config.Board;
            // Allocated once, sized from the board (ARCHITECTURE.md, Memory); it never grows.
            Pool = new BufferPool("session", b.BufferSize, b.BufferCount);
            Throttle = new AuthThrottle(platform.Clock);
            SmtpEndpoints = Text.StringArray.New(0);
            Pop3Endpoints = Text.StringArray.New(0);
        }

        /// <summary>The configuration it runs with.</summary>
        public GatewayConfig Config => _config;

        /// <summary>The shared session buffer pool (counters: InUse, HighWaterMark, Refusals).</summary>
        public BufferPool Pool { get; }

        /// <summary>
        /// The failed-authentication throttle SMTP and POP3 use, and an IMAP service must too
        /// (hand it to the service before AddMailboxService): one per gateway, so a guesser
        /// gains nothing by switching protocol (README, Authentication).
        /// </summary>
        public AuthThrottle Throttle { get; }

        /// <summary>The bound SMTP endpoints ("127.0.0.1:2525"), real ports when 0 was configured. Valid after Start.</summary>
        public string[] SmtpEndpoints { get; private set; }

        /// <summary>The bound POP3 endpoints. Valid after Start.</summary>
        public string[] Pop3Endpoints { get; private set; }

        /// <summary>The bound IMAP endpoints. Valid after Start.</summary>
        public string[] ImapEndpoints => _imapEndpoints ?? Text.StringArray.New(0);

        /// <summary>The queue (valid after Start).</summary>
        public MessageStore Store
        {
            get
            {
                if (_store == null) throw new System.InvalidOperationException("not started");
                return _store;
            }
        }

        /// <summary>The local mailboxes over the queue (valid after Start).</summary>
        public MailboxStore? Mailboxes { get; private set; }

        /// <summary>The delivery agent (valid after Start); StorageFailed tells the board to reboot.</summary>
        public DeliveryAgent? Delivery { get; private set; }

        /// <summary>The MX resolver (valid after Start).</summary>
        public MxResolver? Resolver { get; private set; }

        /// <summary>The SMTP server (valid after Start).</summary>
        public SmtpServer? Smtp { get; private set; }

        /// <summary>The POP3 server (valid after Start).</summary>
        public Pop3Server? Pop3 { get; private set; }

        /// <summary>Buffers an IMAP session rents (ImapServer: command input and output).</summary>
        public const int ImapBuffersPerSession = 2;

        /// <summary>
        /// Serves <paramref name="imap"/> on imap_listen with imap_sessions slots, from Start on.
        /// Call before Start; without it imap_listen is not opened.
        /// </summary>
        public void AddMailboxService(IMailboxService imap)
        {
            if (_started) throw new System.InvalidOperationException("already started");
            _imap = imap;
        }

        /// <summary>Messages in the queue (mailbox messages included); 0 before Start.</summary>
        public int QueueCount => _store == null ? 0 : _store.Count;

        /// <summary>SMTP sessions accepted since Start, over all endpoints.</summary>
        public int SmtpAccepted => Sum(_smtpListeners, false);

        /// <summary>SMTP connections refused busy since Start.</summary>
        public int SmtpRefused => Sum(_smtpListeners, true);

        /// <summary>POP3 sessions accepted since Start.</summary>
        public int Pop3Accepted => Sum(_pop3Listeners, false);

        /// <summary>POP3 connections refused busy since Start.</summary>
        public int Pop3Refused => Sum(_pop3Listeners, true);

        /// <summary>Accept threads started: 1 once listening, however many endpoints (0 before Start).</summary>
        public int AcceptThreads => _accept == null ? 0 : _accept.ThreadsStarted;

        /// <summary>
        /// Recovers the queue and starts listeners and delivery.
        /// </summary>
        /// <exception cref="StorageException">the queue's files cannot be read; nothing stays open.</exception>
        /// <exception cref="ConnectionException">a listen address is in use or not local; nothing stays open.</exception>
        /// <exception cref="System.ArgumentException">the board's storage_capacity cannot hold the queue's reserve.</exception>
        public void Start()
        {
            if (_started) throw new System.InvalidOperationException("already started");
            _started = true;
            BoardProfile b = _config.Board;
            IClock clock = _platform.Clock;

            QueueOptions qo = QueueOptionsFrom(b);
            long t0 = clock.MonotonicMilliseconds;
            MessageStore store = MessageStore.Open(_platform.Files, qo, clock);
            _store = store;
            _log.Write("qmgr", 0, "queue recovered in " + (clock.MonotonicMilliseconds - t0).ToString() + " ms: "
                + store.Count.ToString() + " messages, " + store.UsedBytes.ToString() + " of " + qo.CapacityBytes.ToString()
                + " bytes in " + store.SegmentCount.ToString() + " segments, " + store.RecoveryDropped.ToString()
                + " damaged records dropped, next sequence " + store.NextSequence.ToString());

            try
            {
                MailboxStore mailboxes = new MailboxStore(store);
                Mailboxes = mailboxes;
                LocalRecipientMap local = new LocalRecipientMap(_config);
                AccountDirectory accounts = SmtpServerSetup.AccountsFrom(_config);

                Smtp = new SmtpServer(SmtpServerSetup.OptionsFrom(_config), store, Pool,
                    _platform.ServerTls, SmtpServerSetup.TrustedFrom(_config), accounts, Throttle,
                    new MailboxRecipients(local, mailboxes, b.MailboxQuota), clock, _log);
                Pop3 = new Pop3Server(Pop3OptionsFrom(_config), mailboxes, accounts, Throttle, _platform.ServerTls, Pool, clock, _log);
                int imapCount = _imap == null ? 0 : _config.ImapListen.Length;
                // Packet buffers from the session pool: a delivery session resolves before it
                // rents its two buffers, so a lookup needs no buffer of its own (ARCHITECTURE.md, Memory).
                Resolver = new MxResolver(_platform.Network, clock, _platform.Random, DnsOptionsFrom(_config), _log, Pool);

                int imapSessions = imapCount == 0 ? 0 : b.ImapSessions;
                int demand = b.SmtpSessions * SmtpServer.BuffersPerSession + b.Pop3Sessions * Pop3Server.BuffersPerSession
                    + imapSessions * ImapBuffersPerSession + b.DeliverySessions * SmtpClientSession.BuffersPerSession;
                _log.Write(Component, 0, "session pool " + Pool.Capacity.ToString() + " x " + Pool.BufferSize.ToString()
                    + " bytes, shared: smtp " + b.SmtpSessions.ToString() + " x " + SmtpServer.BuffersPerSession.ToString()
                    + ", pop3 " + b.Pop3Sessions.ToString() + " x " + Pop3Server.BuffersPerSession.ToString()
                    + (imapSessions == 0 ? "" : ", imap " + imapSessions.ToString() + " x " + ImapBuffersPerSession.ToString())
                    + ", delivery " + b.DeliverySessions.ToString() + " x " + SmtpClientSession.BuffersPerSession.ToString()
                    + " = " + demand.ToString() + " at full load"
                    + (demand > Pool.Capacity ? " (more than the pool: the last session at full load is refused busy)" : ""));

                _accept = new AcceptLoop(_config.SmtpListen.Length + _config.Pop3Listen.Length + imapCount);
                SmtpEndpoints = Text.StringArray.New(_config.SmtpListen.Length);
                _smtpListeners = new ConnectionListener?[_config.SmtpListen.Length];
                Listen(_config.SmtpListen, Smtp, b.SmtpSessions, _smtpListeners, SmtpEndpoints);
                Pop3Endpoints = Text.StringArray.New(_config.Pop3Listen.Length);
                _pop3Listeners = new ConnectionListener?[_config.Pop3Listen.Length];
                Listen(_config.Pop3Listen, new Pop3SessionFactory(Pop3), b.Pop3Sessions, _pop3Listeners, Pop3Endpoints);
                if (imapCount > 0)
                {
                    _imapEndpoints = Text.StringArray.New(imapCount);
                    _imapListeners = new ConnectionListener?[imapCount];
                    Listen(_config.ImapListen, _imap!.Open(mailboxes, Pool), b.ImapSessions, _imapListeners, _imapEndpoints);
                }
                _accept.Start();

                // Last: a listen address that fails above then leaves no delivery thread behind.
                StartDelivery(store, mailboxes, local);
            }
            catch (System.Exception)
            {
                Stop(0);
                throw;
            }
        }

        /// <summary>
        /// Stops everything: closes the listen sockets, gives running sessions up to
        /// <paramref name="timeoutMs"/> to finish before cutting them (and as much again to
        /// end), stops delivery within the same bound, closes the queue. Safe to call twice.
        /// Returns true when every session ended in time.
        /// </summary>
        public bool Stop(int timeoutMs)
        {
            if (_stopped) return true;
            _stopped = true;
            bool clean = true;
            // Every listening socket closed and the one accept thread ended first: then no
            // new session starts on any listener while the others' sessions are stopped.
            if (_accept != null) _accept.Stop(timeoutMs);
            clean &= StopAll(_smtpListeners, timeoutMs);
            clean &= StopAll(_pop3Listeners, timeoutMs);
            if (_imapListeners != null) clean &= StopAll(_imapListeners, timeoutMs);
            StopDelivery(timeoutMs);
            if (_store != null)
            {
                _store.Close();
                _log.Write("qmgr", 0, "queue closed: " + _store.Count.ToString() + " messages");
            }
            return clean;
        }

        /// <summary>One line of state for periodic reports (board watch loop, logs).</summary>
        public string Describe()
        {
            return "queue " + QueueCount.ToString() + " messages; " + Pool.Describe()
                + "; smtp " + SmtpAccepted.ToString() + " accepted " + SmtpRefused.ToString() + " refused"
                + "; pop3 " + Pop3Accepted.ToString() + " accepted " + Pop3Refused.ToString() + " refused";
        }

        /// <summary>
        /// Queue settings from the board: storage_capacity, queue_max_messages, mailbox_max_messages,
        /// mailbox_capacity, smtp_sessions + 1
        /// writers, and a write unit of at most buffer_size. Each writer, the segment log and the
        /// recovery scratch hold one write unit of RAM: 2 KB units cost a board with 1 KB session
        /// buffers several KB it does not have (README, The numbers), and sensor alerts of a few
        /// hundred octets take one append either way.
        /// </summary>
        public static QueueOptions QueueOptionsFrom(BoardProfile b)
        {
            int unit = b.BufferSize < WriteUnit ? b.BufferSize : WriteUnit;
            long reserve = (long)ReserveSegments * SegmentSize;
            // mailbox_capacity is cut to what the store has beside its reserve (a small test store).
            long usable = b.StorageCapacity / QueueOptions.BlockSize * QueueOptions.BlockSize - reserve;
            long mailboxes = b.MailboxCapacity < usable ? b.MailboxCapacity : usable;
            return new QueueOptions(b.StorageCapacity, SegmentSize, unit, reserve,
                b.QueueMaxMessages, b.SmtpSessions + 1, b.MailboxMaxMessages, mailboxes);
        }

        /// <summary>POP3 settings from the configuration (pop3_autologout, hostname in the greeting).</summary>
        public static Pop3ServerOptions Pop3OptionsFrom(GatewayConfig c)
        {
            Pop3ServerOptions o = new Pop3ServerOptions();
            o.AutologoutMs = c.Pop3AutologoutSeconds * 1000;
            o.Greeting = c.Hostname + " NanoMailGateway POP3 server ready";
            return o;
        }

        /// <summary>
        /// Resolver settings: dns_servers (filled from DHCP or resolv.conf by the platform when
        /// empty), dns_cache_entries, and packets of at most a session buffer (the gateway lends
        /// the resolver its session pool; PacketBuffers only sizes a resolver built without one).
        /// </summary>
        public static DnsOptions DnsOptionsFrom(GatewayConfig c)
        {
            DnsOptions o = new DnsOptions();
            string[] servers = Text.StringArray.New(c.DnsServers.Length);
            for (int i = 0; i < servers.Length; i++) servers[i] = c.DnsServers[i].ToString();
            o.Servers = servers;
            o.CacheEntries = c.Board.DnsCacheEntries;
            // A packet buffer is also the cap on an answer over TCP (after TC, RFC 1035
            // §4.2.2). Boards with session buffers under 1 KB (the smallest heap) keep it at
            // the UDP size, 512: an MX answer too long for that fails as a temporary DNS
            // error (the message is deferred), which a smarthost setup never meets.
            if (c.Board.BufferSize < o.PacketBufferSize) o.PacketBufferSize = c.Board.BufferSize;
            return o;
        }

        // ============================== DELIVERY AGENT ==============================
        // The one place where the delivery agent is created, started and stopped. It wakes
        // on the queue's own commit signal (MessageStore.SignalWork), so SMTP needs no hook.
        private void StartDelivery(MessageStore store, MailboxStore mailboxes, LocalRecipientMap local)
        {
            DeliveryAgent agent = new DeliveryAgent(store, mailboxes, local, DeliveryAgentOptions.From(_config),
                _platform.Network, _platform.ClientTls, Resolver!, Pool, _platform.Clock, _platform.Random, _log);
            Delivery = agent;
            agent.Start();
        }

        private void StopDelivery(int timeoutMs)
        {
            DeliveryAgent? agent = Delivery;
            if (agent != null) agent.Stop(timeoutMs);
        }
        // ============================ END DELIVERY AGENT ============================

        // Fills listeners[i] and bound[i] one by one, so that Stop after a failed bind
        // closes exactly the listeners already running (the array entries left are null).
        private void Listen(Endpoint[] endpoints, ISessionFactory factory, int slots, ConnectionListener?[] listeners, string[] bound)
        {
            for (int i = 0; i < endpoints.Length; i++)
            {
                ITcpListener socket = _platform.Network.Listen(endpoints[i].Host, endpoints[i].Port, BacklogFor(slots));
                bound[i] = socket.LocalEndPoint;
                ConnectionListener l = new ConnectionListener(socket, factory, slots, _log);
                listeners[i] = l;
                _accept!.Add(l);
            }
        }

        private static bool StopAll(ConnectionListener?[] listeners, int timeoutMs)
        {
            bool clean = true;
            for (int i = 0; i < listeners.Length; i++)
            {
                ConnectionListener? l = listeners[i];
                if (l != null && !l.Stop(timeoutMs)) clean = false;
            }
            return clean;
        }

        private static int Sum(ConnectionListener?[] listeners, bool refused)
        {
            int n = 0;
            for (int i = 0; i < listeners.Length; i++)
            {
                ConnectionListener? l = listeners[i];
                if (l != null) n += refused ? l.Refused : l.Accepted;
            }
            return n;
        }
    }
}
