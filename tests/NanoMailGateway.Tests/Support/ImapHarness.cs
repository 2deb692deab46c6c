// Runs the IMAP server in-process for tests over the real mailbox store: a MessageStore
// on the flash simulator, its MailboxStore (the one POP3 uses), accounts, and the server
// on in-memory connections (transcripts) or on a real loopback socket through Core's
// ConnectionListener (interop with imaplib, curl, MailKit, fetchmail, neomutt).

using System;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Imap;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Support
{
    /// <summary>An IMAP server over a flash-simulated queue with accounts alice/secret and bob/hunter2.</summary>
    public sealed class ImapHarness : IDisposable
    {
        private ConnectionListener? _listener;
        private NanoMailGateway.Core.Platform.ITcpListener? _socket;

        public ImapHarness(Action<ImapServerOptions>? configure = null, int bufferSize = 1024, int buffers = 8, string trusted = "192.0.2.0/24, 127.0.0.0/8")
        {
            Flash = new FlashSimulator(512 * 1024, 5);
            Store = MessageStore.Open(Flash, QueueOptions.ForCapacity(512 * 1024, 64), new StepClock());
            Mailboxes = new MailboxStore(Store);
            Options = new ImapServerOptions { AutologoutMs = 10_000, IdlePollMs = 50 };
            configure?.Invoke(Options);
            var accounts = new AccountDirectory();
            accounts.Add("alice", "secret");
            accounts.Add("bob", "hunter2");
            Pool = new BufferPool("imap", bufferSize, buffers);
            Log = new QuietLog(true);
            var clock = new StepClock();
            Throttle = new AuthThrottle(clock, 1, 20, AuthThrottle.DefaultAddresses, AuthThrottle.DefaultMemoryMs);
            Server = new ImapServer(Options, Mailboxes, accounts, Throttle, null, NetworkList.Parse(trusted.Split(", "), out _)!, Pool, clock, Log);
        }

        public FlashSimulator Flash { get; }

        /// <summary>Failed logins wait 1 ms, doubling to 20 ms.</summary>
        public AuthThrottle Throttle { get; }
        public MessageStore Store { get; }
        public MailboxStore Mailboxes { get; }
        public ImapServerOptions Options { get; }
        public BufferPool Pool { get; }
        public QuietLog Log { get; }
        public ImapServer Server { get; }

        /// <summary>Files a message into <paramref name="mailbox"/> as local delivery does; returns its UID.</summary>
        public long Deliver(string mailbox, string text)
        {
            var env = new Envelope("sensor@plant.example");
            env.AddRecipient(new EnvelopeRecipient(mailbox + "@gw.example", true, DsnNotify.Never, null));
            IMessageWriter w = Store.BeginLocalMessage(env)!;
            byte[] b = Encoding.Latin1.GetBytes(text);
            w.Write(b, 0, b.Length);
            w.Commit();
            return Store.SetStatus(Store.Find(w.QueueId)!, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", mailbox, 0)).Uid;
        }

        /// <summary>Starts a session from <paramref name="clientAddress"/> over an in-memory connection.</summary>
        public Pop3TestClient Connect(string clientAddress = "192.0.2.10")
        {
            MemoryConnection.CreatePair(clientAddress, "192.0.2.1", out var client, out var server);
            var t = new Thread(() => Server.Serve(server)) { IsBackground = true, Name = "imap session" };
            t.Start();
            return new Pop3TestClient(client, t);
        }

        /// <summary>Connects, reads the greeting and logs in as alice.</summary>
        public Pop3TestClient Login(string user = "alice", string password = "secret")
        {
            var c = Connect();
            string greeting = c.ReadLine();
            if (!greeting.StartsWith("* OK ", StringComparison.Ordinal)) throw new InvalidOperationException(greeting);
            c.Send("a0 LOGIN " + user + " " + password + "\r\n");
            string r = c.ReadLine();
            if (!r.StartsWith("a0 OK", StringComparison.Ordinal)) throw new InvalidOperationException("login failed: " + r);
            return c;
        }

        /// <summary>Listens on a free loopback port with Core's listener (<paramref name="slots"/> sessions); returns the port.</summary>
        public int ListenOnLoopback(int slots = 4)
        {
            _socket = new HostSocketNetwork().Listen("127.0.0.1", 0, 8);
            _listener = new ConnectionListener(_socket, Server, slots, Log);
            _listener.Start();
            return _socket.LocalPort;
        }

        public void Dispose()
        {
            _listener?.Stop(2000);
        }

    }
}
