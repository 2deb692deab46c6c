// The composed gateway the protocol checks run against, as the board app composes it
// (firmware/NanoMailGateway/Program.cs): MailGateway on the esp32-wroom-32 profile with
// SMTP, POP3 and IMAP listeners, the IMAP server added as its mailbox service, and the
// admin endpoint beside it on the gateway's log (AdminLog), all on a MemoryNetwork with
// the FlashSimulator as flash and a StepClock (time stands still: deferred mail stays
// deferred, autologout never comes). Clients dial in as LineClients.
// A listener has one slot per session (README, Supported boards: imap_sessions = 1 and
// the admin endpoint's one slot): a client that dials the moment the previous session
// ends can find the slot still taken and be told busy after the slot grace
// (ConnectionListener.DefaultSlotWaitMs, short for the interpreter); Dial then waits and
// dials again, since the checks look at the sessions, not at that race.
// Left out on purpose: TLS (no server TLS on these boards), syslog.

using System.Threading;
using NanoMailGateway.Core.Admin;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Imap;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;

namespace NanoMailGateway.SelfTest
{
    /// <summary>A running gateway with IMAP and the admin endpoint, on in-memory network and flash.</summary>
    public sealed class ProtocolGateway
    {
        /// <summary>Ports of the listeners in <see cref="MainCf"/>.</summary>
        public const int SmtpPort = 25;
        /// <summary>POP3 port.</summary>
        public const int Pop3Port = 110;
        /// <summary>IMAP port.</summary>
        public const int ImapPort = 143;
        /// <summary>Admin endpoint port.</summary>
        public const int AdminPort = 8025;

        /// <summary>The local account whose mailbox the checks read.</summary>
        public const string User = "alice";
        /// <summary>Its password.</summary>
        public const string Password = "secret";

        // Small pipes: the writer waits for the reader (MemoryNetwork), and here the
        // network's buffers are managed heap. An admin request fits its pipe whole, since
        // the endpoint may answer busy without reading it.
        private const int PipeCapacity = 128;
        private const int AdminPipeCapacity = 512;
        private const int Redials = 20;
        private const int RedialWaitMs = 250;
        private const int PollMs = 20;
        private const int WaitMs = 120000;

        private const string MainCf =
            "hostname = gw.example.org\n" +
            "smtp_listen = 192.0.2.1:25\n" +
            "pop3_listen = 192.0.2.1:110\n" +
            "imap_listen = 192.0.2.1:143\n" +
            "admin_listen = 192.0.2.1:8025\n" +
            "trusted_networks = 192.0.2.0/24\n" +
            "dns_servers = " + ScriptedDnsNetwork.ServerAddress + "\n" +
            "user.alice = secret\n" +
            "user.postmaster = admin-secret\n";

        private readonly AdminNetwork _net;
        private readonly QuietLog _quiet = new QuietLog();
        private int _dials;

        /// <summary>Composes and starts the gateway and its admin endpoint.</summary>
        public ProtocolGateway()
        {
            GatewayConfig c = new GatewayConfig();
            Expect.Null(ConfigParser.Parse(BoardProfiles.Wroom32, "esp32-wroom-32.conf", c, true), "profile error");
            Expect.Null(ConfigParser.Parse(MainCf, "main.cf", c, false), "main.cf error");
            Expect.Null(ConfigValidator.Validate(c), "validator error");
            Config = c;
            _net = new AdminNetwork(new MemoryNetwork(new ScriptedMx("nobody@example.net", "end")), AdminPort);
            Flash = new FlashSimulator(c.Board.StorageCapacity, 43);
            Clock = new StepClock();
            CountingRandom random = new CountingRandom();
            AdminLog log = new AdminLog(_quiet, Clock, 4);
            Gateway = new MailGateway(c, new GatewayPlatform(_net, Flash, null, null, Clock, random, log));
            Gateway.AddMailboxService(new ImapServer(ImapServer.OptionsFrom(c), SmtpServerSetup.AccountsFrom(c),
                Gateway.Throttle, null, c.TrustedNetworks, Clock, log));
            Gateway.Start();
            Admin = new AdminServer(Gateway, log, _net, Clock, random, new AdminOptions());
            Admin.Start(c.AdminListen!);
        }

        /// <summary>The configuration it runs with.</summary>
        public GatewayConfig Config { get; }

        /// <summary>The gateway's flash, kept for reopening the queue after Stop.</summary>
        public FlashSimulator Flash { get; }

        /// <summary>The gateway's clock.</summary>
        public StepClock Clock { get; }

        /// <summary>The running gateway.</summary>
        public MailGateway Gateway { get; }

        /// <summary>The running admin endpoint.</summary>
        public AdminServer Admin { get; }

        /// <summary>The last line the gateway logged, for failure messages.</summary>
        public string LastLog => _quiet.Last;

        /// <summary>Stops the admin endpoint and the gateway; false when a session did not end in time.</summary>
        public bool Stop()
        {
            Admin.Stop(10000);
            return Gateway.Stop(10000);
        }

        /// <summary>
        /// Connects to <paramref name="port"/> from a trusted address and sends
        /// <paramref name="request"/> (may be empty), dialling again while the one slot is
        /// still taken (the first line starts with <paramref name="busy"/>); returns the
        /// client and its first line in <paramref name="first"/>.
        /// </summary>
        public LineClient Dial(int port, string request, string busy, out string first)
        {
            for (int attempt = 0; ; attempt++)
            {
                _dials++;
                LineClient client = _net.Inner.Dial(port, "192.0.2." + (10 + _dials % 200).ToString(), PipeCapacity);
                if (request.Length > 0) client.Send(request);
                string? line = client.ReadLine();
                if (line == null) Expect.Fail("port " + port.ToString() + " closed without a word");
                if (line!.Length < busy.Length || line.Substring(0, busy.Length) != busy || attempt == Redials)
                {
                    first = line;
                    return client;
                }
                client.Close();
                Thread.Sleep(RedialWaitMs);
            }
        }

        /// <summary>
        /// Sends <paramref name="request"/> to the admin endpoint from <paramref name="clientAddress"/>,
        /// sending it again while the endpoint's one slot is still taken (503); returns the
        /// client with the status code read from the status line in <paramref name="status"/>.
        /// </summary>
        public AdminClient Request(string request, string clientAddress, out int status)
        {
            for (int attempt = 0; ; attempt++)
            {
                AdminClient client = _net.DialAdmin(clientAddress, AdminPipeCapacity);
                client.Send(request);
                string? line = client.ReadLine();
                if (line == null || line.Length < 13 || line.Substring(0, 9) != "HTTP/1.1 ") Expect.Fail("status line: " + (line == null ? "none" : line));
                status = (line![9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
                if (status != 503 || attempt == Redials) return client;
                client.Close();
                Thread.Sleep(RedialWaitMs);
            }
        }

        /// <summary>
        /// Sends one message over SMTP from a sensor to <paramref name="recipient"/>, the body
        /// ending in <paramref name="lastLine"/>; returns its queue id.
        /// </summary>
        public string Submit(string recipient, string subject, string lastLine)
        {
            LineClient smtp = Dial(SmtpPort, "", "421 ", out string greeting);
            Expect.StartsWith("220 ", greeting, "SMTP greeting");
            // Pipelined (RFC 2920) after EHLO.
            smtp.Send("EHLO sensor7.gw.example.org\r\n");
            smtp.ReadUntil("250 ", "EHLO");
            smtp.Send("MAIL FROM:<sensor7@gw.example.org>\r\nRCPT TO:<" + recipient + ">\r\nDATA\r\n");
            smtp.ReadUntil("250 2.1.0", "MAIL");
            smtp.ReadUntil("250 2.1.5", "RCPT");
            smtp.ReadUntil("354 ", "DATA");
            smtp.Send("From: <sensor7@gw.example.org>\r\nSubject: " + subject + "\r\n\r\n" + lastLine + "\r\n.\r\nQUIT\r\n");
            string queued = smtp.ReadUntil("250 2.0.0 Ok: queued as ", "end of data");
            smtp.ReadUntil("221 ", "QUIT");
            smtp.Close();
            return queued.Substring("250 2.0.0 Ok: queued as ".Length);
        }

        /// <summary>Waits until recipient 0 of message <paramref name="queueId"/> is in <paramref name="state"/>.</summary>
        public void AwaitState(string queueId, RecipientState state)
        {
            for (int waited = 0; ; waited += PollMs)
            {
                QueuedMessage? m = Gateway.Store.Find(queueId);
                if (m != null && m.GetStatus(0).State == state) return;
                if (waited > WaitMs)
                {
                    Expect.Fail("message " + queueId + " did not reach state " + ((int)state).ToString()
                        + (m == null ? " (gone from the queue)" : " (state " + ((int)m.GetStatus(0).State).ToString() + ")")
                        + "; last log line: " + LastLog);
                }
                Thread.Sleep(PollMs);
            }
        }
    }
}
