// One SMTP server session (RFC 5321) on one connection, on its own thread.
// Shape (ARCHITECTURE.md, Protocol sessions): states named for what they wait for (SmtpSessionState), a
// table of allowed commands per state (SmtpStateTable), one Step method that turns a
// command line into a reply, and one loop that writes replies, counts errors and hangs
// up with 421 4.7.0 at the limit.
// - PIPELINING (RFC 2920): replies are collected and sent when the input buffer is
//   empty, i.e. just before the session would block for more input, so a batch gets
//   its replies in order and in one send.
// - Command lines are at most 512 octets (RFC 5321 §4.5.3.1.4): a longer one is drained
//   to its LF and answered 500 5.5.2. DSN is advertised only when the input buffer holds
//   the longer lines it allows (RFC 3461 §3: MAIL 612, RCPT 1012 octets), and then only
//   MAIL and RCPT may use them. Without DSN advertised, DSN parameters that fit 512
//   octets are still taken and honoured (a 555 would cost a sloppy client its mail).
//   Lines come from LineChannel: a command must be complete within the command timeout
//   from its first octet (§4.5.3.2.7), and an over-long line counts as an error.
// - STARTTLS (RFC 3207): after 220, buffered plaintext is discarded (CVE-2011-0411) and
//   the session starts over at EHLO with no AUTH.
// - DATA streams through DotReader and MessageSink into IMessageWriter; 250 only after
//   Commit returned (ARCHITECTURE.md, Flash format). That part is in SmtpServerSession.Data.cs,
//   the AUTH handlers in SmtpServerSession.Auth.cs.
// Left out on purpose: BDAT/CHUNKING, SMTPUTF8, reverse DNS, greylisting.

using System;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Lines;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>An SMTP server session. Run on one thread; Abort may come from another.</summary>
    public sealed partial class SmtpServerSession : ISession
    {
        /// <summary>RFC 5321 §4.5.3.1.4: command line including CRLF.</summary>
        public const int MaxCommandLine = SmtpLineLimits.CommandLine;

        /// <summary>
        /// Slowest DATA accepted, octets per second: the content must arrive within the DATA timeout plus
        /// one second per this many octets received, or the session ends with 421 4.4.2 (as Postfix's
        /// smtpd_min_data_rate, whose default this is). A sensor sends kilobytes at Wi-Fi speed; a client
        /// dripping a byte every few seconds would otherwise hold one of the board's 1-3 slots for ever.
        /// A constant, not an option: every option is heap for the whole run (ARCHITECTURE.md, Memory).
        /// </summary>
        public const int MinDataRate = 500;

        /// <summary>
        /// NOOP, RSET, VRFY, HELP, HELO and EHLO a session may send in a row, without a MAIL command in
        /// between; one more ends it with 421 4.7.0 (Postfix smtpd_junk_command_limit, there 100: a board
        /// has 1-3 slots, so less).
        /// </summary>
        public const int JunkCommandLimit = 20;

        // A step that wrote its reply into the output itself returns this (no reply is empty).
        private const string Written = "";

        // The longest EHLO reply: nine lines, a 255-octet host name (RFC 1035 §2.3.4).
        private const int MaxEhloReply = 255 + 160;

        private enum After { Nothing, ReadData, StartTls, Close }

        private readonly SmtpServer _server;
        private readonly SmtpServerOptions _options;
        private readonly int _id;
        private readonly byte[][] _buffers;
        private readonly LineChannel _lines;   // buffers[0] in, buffers[1] out
        private readonly SmtpPath _path = new SmtpPath();
        private readonly SmtpParameters _parameters = new SmtpParameters();
        private readonly MessageSink _sink;   // DATA goes straight into the queue writer's buffer: no third pool buffer
        private readonly DotReader _dot;
        private SaslServer? _sasl;   // made at the first AUTH: most sessions (a sensor on a trusted network) never send one
        private int _authFailures;
        private readonly bool _dsn;        // DSN advertised: the input buffer holds a 1012-octet RCPT line
        private readonly int _lineLimit;   // longest line ReadLine reads whole
        private SmtpSessionState _state;
        private After _after;
        private string _helo = "";
        private bool _extended;
        private bool _trusted;
        private string? _authUser;
        private Envelope? _envelope;
        private IMessageWriter? _writer;
        private int _errors;
        private int _junk;                 // junk commands since the session began or the last MAIL

        internal SmtpServerSession(SmtpServer server, IConnection connection, int id, byte[][] buffers)
        {
            _server = server;
            _options = server.Options;
            _id = id;
            _buffers = buffers;
            _lines = new LineChannel(connection, buffers[0], buffers[1], server.Clock, _options.SendTimeoutMs);
            _sink = new MessageSink();
            _dot = new DotReader(_sink);
            // RFC 3461 §3: a server that advertises DSN must take MAIL lines of 612 and RCPT
            // lines of 1012 octets; with a smaller buffer it does not advertise DSN and keeps
            // the plain 512 of RFC 5321 §4.5.3.1.4.
            _dsn = buffers[0].Length >= SmtpLineLimits.DsnRcptLine;
            _lineLimit = _dsn ? SmtpLineLimits.DsnRcptLine : MaxCommandLine;
        }

        /// <summary>The state, for tests and logs.</summary>
        public SmtpSessionState State => _state;

        /// <summary>Failed AUTH attempts in this session.</summary>
        public int AuthFailures => _authFailures;

        /// <inheritdoc/>
        public void Abort()
        {
            _lines.Connection.Close();
        }

        /// <inheritdoc/>
        public void Run()
        {
            string client = _lines.Connection.RemoteAddress;
            try
            {
                _trusted = _server.Trusted.Contains(client);
                Log("connect from [" + client + "]" + (_trusted ? " (trusted)" : ""));
                Write(_server.Greeting);
                while (_after != After.Close)
                {
                    LineResult r = _lines.ReadLine(_lineLimit, _options.CommandTimeoutMs, long.MaxValue); // RFC 5321 §4.5.3.2.7
                    if (r == LineResult.Closed) break;
                    if (r == LineResult.TimedOut)
                    {
                        Write(SmtpReplies.Timeout); // RFC 5321 §4.5.3.2.7
                        Log("timeout after " + SmtpStateTable.Name(_state));
                        break;
                    }
                    string reply = r == LineResult.TooLong ? TooLong() : Step(_lines.Input, _lines.LineStart, _lines.LineLength);
                    Write(reply);
                    if (_after == After.ReadData) ReadData();
                    else if (_after == After.StartTls) StartTls();
                }
                _lines.Flush();
            }
            catch (ConnectionException e)
            {
                Log("lost connection after " + SmtpStateTable.Name(_state) + ": " + e.Message);
            }
            finally
            {
                AbortMessage();
                _lines.Connection.Close();
                _server.Pool.ReturnSet(_buffers);
                Log("disconnect from [" + client + "]");
            }
        }

        // ---- the step: one command line in, one reply out ----

        private string Step(byte[] b, int offset, int count)
        {
            if (_state == SmtpSessionState.WaitingForAuthResponse)
            {
                return _lines.LineOctets > MaxCommandLine ? TooLong() : AuthResponse(b, offset, count);
            }
            int arg;
            SmtpVerb verb = SmtpCommand.Parse(b, offset, count, out arg);
            if (_lines.LineOctets > LineLimit(verb)) return TooLong();
            int end = SmtpCommand.TrimEnd(b, offset, offset + count);
            if (!SmtpStateTable.IsAllowed(_state, verb)) return SmtpStateTable.Refusal(_state, verb);
            if (IsJunk(verb) && ++_junk > JunkCommandLimit)
            {
                Log("too many junk commands after " + SmtpStateTable.Name(_state));
                return SmtpReplies.TooManyJunkCommands; // a 421: Write closes
            }
            switch (verb)
            {
                case SmtpVerb.Ehlo: return Hello(b, arg, end, true);
                case SmtpVerb.Helo: return Hello(b, arg, end, false);
                case SmtpVerb.Mail:
                    _junk = 0;   // an attempt to move mail, refused or not, ends a run of junk
                    return Mail(b, arg, end);
                case SmtpVerb.Rcpt: return Rcpt(b, arg, end);
                case SmtpVerb.Data: return Data(arg, end);
                case SmtpVerb.Rset:
                    ResetTransaction();
                    return SmtpReplies.Ok;
                case SmtpVerb.Noop: return SmtpReplies.Ok;
                case SmtpVerb.Quit:
                    _after = After.Close;
                    return SmtpReplies.Bye;
                case SmtpVerb.Vrfy: return SmtpReplies.CannotVerify; // RFC 5321 §3.5.3: 252
                case SmtpVerb.Help: return SmtpReplies.Help;
                case SmtpVerb.StartTls: return StartTlsCommand(arg, end);
                case SmtpVerb.Auth: return Auth(b, arg, end);
                case SmtpVerb.Expn: return SmtpReplies.NotImplemented;
                default: return SmtpReplies.UnknownCommand;
            }
        }

        // Commands that move no mail: a client that only sends these holds a slot for nothing
        // (Postfix smtpd_junk_command_limit counts NOOP, VRFY, ETRN and RSET; HELO, EHLO and HELP too here).
        private static bool IsJunk(SmtpVerb verb)
        {
            return verb == SmtpVerb.Noop || verb == SmtpVerb.Rset || verb == SmtpVerb.Vrfy || verb == SmtpVerb.Help
                || verb == SmtpVerb.Helo || verb == SmtpVerb.Ehlo;
        }

        // A line over its limit (RFC 5321 §4.5.3.1.4; RFC 4954 §6 500 5.5.6 for an AUTH
        // response, which also ends the exchange).
        private string TooLong()
        {
            return _state == SmtpSessionState.WaitingForAuthResponse ? AuthAbandoned(SmtpReplies.AuthLineTooLong) : SmtpReplies.LineTooLong;
        }

        // RFC 3461 §3: with DSN advertised, MAIL may be 100 and RCPT 500 octets longer.
        private int LineLimit(SmtpVerb verb)
        {
            if (_dsn && verb == SmtpVerb.Mail) return SmtpLineLimits.DsnMailLine;
            if (_dsn && verb == SmtpVerb.Rcpt) return SmtpLineLimits.DsnRcptLine;
            return MaxCommandLine;
        }

        private string Hello(byte[] b, int arg, int end, bool extended)
        {
            arg = SmtpCommand.SkipSpaces(b, arg, end);
            if (arg >= end) return SmtpReplies.SyntaxHelo;
            for (int i = arg; i < end; i++)
            {
                if (b[i] <= 32 || b[i] >= 127) return SmtpReplies.SyntaxHelo; // one printable word (it goes into Received:)
            }
            ResetTransaction(); // RFC 5321 §4.1.4: EHLO resets like RSET
            _helo = Ascii.GetString(b, arg, end - arg);
            _extended = extended;
            _state = SmtpSessionState.WaitingForMail;
            if (!extended) return "250 " + _options.HostName;
            return Ehlo();
        }

        // The EHLO reply (RFC 5321 §4.1.1.1) goes into the output buffer line by line: built
        // as one string it cost each message about 1 KB of garbage, and cached it would be
        // heap for good on a board whose margin is thin. Returns Written.
        private string Ehlo()
        {
            if (_lines.Room < MaxEhloReply) _lines.Flush();   // one piece when it can (replies before it go first)
            _lines.Append("250-");
            _lines.Append(_options.HostName);
            _lines.EndLine();
            EhloLine("250-PIPELINING");
            _lines.Append("250-SIZE ");
            _lines.AppendDecimal(_options.MessageSizeLimit);   // RFC 1870
            _lines.EndLine();
            EhloLine("250-8BITMIME");
            EhloLine("250-ENHANCEDSTATUSCODES");
            if (_dsn) EhloLine("250-DSN");   // RFC 3461
            if (AuthOffered) EhloLine("250-AUTH PLAIN LOGIN");   // RFC 4954
            if (_server.Tls != null && _server.Tls.CanServe && !_lines.Connection.IsSecure) EhloLine("250-STARTTLS");   // RFC 3207
            EhloLine("250 HELP");
            return Written;
        }

        private void EhloLine(string line)
        {
            _lines.Append(line);
            _lines.EndLine();
        }

        private string Mail(byte[] b, int arg, int end)
        {
            if (arg < 0) return SmtpReplies.SyntaxMail;
            SmtpPathResult pr = _path.Parse(b, arg, end - arg, true, false);
            if (pr == SmtpPathResult.TooLong) return SmtpReplies.PathTooLong; // RFC 5321 §4.5.3.1.3
            if (pr != SmtpPathResult.Ok) return SmtpReplies.BadSender;
            SmtpParameterResult par = _parameters.ParseMail(b, _path.End, end);
            if (par == SmtpParameterResult.Unknown) return SmtpReplies.UnknownParameter;
            if (par != SmtpParameterResult.Ok) return SmtpReplies.BadParameter;
            long size = _parameters.Size;
            if (size > _options.MessageSizeLimit) return SmtpReplies.MessageTooBig; // RFC 1870 §6.1: refuse at once
            if (!_server.Store.HasRoomFor(size > 0 ? size : 0)) return SmtpReplies.StorageFull;
            string client = _lines.Connection.RemoteAddress;
            if (_server.Share != null && !_server.Share.WithinShare(client, _options.ClientQueueSharePercent))
            {
                Log("reject: MAIL from [" + client + "]: 452 4.3.1 queue share of this client used up");
                return SmtpReplies.ClientShareFull;
            }
            if (_server.Rates != null && !_server.Rates.TryCount(client, _server.Clock.MonotonicMilliseconds))
            {
                Log("reject: MAIL from [" + client + "]: 450 4.7.1 more than " + _options.ClientMessageRateLimit.ToString() + " messages a minute");
                return SmtpReplies.ClientRateLimited;   // Postfix smtpd_client_message_rate_limit
            }
            Envelope e = new Envelope(_path.Address);
            e.DeclaredSize = size > 0 ? size : 0;
            e.EightBitMime = _parameters.EightBitMime;
            e.Return = _parameters.Return;
            e.EnvelopeId = _parameters.EnvelopeId;
            e.ClientAddress = client;
            e.ClientHelo = _helo;
            e.AuthenticatedUser = _authUser;
            _envelope = e;
            _state = SmtpSessionState.WaitingForRcpt;
            return SmtpReplies.SenderOk;
        }

        private string Rcpt(byte[] b, int arg, int end)
        {
            if (arg < 0) return SmtpReplies.SyntaxRcpt;
            SmtpPathResult pr = _path.Parse(b, arg, end - arg, false, true);
            if (pr == SmtpPathResult.TooLong) return SmtpReplies.PathTooLong; // RFC 5321 §4.5.3.1.3
            if (pr != SmtpPathResult.Ok) return SmtpReplies.BadRecipient;
            SmtpParameterResult par = _parameters.ParseRcpt(b, _path.End, end);
            if (par == SmtpParameterResult.Unknown) return SmtpReplies.UnknownParameter;
            if (par != SmtpParameterResult.Ok) return SmtpReplies.BadParameter;
            Envelope e = _envelope!;
            if (e.RecipientCount >= _options.MaxRecipients) return SmtpReplies.TooManyRecipients; // RFC 5321 §4.5.3.1.10
            RelayDecision d = _server.Relay.Check(_path, _trusted || _authUser != null);
            if (d == RelayDecision.Denied)
            {
                Log("reject: RCPT from [" + _lines.Connection.RemoteAddress + "]: 554 5.7.1 <" + _path.Address + ">: Relay access denied; from=<" + e.Sender + ">");
                return SmtpReplies.RelayDenied;
            }
            if (d == RelayDecision.Local && _server.LocalRecipients != null)
            {
                LocalRecipientResult lr = _server.LocalRecipients.Check(_path.Address, e.DeclaredSize);
                if (lr == LocalRecipientResult.UnknownMailbox)
                {
                    Log("reject: RCPT from [" + _lines.Connection.RemoteAddress + "]: 550 5.1.1 <" + _path.Address + ">: no such mailbox; from=<" + e.Sender + ">");
                    return SmtpReplies.UnknownMailbox; // RFC 3463 5.1.1 bad destination mailbox address
                }
                if (lr == LocalRecipientResult.MailboxFull)
                {
                    Log("reject: RCPT from [" + _lines.Connection.RemoteAddress + "]: 452 4.2.2 <" + _path.Address + ">: mailbox full; from=<" + e.Sender + ">");
                    return SmtpReplies.MailboxFull; // RFC 3463 4.2.2 mailbox full; RFC 5321 §4.5.3.1.10 452 at RCPT
                }
                if (lr == LocalRecipientResult.Alias) return AliasRecipients(e);
            }
            if (!e.HasRecipient(_path.Address))
            {
                e.AddRecipient(new EnvelopeRecipient(_path.Address, d == RelayDecision.Local, _parameters.Notify, _parameters.OriginalRecipient));
            }
            _state = SmtpSessionState.WaitingForRcptOrData;
            return SmtpReplies.RecipientOk;
        }

        /// <summary>
        /// Puts the targets of the alias in _path into the envelope in its place (README,
        /// Aliases), each with the alias as its original recipient (RFC 3461 §4.2) unless the
        /// client named one, so a report shows the address the sender used. All or none:
        /// when they would pass max_recipients the RCPT gets 452 4.5.3 (RFC 5321
        /// §4.5.3.1.10) and the client may send the rest in another transaction.
        /// </summary>
        private string AliasRecipients(Envelope e)
        {
            string[] targets = _server.LocalRecipients!.Expand(_path.Address);
            if (e.RecipientCount + targets.Length > _options.MaxRecipients)
            {
                Log("reject: RCPT from [" + _lines.Connection.RemoteAddress + "]: 452 4.5.3 <" + _path.Address + ">: alias of " + targets.Length.ToString() + " would pass max_recipients; from=<" + e.Sender + ">");
                return SmtpReplies.TooManyRecipients;
            }
            string original = _parameters.OriginalRecipient ?? "rfc822;" + _path.Address;
            string logged = "alias: <" + _path.Address + "> ->";
            for (int i = 0; i < targets.Length; i++)
            {
                string t = targets[i];
                logged += (i == 0 ? " <" : ", <") + t + ">";
                if (e.HasRecipient(t)) continue;
                bool local = _server.Relay.IsLocalDomain(t.Substring(t.LastIndexOf('@') + 1));
                e.AddRecipient(new EnvelopeRecipient(t, local, _parameters.Notify, original));
            }
            Log(logged);
            _state = SmtpSessionState.WaitingForRcptOrData;
            return SmtpReplies.RecipientOk;
        }

        private string Data(int arg, int end)
        {
            if (arg < end) return SmtpReplies.NoArguments;
            IMessageWriter? w;
            try
            {
                w = _server.Store.BeginMessage(_envelope!);
            }
            catch (StorageException e)
            {
                Log("queue error at DATA: " + e.Message);
                ResetTransaction();
                return SmtpReplies.CommitFailed;
            }
            if (w == null)
            {
                ResetTransaction();
                return SmtpReplies.StorageFull;
            }
            _writer = w;
            _after = After.ReadData;
            return SmtpReplies.StartData;
        }

        private string StartTlsCommand(int arg, int end)
        {
            ITlsProvider? tls = _server.Tls;
            if (tls == null || !tls.CanServe) return SmtpReplies.NotImplemented;
            if (_lines.Connection.IsSecure) return SmtpReplies.AlreadySecure;
            if (arg < end) return SmtpReplies.NoArguments;
            _after = After.StartTls;
            return SmtpReplies.ReadyToStartTls;
        }

        // ---- what happens after a reply ----

        private void StartTls()
        {
            _after = After.Nothing;
            _lines.Flush();
            // RFC 3207 §4.2 / CVE-2011-0411: anything the client sent after STARTTLS in
            // plaintext is dropped (Reset), never read as a command after the handshake.
            _lines.Reset(_server.Tls!.AuthenticateAsServer(_lines.Connection, _options.TlsHandshakeTimeoutMs));
            // RFC 3207 §4.2: forget everything learnt before TLS, including AUTH.
            ResetTransaction();
            _helo = "";
            _extended = false;
            _authUser = null;
            _state = SmtpSessionState.WaitingForHelo;
            Log("TLS established");
        }

        private void ResetTransaction()
        {
            AbortMessage();
            _envelope = null;
            if (_state != SmtpSessionState.WaitingForHelo) _state = SmtpSessionState.WaitingForMail;
        }

        private void AbortMessage()
        {
            IMessageWriter? w = _writer;
            _writer = null;
            if (w == null) return;
            try
            {
                w.Abort();
            }
            catch (StorageException ex)
            {
                Log(w.QueueId + ": abort failed: " + ex.Message);
            }
        }

        // ---- the reply loop's output side ----

        private void Write(string reply)
        {
            if (reply.Length == 0) return;   // Written: the step wrote its reply itself
            Append(reply);
            if (SmtpReply.Code(reply) == 421) _after = After.Close;
            if (!SmtpReply.IsPermanentError(reply)) return;
            _errors++;
            if (_errors >= _options.ErrorLimit && _after != After.Close)
            {
                Append(SmtpReplies.TooManyErrors); // Postfix hard error limit
                Log("too many errors after " + SmtpStateTable.Name(_state));
                _after = After.Close;
            }
        }

        // The reply text is encoded into the output buffer here, when it is sent (SmtpReply):
        // a reply that does not fit behind the ones collected sends them first, so that a
        // reply leaves in one piece when it can.
        private void Append(string reply)
        {
            if (SmtpReply.WireLength(reply) > _lines.Room) _lines.Flush();
            _lines.Append(reply);
            _lines.EndLine();
        }

        private void Log(string text)
        {
            _server.Log.Write("smtpd", _id, text);
        }
    }
}
