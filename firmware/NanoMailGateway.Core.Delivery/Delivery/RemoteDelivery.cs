// SMTP delivery of one destination's recipients: the route, the
// connection, and one session reused for every message of the batch.
//   - MX delivery: the resolver's exchangers in order, each address in order; the next
//     address on a connection failure or a refused greeting (RFC 5321 §5.1: try the
//     alternatives in preference order); port smtp_port; STARTTLS whenever offered and
//     a failed handshake retries the same address in plaintext (RFC 7435, Postfix "may").
//   - Smarthost: relayhost ("[host]": that host's own addresses, no MX lookup; a bare
//     name: looked up like a domain, as Postfix does),
//     relay_security starttls or tls with the certificate checked against relay_ca_file
//     and the host name, AUTH with relay_user/relay_password (SmtpClientSession).
//   - One SmtpClientOptions for every connection (DeliveryAgentOptions.Client): the TLS
//     mode, certificate check and credentials, the only settings that differ between MX,
//     plaintext retry and smarthost, are set on each session as it is made, so no copy
//     of the options per kind of server stays on the heap for the run.
//   - DNS: NXDOMAIN, null MX, no address fail the recipients (5.1.2, 5.1.10, 5.4.4);
//     a temporary DNS failure defers them.
//   - A destination that no address answered is remembered as dead for a while: its
//     other messages are deferred without a new connection each (bounded table).
//   - Connection cache (README "Delivery"): a session that delivered its whole batch is
//     kept open, with its two buffers, in its worker's slot instead of QUIT; the next
//     delivery to the same destination by that worker sends RSET on it (RFC 5321
//     §4.1.1.5, as Postfix probes a cached connection) and goes on it when the answer is
//     250, else opens a new one, so a stale connection never costs a recipient a
//     deferral. DeliveryAgent keeps a worker waiting for new mail up to
//     smtp_connection_cache_time_limit (2 s; 0 = off, as on the esp32-c3, whose heap has
//     no room for an idle session) before it releases the slot (QUIT); a connection serves new
//     transactions for ConnectionReuseMs at most. A trickle of alerts to a smarthost then
//     costs one TCP and TLS handshake, not one per message.
//   - Head-of-line (README "Delivery"): while mail for other destinations is due, each
//     wait of the session is cut at DestinationTurnMs (WaitLimit), and after that long the
//     destination starts no new address and no new message: the messages not started
//     stay due, untouched, and come after the others.
// Left out on purpose: IPv6 (the board has none), DANE/MTA-STS, per-host TLS policies.

using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Remote SMTP delivery for one destination at a time. Thread-safe (state per call).</summary>
    internal sealed class RemoteDelivery
    {
        /// <summary>Destination key of every remote recipient when a relayhost is set.</summary>
        public const string RelayKey = "[relayhost]";

        private readonly MessageStore _store;
        private readonly DeliveryAgentOptions _options;
        private readonly INetwork _network;
        private readonly ITlsProvider? _tls;
        private readonly MxResolver _resolver;
        private readonly BufferPool _pool;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly OutcomeRecorder _recorder;
        private readonly DeadDestinations _dead;

        /// <summary>How long after it was opened a connection still takes new transactions (Postfix: smtp_connection_reuse_time_limit).</summary>
        public const int ConnectionReuseMs = 300 * 1000;

        // By worker session number: the session kept open after its last delivery, its
        // destination key and buffers, and when it was opened. Each slot is touched by its
        // own worker only. Null when the cache is off: the esp32-c3 pays nothing for it.
        private readonly KeptSessions? _kept;

        public RemoteDelivery(MessageStore store, DeliveryAgentOptions options, INetwork network, ITlsProvider? tls, MxResolver resolver,
            BufferPool pool, IClock clock, ILog log, OutcomeRecorder recorder)
        {
            _store = store;
            _options = options;
            _network = network;
            _tls = tls;
            _resolver = resolver;
            _pool = pool;
            _clock = clock;
            _log = log;
            _recorder = recorder;
            _dead = new DeadDestinations(options.DeadDestinationEntries);
            if (options.ConnectionCacheMs > 0) _kept = new KeptSessions(options.Sessions + 1);   // workers are 1..Sessions, RunOnce is 0
        }

        /// <summary>True when worker <paramref name="session"/> keeps a connection open.</summary>
        public bool HasKept(int session)
        {
            return _kept != null && session < _kept.Session.Length && _kept.Session[session] != null;
        }

        /// <summary>Ends the connection worker <paramref name="session"/> keeps (QUIT) and returns its buffers.</summary>
        public void ReleaseKept(int session)
        {
            if (!HasKept(session)) return;
            SmtpClientSession s = _kept!.Session[session]!;
            byte[][] buffers = _kept.Buffers[session]!;
            _kept.Clear(session);
            try
            {
                s.Quit();
            }
            finally
            {
                _pool.ReturnSet(buffers);
            }
        }

        /// <summary>
        /// Delivers recipients <paramref name="rcpts"/>[i] of <paramref name="works"/>[i] to
        /// <paramref name="key"/> (a domain or <see cref="RelayKey"/>). Records every outcome.
        /// Returns the recipient attempts made (0 when none could start: no buffer free).
        /// </summary>
        public int Deliver(string key, MessageWork[] works, int[][] rcpts, int session, WaitLimit? limit)
        {
            bool relay = key == RelayKey;
            DeliveryStatus? dead = _dead.Get(key, _clock.MonotonicMilliseconds);
            if (dead != null)
            {
                return RecordAll(works, rcpts, 0, DeliveryStatus.LocalTransient(dead.EnhancedCode, "delivery temporarily suspended: " + dead.Text), OutcomeRecorder.RelayNone, session);
            }
            MxHost[] hosts;
            string target = relay ? _options.RelayHost! : key;
            byte[] ip = new byte[4];
            if (relay && AddressLiteral.TryParseIPv4(target, ip))
            {
                string[] addresses = { target };
                hosts = new MxHost[] { new MxHost(0, target, addresses, 0, true) };
            }
            else
            {
                // "[host]" names the smarthost itself (no MX lookup); a bare name is looked up
                // like a domain, as Postfix does with relayhost.
                MxResult r = relay && !_options.RelayHostMxLookup ? _resolver.ResolveHost(target) : _resolver.Resolve(target);
                if (r.Status != DnsStatus.Ok)
                {
                    DeliveryStatus why = r.IsTemporary
                        ? DeliveryStatus.LocalTransient(r.EnhancedCode, "Host or domain name not found. Name service error for name=" + target + ": " + r.Text)
                        : DeliveryStatus.LocalPermanent(r.EnhancedCode, r.Text);
                    if (r.IsTemporary) _dead.Mark(key, _clock.MonotonicMilliseconds + _options.DeadDestinationMs, why);
                    return RecordAll(works, rcpts, 0, why, OutcomeRecorder.RelayNone, session);
                }
                hosts = r.Hosts;
            }
            // The connection this worker kept: to this destination, its buffers serve either
            // way; to another one, it is ended first (its buffers go back for this one).
            SmtpClientSession? kept = null;
            byte[][]? buffers = null;
            if (HasKept(session))
            {
                if (_kept!.Key[session] != key) ReleaseKept(session);
                else
                {
                    kept = _kept.Session[session];
                    buffers = _kept.Buffers[session];
                    _kept.Clear(session);
                    kept!.Limit = limit;
                    if (_clock.MonotonicMilliseconds - _kept.OpenedMs[session] >= ConnectionReuseMs) kept.Quit();
                    else kept.Probe();
                }
            }
            if (buffers == null) buffers = _pool.TryRentSet(SmtpClientSession.BuffersPerSession);
            if (buffers == null)
            {
                _log.Write("smtp", session, "no buffers free for a session to " + target + "; trying later");
                return 0;
            }
            try
            {
                return Run(key, relay, hosts, works, rcpts, buffers, session, limit, kept);
            }
            finally
            {
                if (!HasKept(session)) _pool.ReturnSet(buffers);
            }
        }

        private int Run(string key, bool relay, MxHost[] hosts, MessageWork[] works, int[][] rcpts, byte[][] buffers, int session, WaitLimit? limit, SmtpClientSession? kept)
        {
            Cursor at = new Cursor();
            at.Limit = limit;
            at.Started = _clock.MonotonicMilliseconds;
            SmtpClientSession? s = kept;
            int attempts = 0;
            int next = 0;
            while (next < works.Length)
            {
                if (next > 0 && TurnOver(at))
                {
                    // The rest stay due, untouched: they come again after the other destinations.
                    _log.Write("smtp", session, key + ": turn over with mail for other destinations waiting; "
                        + (works.Length - next).ToString() + " message(s) left for later");
                    if (s != null) s.Quit();
                    return attempts;
                }
                if (s == null || !s.IsReady)
                {
                    s = OpenNext(relay, hosts, at, buffers, session);
                    if (s == null) break;
                    if (_kept != null && session < _kept.OpenedMs.Length) _kept.OpenedMs[session] = _clock.MonotonicMilliseconds;
                }
                QueuedMessage m = works[next].Message;
                EnvelopeRecipient[] list = new EnvelopeRecipient[rcpts[next].Length];
                for (int i = 0; i < list.Length; i++) list[i] = m.Envelope.GetRecipient(rcpts[next][i]);
                DeliveryResult result = s.Deliver(m.Envelope, list, _store.OpenReader(m));
                for (int i = 0; i < list.Length; i++)
                {
                    _recorder.Apply(works[next], rcpts[next][i], result.Statuses[i], result.Relay, result.RemoteHost, result.DsnPassedOn, session);
                }
                attempts += list.Length;
                next++;
                if (!result.ConnectionUsable) s.Close();
            }
            if (s != null)
            {
                // Kept for the worker's next delivery when the whole batch went (DeliveryAgent
                // ends it when no more mail comes); otherwise QUIT now.
                if (next == works.Length && s.IsReady && _kept != null && session > 0 && session < _kept.Session.Length)
                {
                    _kept.Session[session] = s;
                    _kept.Key[session] = key;
                    _kept.Buffers[session] = buffers;
                }
                else s.Quit();
            }
            if (next == works.Length)
            {
                _dead.Clear(key);
                return attempts;
            }
            // No address took a connection: the last failure speaks for the rest (5xx only
            // when the last exchanger refused with 5xx, RFC 5321 §3.1 greeting).
            DeliveryStatus why = at.LastFailure ?? DeliveryStatus.LocalTransient("4.4.1", "no mail exchanger of " + key + " could be reached");
            if (why.Outcome != DeliveryOutcome.Permanent)
            {
                // The table keeps who said it: the suspended messages' lines name the host too.
                _dead.Mark(key, _clock.MonotonicMilliseconds + _options.DeadDestinationMs,
                    DeliveryStatus.LocalTransient(why.EnhancedCode, DeliveryLogLine.Reason(at.LastRelay, why)));
            }
            return attempts + RecordAll(works, rcpts, next, why, at.LastRelay, session);
        }

        /// <summary>Opens a session with the next address that answers, from the cursor on.</summary>
        private SmtpClientSession? OpenNext(bool relay, MxHost[] hosts, Cursor at, byte[][] buffers, int session)
        {
            int port = relay ? _options.RelayPort : _options.SmtpPort;
            // MX: STARTTLS when offered, certificate unchecked (RFC 7435); smarthost: relay_security.
            SmtpTlsMode mode = !relay ? (_tls == null ? SmtpTlsMode.None : SmtpTlsMode.Opportunistic)
                : _options.RelaySecurity == RelaySecurity.Tls ? SmtpTlsMode.Implicit
                : _options.RelaySecurity == RelaySecurity.StartTls ? SmtpTlsMode.StartTlsRequired : SmtpTlsMode.None;
            while (at.Host < hosts.Length)
            {
                MxHost host = hosts[at.Host];
                // The certificate is checked against the name we were given (relayhost), not an MX target name.
                string name = relay ? _options.RelayHost! : host.Name;
                while (at.Address < host.Addresses.Length)
                {
                    if ((at.Host > 0 || at.Address > 0) && TurnOver(at)) return null;
                    string address = host.Addresses[at.Address];
                    SmtpClientSession? s = TryOpen(name, address, port, relay, mode, at, buffers, session);
                    if (s == null && at.RetryPlain)
                    {
                        _log.Write("smtp", session, name + "[" + address + "]:" + port.ToString() + ": TLS failed, trying plaintext");
                        s = TryOpen(name, address, port, relay, SmtpTlsMode.None, at, buffers, session);
                    }
                    if (s != null) return s;
                    at.Address++;
                }
                at.Host++;
                at.Address = 0;
            }
            return null;
        }

        /// <summary>Connects and opens a session with TLS mode <paramref name="mode"/>; for the smarthost
        /// with its certificate checked (under TLS) and relay_user's credentials.</summary>
        private SmtpClientSession? TryOpen(string name, string address, int port, bool relay, SmtpTlsMode mode, Cursor at, byte[][] buffers, int session)
        {
            at.RetryPlain = false;
            at.LastRelay = OutcomeRecorder.RelayNone;   // no server spoke: the line names it in its text
            IConnection c;
            try
            {
                c = _network.Connect(address, port, at.Limit == null ? _options.ConnectTimeoutMs : at.Limit.Cap(_options.ConnectTimeoutMs));
            }
            catch (ConnectionException e)
            {
                at.LastFailure = DeliveryStatus.LocalTransient("4.4.1", "connect to " + name + "[" + address + "]:" + port.ToString() + ": " + e.Message);
                _log.Write("smtp", session, at.LastFailure.Text);
                return null;
            }
            SmtpClientSession s = new SmtpClientSession(c, _tls, name, _options.Client, buffers[0], buffers[1], _clock, _log, session);
            s.Limit = at.Limit;
            s.TlsMode = mode;
            s.VerifyCertificate = relay && mode != SmtpTlsMode.None;
            if (relay) s.SetCredentials(_options.RelayUser, _options.RelayPassword);
            else s.SetCredentials(null, null);
            if (s.Open()) return s;
            at.LastFailure = s.Failure;
            at.LastRelay = name + "[" + address + "]:" + port.ToString();
            at.RetryPlain = s.TlsHandshakeFailed;
            if (s.Failure != null) _log.Write("smtp", session, name + "[" + address + "]:" + port.ToString() + ": " + s.Failure.Describe());
            return null;
        }

        private int RecordAll(MessageWork[] works, int[][] rcpts, int from, DeliveryStatus status, string relay, int session)
        {
            int n = 0;
            for (int w = from; w < works.Length; w++)
            {
                for (int i = 0; i < rcpts[w].Length; i++)
                {
                    _recorder.Apply(works[w], rcpts[w][i], status, relay, null, false, session);
                    n++;
                }
            }
            return n;
        }

        /// <summary>True when the destination has had its turn and other mail is due.</summary>
        private bool TurnOver(Cursor at)
        {
            return at.Limit != null && _clock.MonotonicMilliseconds - at.Started >= at.Limit.LimitMs && at.Limit.OthersWaiting();
        }

        /// <summary>The connection cache's slots, one per worker session number.</summary>
        private sealed class KeptSessions
        {
            public readonly SmtpClientSession?[] Session;
            public readonly string?[] Key;
            public readonly byte[][]?[] Buffers;
            public readonly long[] OpenedMs;

            public KeptSessions(int slots)
            {
                Session = new SmtpClientSession?[slots];
                Key = Text.StringArray.New(slots);
                Buffers = new byte[slots][][];
                OpenedMs = new long[slots];
            }

            public void Clear(int session)
            {
                Session[session] = null;
                Key[session] = null;
                Buffers[session] = null;
            }
        }

        /// <summary>Where the walk over exchangers and addresses stands, and why the last one failed.</summary>
        private sealed class Cursor
        {
            public int Host;
            public int Address;
            public bool RetryPlain;
            public DeliveryStatus? LastFailure;
            public string LastRelay = OutcomeRecorder.RelayNone;   // "host[ip]:port" of the server that gave LastFailure
            public WaitLimit? Limit;                                // head-of-line limit, or null
            public long Started;                                    // when the destination's turn began, monotonic ms
        }
    }
}
