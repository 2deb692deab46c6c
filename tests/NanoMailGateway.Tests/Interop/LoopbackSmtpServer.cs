// The SMTP listener running in-process on a real loopback socket (HostSocketNetwork), with the
// TinyMessageStore behind it, for interop tests with real clients.

using System;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Core.Smtp;
using NanoMailGateway.Tests.Support;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Interop
{
    public sealed class LoopbackSmtpServer : IDisposable
    {
        private readonly ConnectionListener _listener;

        public LoopbackSmtpServer(Action<SmtpServerOptions>? configure = null, ITlsProvider? tls = null, int sessions = 6)
        {
            Options = new SmtpServerOptions
            {
                HostName = "gw.example.net",
                LocalDomains = new[] { "gw.example.net" },
                MessageSizeLimit = 5_000_000,
                CommandTimeoutMs = 20000,
                DataTimeoutMs = 20000,
            };
            configure?.Invoke(Options);
            Accounts.Add("alice", "s3cret");
            var server = new SmtpServer(Options, Store, new BufferPool("smtp", 4096, sessions * SmtpServer.BuffersPerSession), tls,
                new SetTrustedNetworks(), Accounts, new AuthThrottle(new SystemClock(), 10, 160, 16, 60_000), new SystemClock(), Log);
            ITcpListener l = new HostSocketNetwork().Listen("127.0.0.1", 0, 16);
            _listener = new ConnectionListener(l, server, sessions, Log);
            _listener.Start();
        }

        public SmtpServerOptions Options { get; }
        public TinyMessageStore Store { get; } = new TinyMessageStore();
        public QuietLog Log { get; } = new QuietLog(true);
        public AccountDirectory Accounts { get; } = new AccountDirectory();
        public int Port => _listener.LocalPort;
        public ConnectionListener Listener => _listener;

        public void Dispose() => _listener.Stop(2000);
    }
}
