// `nmg send [-t] [-i|-oi] [-f SENDER] [--server HOST[:PORT]] [--user NAME [--password-file FILE]]
// [--timeout S] [RECIPIENT]...`: submits the message on stdin to a gateway over SMTP, as
// `sendmail -t -i` or msmtp would, so that scripts and cron jobs on other machines can pipe
// mail in. The message is prepared by SubmittedMessage (CRLF, From/Date/Message-ID added,
// Bcc removed, 998-octet lines) and sent by Core's SmtpClientSession over the emulator's
// host sockets, in its Submission mode (SmtpClientOptions.Submission): AUTH PLAIN or LOGIN
// when --user is given and the server offers it, also without TLS; STARTTLS when offered,
// without certificate checks (RFC 7435); no pipelining; and if any recipient is refused the
// transaction is abandoned with RSET, so that a script never takes a partial send for a whole
// one (msmtp's rule). BODY=8BITMIME goes with 8-bit content when offered (RFC 6152).
// Each refusal is one line on stderr: `nmg send: <rcpt>: <reply>`.
// Exit codes (sysexits.h, as sendmail): 0 sent; 75 a 4xx reply, connection refused, a
// timeout or a dropped connection (try again later); 67 a recipient refused with 5.1.x;
// 69 any other 5xx; 68 the server's name does not resolve; 65 a line over 998 octets, no
// recipient, or an address that would need SMTPUTF8; 66 an unreadable password file;
// 64 bad usage, also no --server and no NMG_SERVER.
// Left out on purpose: SMTPUTF8 (Core's client does not speak it, nor does the gateway),
// IPv6 servers (the board's socket adapters are IPv4), certificate verification, DSN options.

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Emulator.Submission;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The `nmg send` verb.</summary>
    public static class SendCommand
    {
        /// <summary>The server when --server is not given.</summary>
        public const string ServerVariable = "NMG_SERVER";

        /// <summary>The AUTH password when --password-file is not given.</summary>
        public const string PasswordVariable = "NMG_PASSWORD";

        private const string Who = "nmg send";
        private const int DefaultPort = 25;
        private const int DefaultTimeoutS = 60;
        private const int BufferBytes = 8192;

        /// <summary>Runs the verb with the arguments after its name; returns the exit code (sysexits.h).</summary>
        public static int Run(string[] args, Stream stdin, Func<string, string?> environment, TextWriter stdout, TextWriter stderr)
        {
            return CommandLine.RunVerb(Create(() => stdin, environment, stdout, stderr), args, stdout, stderr);
        }

        /// <summary>The verb reading the process's stdin and environment.</summary>
        public static Command Create(TextWriter stdout, TextWriter stderr)
        {
            return Create(Console.OpenStandardInput, Environment.GetEnvironmentVariable, stdout, stderr);
        }

        public static Command Create(Func<Stream> stdin, Func<string, string?> environment, TextWriter stdout, TextWriter stderr)
        {
            var recipientsArg = new Argument<string[]>("RECIPIENT")
            {
                Description = "envelope recipients (with -t, added to those of To:, Cc: and Bcc:)",
                Arity = ArgumentArity.ZeroOrMore,
            };
            recipientsArg.Validators.Add(r =>
            {
                // Not a recipient but an option nmg send does not have (the parser takes it for one).
                foreach (string value in r.GetValueOrDefault<string[]>() ?? new string[0])
                {
                    if (value.StartsWith('-'))
                    {
                        r.AddError("unknown option '" + value + "'");
                        return;
                    }
                }
            });
            var fromHeaders = new Option<bool>("-t") { Description = "take recipients from the To:, Cc: and Bcc: fields too" };
            var ignoreDots = new Option<bool>("-i", "-oi") { Description = "a line with a single '.' does not end the input" };
            var sender = new Option<string>("-f")
            {
                HelpName = "SENDER",
                Description = "envelope sender, also the From: when the message has none (default: USER@HOSTNAME; '' for the null sender)",
            };
            var server = new Option<string>("--server")
            {
                HelpName = "HOST[:PORT]",
                Description = "SMTP server, port 25 by default (default: $" + ServerVariable + ")",
                CustomParser = r => ParseServer(r, r.Tokens.Count > 0 ? r.Tokens[0].Value : ""),
            };
            Option<string> user = CommandLine.Value("--user", "NAME", "AUTH as NAME when the server offers AUTH (password from --password-file or $" + PasswordVariable + ")");
            Option<string> passwordFile = CommandLine.Value("--password-file", "FILE", "file whose first line is the AUTH password");
            Option<int> timeout = CommandLine.Seconds("--timeout", 3600, "limit on the connect and on each wait for the server, 1..3600 (default " + DefaultTimeoutS + ")");
            var verb = new CliVerb("send", "send the message on stdin through an SMTP server (sendmail -t -i)",
                "Reads an RFC 5322 message from stdin, adds From:, Date: and Message-ID: when missing, removes\n" +
                "Bcc:, and submits it; if any recipient is refused, nothing is sent and each refusal is\n" +
                "printed as 'nmg send: RECIPIENT: REPLY'.\n" +
                "Exit codes: 0 sent, 64 bad usage or no server, 65 line over 998 octets, no recipient or\n" +
                "non-ASCII address, 66 password file missing, 67 recipient unknown (5.1.x), 68 server name unknown,\n" +
                "69 refused (other 5xx), 75 temporary failure (4xx, connection refused, timeout, connection lost).")
            {
                recipientsArg, fromHeaders, ignoreDots, sender, server, user, passwordFile, timeout,
            };
            verb.SetAction(r =>
            {
                string? target = r.GetValue(server);
                if (target == null)
                {
                    string? fromEnvironment = environment(ServerVariable);
                    if (string.IsNullOrEmpty(fromEnvironment)) return Usage(stderr, "no server: give --server HOST[:PORT] or set " + ServerVariable);
                    target = fromEnvironment;
                }
                if (!SplitServer(target, out string host, out int port)) return Usage(stderr, "bad server '" + target + "' (want HOST[:PORT])");
                string? name = r.GetValue(user);
                string? password = null;
                if (name != null)
                {
                    string? file = r.GetValue(passwordFile);
                    if (file != null)
                    {
                        password = CommandLine.PasswordFile(Who, file, stderr);
                        if (password == null) return ExitCodes.NoInput;
                    }
                    else
                    {
                        password = environment(PasswordVariable);
                        if (password == null) return Usage(stderr, "--user needs --password-file FILE or " + PasswordVariable);
                    }
                }
                string hostName = Dns.GetHostName();
                string from = Unbracketed(r.GetValue(sender) ?? Environment.UserName + "@" + hostName);
                var job = new Job(host, port, name, password, hostName, (r.GetValue(timeout) is int t && t > 0 ? t : DefaultTimeoutS) * 1000);
                return Submit(job, stdin, from, r.GetValue(recipientsArg) ?? new string[0], r.GetValue(fromHeaders), !r.GetValue(ignoreDots), stderr);
            });
            return verb;
        }

        /// <summary>Where to send and how.</summary>
        private sealed record Job(string Host, int Port, string? User, string? Password, string HostName, int TimeoutMs)
        {
            /// <summary>"host:port" for messages.</summary>
            public string Server => Host + ":" + Port.ToString(CultureInfo.InvariantCulture);
        }

        private static int Submit(Job job, Func<Stream> stdin, string from, string[] arguments, bool fromHeaders, bool dotEndsInput, TextWriter stderr)
        {
            SubmittedMessage message;
            try
            {
                var input = new MemoryStream();
                using (Stream s = stdin()) s.CopyTo(input);
                message = SubmittedMessage.Prepare(input.ToArray(), dotEndsInput, from, job.HostName, DateTime.UtcNow);
            }
            catch (FormatException e)
            {
                stderr.WriteLine(Who + ": " + e.Message);
                return ExitCodes.DataErr;
            }
            var recipients = new List<string>();
            foreach (string a in arguments) AddOnce(recipients, Unbracketed(a));
            if (fromHeaders)
            {
                foreach (string a in message.HeaderRecipients) AddOnce(recipients, a);
            }
            if (recipients.Count == 0)
            {
                stderr.WriteLine(Who + ": no recipients (give them as arguments, or use -t with To:, Cc: or Bcc:)");
                return ExitCodes.DataErr;
            }
            string? unsendable = IsAscii(from) ? recipients.Find(a => !IsAscii(a)) : from;
            if (unsendable != null)
            {
                stderr.WriteLine(Who + ": " + unsendable + ": address is not ASCII and would need SMTPUTF8 (RFC 6531), which nmg send does not use");
                return ExitCodes.DataErr;
            }
            var envelope = new Envelope(from) { EightBitMime = message.EightBit };
            var rcpts = new EnvelopeRecipient[recipients.Count];
            for (int i = 0; i < rcpts.Length; i++) rcpts[i] = new EnvelopeRecipient(recipients[i], false, DsnNotify.Unspecified, null);
            return Deliver(job, envelope, rcpts, new MessageBytes(message.Content), stderr);
        }

        private static int Deliver(Job job, Envelope envelope, EnvelopeRecipient[] rcpts, IMessageContent content, TextWriter stderr)
        {
            string address;
            try
            {
                address = Resolve(job.Host);
            }
            catch (SocketException e)
            {
                stderr.WriteLine(Who + ": " + job.Host + ": " + e.Message);
                return e.SocketErrorCode == SocketError.TryAgain ? ExitCodes.TempFail : ExitCodes.NoHost;
            }
            SmtpClientSession? session = Open(job, address, SmtpTlsMode.Opportunistic, out string? failure, out int failureExit);
            if (session == null)
            {
                stderr.WriteLine(Who + ": " + failure);
                return failureExit;
            }
            DeliveryResult result = session.Deliver(envelope, rcpts, content);
            session.Quit();
            int exit = ExitCodes.Ok;
            bool refused = false;
            for (int i = 0; i < rcpts.Length; i++)
            {
                DeliveryStatus s = result.Statuses[i];
                if (s.Outcome == DeliveryOutcome.Sent || !s.IsRemoteReply) continue;
                stderr.WriteLine(Who + ": " + rcpts[i].Address + ": " + s.Describe());
                refused = true;
                exit = Worse(exit, ExitFor(s));
            }
            if (refused) return exit;
            // No refusal: a local failure (a lost connection, the size limit) applies to all.
            foreach (DeliveryStatus s in result.Statuses)
            {
                if (s.Outcome != DeliveryOutcome.Sent)
                {
                    stderr.WriteLine(Who + ": " + job.Server + ": " + s.Describe());
                    return ExitFor(s);
                }
            }
            return ExitCodes.Ok;
        }

        /// <summary>Connects and opens a session (greeting, EHLO, STARTTLS, AUTH); null with the reason when that fails.
        /// An opportunistic STARTTLS whose handshake fails is tried again in plaintext (RFC 7435).</summary>
        private static SmtpClientSession? Open(Job job, string address, SmtpTlsMode tls, out string? failure, out int exit)
        {
            var options = new SmtpClientOptions
            {
                HeloName = job.HostName,
                GreetingTimeoutMs = job.TimeoutMs,
                CommandTimeoutMs = job.TimeoutMs,
                MailTimeoutMs = job.TimeoutMs,
                RcptTimeoutMs = job.TimeoutMs,
                DataInitTimeoutMs = job.TimeoutMs,
                DataBlockTimeoutMs = job.TimeoutMs,
                DataTerminationTimeoutMs = job.TimeoutMs,
                EndTimeoutMs = Math.Min(job.TimeoutMs, 3000),
                TlsHandshakeTimeoutMs = job.TimeoutMs,
                TlsMode = tls,
                User = job.User,
                Password = job.Password,
                Submission = true,
            };
            IConnection connection;
            try
            {
                connection = new HostSocketNetwork().Connect(address, job.Port, job.TimeoutMs);
            }
            catch (ConnectionException e)
            {
                failure = e.Message;
                exit = ExitCodes.TempFail;
                return null;
            }
            var session = new SmtpClientSession(connection, new HostTlsProvider(null, null, null), job.Host, options,
                new byte[BufferBytes], new byte[BufferBytes], new SystemClock(), new QuietLog(), 1);
            if (session.Open())
            {
                failure = null;
                exit = ExitCodes.Ok;
                return session;
            }
            if (session.TlsHandshakeFailed && tls == SmtpTlsMode.Opportunistic) return Open(job, address, SmtpTlsMode.None, out failure, out exit);
            failure = job.Server + ": " + session.Failure!.Describe();
            exit = ExitFor(session.Failure);
            return null;
        }

        /// <summary>The server's IPv4 address: the literal itself, else the name's first A record.</summary>
        private static string Resolve(string host)
        {
            if (IPAddress.TryParse(host, out IPAddress? literal)) return literal.ToString();
            foreach (IPAddress a in Dns.GetHostAddresses(host))
            {
                if (a.AddressFamily == AddressFamily.InterNetwork) return a.ToString();
            }
            throw new SocketException((int)SocketError.HostNotFound);
        }

        /// <summary>sysexits code of a failed status: 4xx and local deferrals 75, 5.1.x 67, other 5xx 69.</summary>
        private static int ExitFor(DeliveryStatus s)
        {
            if (s.Outcome == DeliveryOutcome.Transient) return ExitCodes.TempFail;
            return s.EnhancedCode.StartsWith("5.1.", StringComparison.Ordinal) ? ExitCodes.NoUser : ExitCodes.Unavailable;
        }

        /// <summary>The more telling of two codes: an unknown recipient, then another refusal, then a deferral.</summary>
        private static int Worse(int a, int b)
        {
            int[] order = { ExitCodes.NoUser, ExitCodes.Unavailable, ExitCodes.TempFail, ExitCodes.Ok };
            return Array.IndexOf(order, a) <= Array.IndexOf(order, b) ? a : b;
        }

        private static int Usage(TextWriter stderr, string problem)
        {
            stderr.WriteLine(Who + ": " + problem + " (see " + Who + " --help)");
            return ExitCodes.Usage;
        }

        private static string ParseServer(ArgumentResult r, string value)
        {
            if (!SplitServer(value, out _, out _)) r.AddError("bad --server value '" + value + "' (want HOST[:PORT])");
            return value;
        }

        /// <summary>HOST[:PORT] with a port of 1..65535 (default 25).</summary>
        private static bool SplitServer(string value, out string host, out int port)
        {
            int colon = value.LastIndexOf(':');
            host = colon < 0 ? value : value.Substring(0, colon);
            port = DefaultPort;
            if (colon >= 0 && (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)) return false;
            return host.Length > 0 && host.IndexOf(':') < 0;
        }

        /// <summary>An address without the angle brackets a user may type around it.</summary>
        private static string Unbracketed(string address)
        {
            string a = address.Trim();
            return a.Length >= 2 && a[0] == '<' && a[a.Length - 1] == '>' ? a.Substring(1, a.Length - 2) : a;
        }

        private static void AddOnce(List<string> list, string address)
        {
            if (address.Length > 0 && !list.Contains(address)) list.Add(address);
        }

        private static bool IsAscii(string s)
        {
            foreach (char c in s)
            {
                if (c > 127) return false;
            }
            return true;
        }

        /// <summary>The session's event lines are for a gateway's log; nmg send reports on stderr instead.</summary>
        private sealed class QuietLog : ILog
        {
            public void Write(string component, int session, string text)
            {
            }
        }
    }
}
