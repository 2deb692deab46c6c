// nmg run: starts the gateway on this host with a board's limits, prints the board, its
// limits, the endpoints and the data directory, logs in the Postfix style, and stops
// cleanly on Ctrl-C (SIGINT) or SIGTERM with exit code 0.

using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Gateway;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Emulator.Cli
{
    public static class RunCommand
    {
        /// <summary>Data directory when --data is not given, relative to the working directory.</summary>
        public const string DefaultDataDir = "nmg-data";

        /// <summary>The verb entry point: runs until SIGINT or SIGTERM.</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            return CommandLine.RunVerb(Create(stdout, stderr), args, stdout, stderr);
        }

        /// <summary>
        /// Runs until <paramref name="stop"/> is cancelled. <paramref name="started"/> is
        /// called once the gateway listens (tests use it to learn the bound endpoints).
        /// </summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken stop, Action<EmulatorGateway>? started)
        {
            return CommandLine.RunVerb(Define((c, b, d) => Serve(c, b, d, stdout, stderr, stop, started)), args, stdout, stderr);
        }

        public static Command Create(TextWriter stdout, TextWriter stderr)
        {
            return Define((c, b, d) => ServeUntilSignal(c, b, d, stdout, stderr));
        }

        /// <summary>The verb's options; <paramref name="serve"/> gets --config, --board and --data (null when not given).</summary>
        private static Command Define(Func<string?, string?, string?, int> serve)
        {
            Option<string> config = CommandLine.Value("--config", "FILE",
                "main.cf-style settings (default: built-in defaults on loopback: SMTP 127.0.0.1:2525, POP3 127.0.0.1:1110)");
            Option<string> board = CommandLine.Value("--board", "NAME|FILE.conf",
                "board profile from the boards/ folder beside nmg, or a .conf path (default: " + ConfigLoader.DefaultBoard + ")");
            Option<string> data = CommandLine.Value("--data", "DIR",
                "where queue, mailboxes and accounts live (default: ./" + DefaultDataDir + ")");
            var verb = new CliVerb("run", "run the gateway on this host with a board's limits",
                "At first start a 'postmaster' account gets a random password, printed once and kept\n" +
                "in DIR/accounts. Stops on Ctrl-C or SIGTERM.\n" +
                "Exit codes: 0 stopped, 64 bad option or unknown board, 66 config file missing,\n" +
                "71 cannot listen, 73 cannot create the data directory, 74 queue files unreadable,\n" +
                "78 bad configuration.")
            {
                config, board, data,
            };
            verb.SetAction(r => serve(r.GetValue(config), r.GetValue(board), r.GetValue(data)));
            return verb;
        }

        private static int ServeUntilSignal(string? configPath, string? board, string? dataDir, TextWriter stdout, TextWriter stderr)
        {
            using var stop = new CancellationTokenSource();
            Action<PosixSignalContext> onSignal = ctx =>
            {
                ctx.Cancel = true; // we stop ourselves, cleanly
                stop.Cancel();
            };
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
            return Serve(configPath, board, dataDir, stdout, stderr, stop.Token, null);
        }

        private static int Serve(string? configPath, string? board, string? dataDir, TextWriter stdout, TextWriter stderr, CancellationToken stop, Action<EmulatorGateway>? started)
        {
            LoadResult loaded = ConfigLoader.Load(board, configPath);
            if (loaded.Config == null)
            {
                stderr.WriteLine("nmg: " + loaded.Error);
                return loaded.ExitCode;
            }
            GatewayConfig config = loaded.Config;

            string data = Path.GetFullPath(dataDir ?? DefaultDataDir);
            var random = new HostRandom();
            string? password;
            try
            {
                Directory.CreateDirectory(data);
                password = AccountsFile.Apply(config, data, random);
            }
            catch (InvalidDataException e)
            {
                stderr.WriteLine("nmg: " + e.Message);
                return ExitCodes.Config;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                stderr.WriteLine("nmg: cannot use data directory " + data + ": " + e.Message);
                return ExitCodes.CantCreate;
            }

            var clock = new SystemClock();
            ILog log = new ConsoleLog(config.Hostname, clock, stdout);
            if (config.SyslogServer != null)
            {
                // Every line also to the syslog server (README, Remote syslog).
                log = new NanoMailGateway.Core.Syslog.SyslogLog(log, new HostSocketNetwork().OpenUdp(0), config.SyslogServer.Host, config.SyslogServer.Port, clock, config.Hostname);
            }
            EmulatorGateway gateway;
            try
            {
                gateway = new EmulatorGateway(config, data, clock, random, log);
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine("nmg: " + e.Message);
                return ExitCodes.Config;
            }
            catch (StorageException e)
            {
                stderr.WriteLine("nmg: " + e.Message);
                return ExitCodes.CantCreate;
            }
            using var stopper = gateway;
            try
            {
                gateway.Start();
            }
            catch (ConnectionException e)
            {
                stderr.WriteLine("nmg: " + e.Message);
                return ExitCodes.OsErr;
            }
            catch (StorageException e)
            {
                stderr.WriteLine("nmg: queue in " + data + " unusable: " + e.Message);
                return ExitCodes.IoErr;
            }
            catch (ArgumentException e)
            {
                // QueueOptions: storage_capacity too small for the queue's reserve.
                stderr.WriteLine("nmg: board " + config.Board.Name + ": " + e.Message);
                return ExitCodes.Config;
            }

            PrintSummary(stdout, config, gateway, data, configPath, password);
            log.Write("master", 0, "daemon started -- board " + config.Board.Name + ", configuration " + (configPath ?? "built-in defaults") + ", data " + data);
            started?.Invoke(gateway);
            stop.WaitHandle.WaitOne();
            log.Write("master", 0, "terminating on signal");
            gateway.Stop();
            return ExitCodes.Ok;
        }

        private static void PrintSummary(TextWriter o, GatewayConfig c, EmulatorGateway g, string data, string? configPath, string? password)
        {
            BoardProfile b = c.Board;
            o.WriteLine("nmg: board " + b.Name + ": heap " + Size(b.HeapBytes) + ", storage " + Size(b.StorageCapacity) + ", " + N(b.MaxSockets) + " sockets");
            o.WriteLine("nmg: limits: buffers " + N(b.BufferCount) + " x " + N(b.BufferSize) + " bytes (" + Size((int)b.PoolBytes) + "), sessions smtp "
                + N(b.SmtpSessions) + " pop3 " + N(b.Pop3Sessions) + " delivery " + N(b.DeliverySessions)
                + ", message_size_limit " + Size(c.MessageSizeLimit) + ", max_recipients " + N(c.MaxRecipients)
                + ", queue " + N(b.QueueMaxMessages) + " messages, mailbox_quota " + Size(b.MailboxQuota)
                + ", tls_server " + (b.TlsServer ? "yes" : "no"));
            o.WriteLine("nmg: config: " + (configPath ?? "built-in defaults"));
            foreach (string e in g.SmtpEndpoints) o.WriteLine("nmg: smtp listening on " + e);
            foreach (string e in g.Pop3Endpoints) o.WriteLine("nmg: pop3 listening on " + e);
            foreach (string e in g.Gateway.ImapEndpoints) o.WriteLine("nmg: imap listening on " + e);
            if (g.AdminEndpoint != null) o.WriteLine("nmg: admin listening on http://" + g.AdminEndpoint + "/");
            o.WriteLine("nmg: queue: " + N(g.Gateway.QueueCount) + " messages recovered");
            o.WriteLine("nmg: data in " + data);
            if (password != null)
            {
                o.WriteLine("nmg: created account '" + c.Postmaster + "' with password " + password + " (shown once; kept in " + Path.Combine(data, AccountsFile.FileName) + ")");
            }
            o.Flush();
        }

        private static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>Bytes in the config's own units (64K, 1536K, 3M) so that the output can be pasted back.</summary>
        internal static string Size(int bytes)
        {
            if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return N(bytes / (1024 * 1024)) + "M";
            if (bytes >= 1024 && bytes % 1024 == 0) return N(bytes / 1024) + "K";
            return N(bytes);
        }
    }
}
