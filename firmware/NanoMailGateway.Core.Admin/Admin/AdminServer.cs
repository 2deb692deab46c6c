// The HTTP admin endpoint (README, "Admin endpoint"): one listen socket from admin_listen,
// ONE session slot (an operator, a browser, a Prometheus scraper: one at a time, the next
// waits in the backlog or is told 503), two session buffers rented from the gateway's
// pool per request (input; output), or 503 when the pool has none. Clients only from
// trusted_networks (else 403 and close); every request needs Basic authentication
// (RFC 7617) as the postmaster account.
// It sits above Core.Gateway and is composed beside MailGateway by the emulator or the
// board app, so a board without admin_listen neither loads nor pays for it.
// Left out on purpose: TLS (the board has no server TLS on the small heaps; keep the
// endpoint on a management LAN), more than one account, keep-alive.

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>The admin endpoint: session factory and lifetime. Start and Stop from one thread.</summary>
    public sealed class AdminServer : ISessionFactory
    {
        /// <summary>Concurrent admin sessions.</summary>
        public const int Slots = 1;

        /// <summary>Buffers a session rents: request in, response out.</summary>
        public const int BuffersPerSession = 2;

        /// <summary>Pending connections on the admin socket.</summary>
        public const int Backlog = 2;

        private const string BusyResponse = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\nRetry-After: 1\r\n\r\nbusy\n";

        private readonly INetwork _network;
        private readonly AccountDirectory _accounts;
        private ConnectionListener? _listener;

        /// <summary>
        /// Prepares the endpoint of a started <paramref name="gateway"/>. <paramref name="log"/> must be
        /// the log the gateway writes to (its counters and ring feed the page).
        /// </summary>
        public AdminServer(MailGateway gateway, AdminLog log, INetwork network, IClock clock, IRandom random, AdminOptions options)
        {
            Gateway = gateway;
            Log = log;
            _network = network;
            Clock = clock;
            Options = options;
            Control = new QueueControl(gateway.Store, gateway.Delivery!, clock, log);
            _accounts = SmtpServerSetup.AccountsFrom(gateway.Config);
            // A per-start secret for the page's forms: a cross-site page cannot read it (same-origin policy).
            byte[] t = new byte[12];
            random.NextBytes(t, 0, t.Length);
            Token = Hex(t);
            Endpoint = "";
        }

        internal MailGateway Gateway { get; }
        internal AdminLog Log { get; }
        internal IClock Clock { get; }
        internal AdminOptions Options { get; }
        internal QueueControl Control { get; }
        internal string Token { get; }

        /// <summary>The bound endpoint ("127.0.0.1:8025"), valid after Start.</summary>
        public string Endpoint { get; private set; }

        /// <summary>Requests answered since start.</summary>
        public int Accepted => _listener == null ? 0 : _listener.Accepted;

        /// <inheritdoc/>
        public string Component => "httpd";

        /// <summary>Listens on <paramref name="endpoint"/> with its own accept thread.</summary>
        /// <exception cref="ConnectionException">the address is in use or not local.</exception>
        public void Start(Endpoint endpoint)
        {
            ITcpListener socket = _network.Listen(endpoint.Host, endpoint.Port, Backlog);
            Endpoint = socket.LocalEndPoint;
            _listener = new ConnectionListener(socket, this, Slots, Log);
            _listener.Start();
        }

        /// <summary>Closes the socket and ends a running session within <paramref name="timeoutMs"/>.</summary>
        public void Stop(int timeoutMs)
        {
            if (_listener != null) _listener.Stop(timeoutMs);
        }

        /// <inheritdoc/>
        public ISession? TryCreate(IConnection connection, int sessionId)
        {
            byte[][]? buffers = Gateway.Pool.TryRentSet(BuffersPerSession);
            if (buffers == null) return null;
            return new AdminSession(this, connection, buffers, sessionId);
        }

        /// <inheritdoc/>
        public void Refuse(IConnection connection)
        {
            ConnectionListener.SendBusyLine(connection, Ascii.GetBytes(BusyResponse), Options.SendTimeoutMs);
        }

        internal bool IsTrusted(string address)
        {
            return Gateway.Config.TrustedNetworks.Contains(address);
        }

        internal bool Verify(string user, string password)
        {
            return user == Gateway.Config.Postmaster && _accounts.Verify(user, password);
        }

        internal long FreeHeapBytes()
        {
            FreeHeapProbe? p = Options.FreeHeap;
            return p == null ? -1 : p();
        }

        private static string Hex(byte[] b)
        {
            char[] c = new char[b.Length * 2];
            for (int i = 0; i < b.Length; i++)
            {
                c[2 * i] = Digit(b[i] >> 4);
                c[2 * i + 1] = Digit(b[i] & 15);
            }
            return new string(c);
        }

        private static char Digit(int v)
        {
            return (char)(v < 10 ? '0' + v : 'a' + v - 10);
        }
    }
}
