// The client side of one SMTP connection (RFC 5321 §3, §4): opens the session once
// (implicit TLS, greeting, EHLO or HELO, STARTTLS, AUTH), then delivers messages one
// after another (Deliver, in SmtpClientSession.Transaction.cs), then QUITs.
//   - Greeting (§3.1, §4.3.2): 220 goes on; 4xx defers the attempt (the caller tries
//     the next MX); 5xx fails it.
//   - EHLO, HELO when EHLO gets a 5xx (§3.2); the EHLO reply's extensions are parsed.
//   - STARTTLS (RFC 3207) when offered (Opportunistic) or demanded (StartTlsRequired);
//     after the handshake, buffered plaintext is dropped and EHLO is sent again
//     (RFC 3207 §4.2, CVE-2011-0411). An opportunistic handshake failure sets
//     TlsHandshakeFailed so the caller retries that host in plaintext (Postfix "may").
//   - AUTH PLAIN (RFC 4616, with initial response, RFC 4954 §4) or LOGIN, chosen from
//     what EHLO offered; credentials only on a TLS connection; a failure is transient
//     (a wrong password must never bounce mail). An initial response that would make the
//     AUTH line longer than 512 octets answers the empty challenge instead (RFC 4954 §4);
//     credentials whose response line does not fit the send buffer defer with 4.3.5.
//     Submission (SmtpClientOptions.Submission, nmg send) may send them without TLS and
//     skips AUTH when none is offered.
//   - 421 at any point (§3.8): everything still open is deferred and the connection closed.
//   - What each reply means at each stage is SmtpReplyTable's (the outcome table); a reply
//     out of place is a protocol error that defers and closes.
//   - RSET and QUIT are sent once the outcome is known: their replies get EndTimeoutMs, not
//     minutes (a slow server must not hold the only delivery session, README "Delivery").
// Broken streams (reset, timeout, malformed or over-long replies) arrive as
// ConnectionException from the seam and the reader and become transient values here.
// Commands are string constants that the LineChannel copies into the send buffer: a
// literal stays in flash, a static byte[] is heap from boot on nanoCLR (ARCHITECTURE.md, Memory).
// Left out on purpose: SMTPUTF8, CHUNKING/BDAT, client certificates, other SASL
// mechanisms (CRAM-MD5 and SCRAM need no TLS but our credentials go only over TLS).

using NanoMailGateway.Core.Lines;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    /// <summary>
    /// One outbound SMTP connection. Usage: Open once; while <see cref="IsReady"/>, Deliver
    /// any number of messages; then Quit (or Close). Used by one thread. The two buffers
    /// stay owned by the caller (rent them from the pool) and must not be shared while the
    /// session lives.
    /// </summary>
    public sealed partial class SmtpClientSession
    {
        /// <summary>Buffers a session needs: replies in, commands and DATA out (the message is read from flash into the latter).</summary>
        public const int BuffersPerSession = 2;

        private const string Component = "smtp";

        private const string CmdEhlo = "EHLO ";
        private const string CmdHelo = "HELO ";
        private const string CmdStartTls = "STARTTLS";
        private const string CmdAuthPlain = "AUTH PLAIN ";
        private const string CmdAuthPlainAlone = "AUTH PLAIN";
        private const string CmdAuthLogin = "AUTH LOGIN";
        private const string CmdQuit = "QUIT";

        private readonly ITlsProvider? _tls;
        private readonly SmtpClientOptions _options;
        private readonly ILog _log;
        private readonly int _sessionId;
        private readonly SmtpReplyReader _reader;
        private readonly LineChannel _lines;   // replies in, commands and DATA out
        private readonly DotStuffer _stuffer = new DotStuffer();
        private readonly EhloExtensions _extensions = new EhloExtensions();
        private string? _user;
        private string? _password;
        private bool _closed;
        private string _stage = "connecting";

        /// <summary>Creates a session on a connected <paramref name="connection"/> to <paramref name="serverName"/>.</summary>
        /// <param name="connection">A fresh TCP connection; the session owns it from now on.</param>
        /// <param name="tls">TLS provider, or null when TLS is impossible (then only TlsMode None/Opportunistic work).</param>
        /// <param name="serverName">The MX or smarthost name: TLS SNI and certificate name, logs, Remote-MTA.</param>
        /// <param name="options">Settings, shared by every session of a run and not changed afterwards;
        /// the session takes its <see cref="TlsMode"/>, <see cref="VerifyCertificate"/> and credentials
        /// from them unless the caller sets its own before Open.</param>
        /// <param name="replyBuffer">Receive buffer, at least 512 bytes (one reply line, RFC 5321 §4.5.3.1.5).</param>
        /// <param name="sendBuffer">Command and DATA output buffer, at least 512 bytes (one command line, RFC 5321 §4.5.3.1.4); the message is read from the queue into it too.</param>
        /// <param name="clock">Deadlines.</param>
        /// <param name="log">Event log.</param>
        /// <param name="sessionId">Number for log lines.</param>
        public SmtpClientSession(IConnection connection, ITlsProvider? tls, string serverName, SmtpClientOptions options,
            byte[] replyBuffer, byte[] sendBuffer, IClock clock, ILog log, int sessionId)
        {
            _tls = tls;
            ServerName = serverName;
            _options = options;
            _log = log;
            _sessionId = sessionId;
            TlsMode = options.TlsMode;
            VerifyCertificate = options.VerifyCertificate;
            _user = options.User;
            _password = options.Password;
            // RFC 5321 §4.5.3.1.4: the send buffer holds one command line of 512 octets. Longer DSN
            // lines (RFC 3461 §3) are sent only when they fit (Transaction leaves the DSN parameters out otherwise).
            if (sendBuffer.Length < SmtpLineLimits.CommandLine) throw new System.ArgumentException("send buffer must hold a 512-octet command line");
            _lines = new LineChannel(connection, replyBuffer, sendBuffer, clock, options.CommandTimeoutMs);
            _reader = new SmtpReplyReader(_lines, clock, options.MaxReplyBytes, options.MaxReplyLines);
        }

        /// <summary>
        /// The limit on each wait while mail for other destinations waits (head-of-line, README
        /// "Delivery"), or null for the RFC 5321 timeouts alone. Set before Open.
        /// </summary>
        public WaitLimit? Limit
        {
            get { return _reader.Limit; }
            set { _reader.Limit = value; }
        }

        /// <summary>TLS policy of this connection (from the options unless set). Set before Open.</summary>
        public SmtpTlsMode TlsMode { get; set; }

        /// <summary>Verify the server certificate (CA and host name) when TLS is used (from the
        /// options unless set). Set before Open.</summary>
        public bool VerifyCertificate { get; set; }

        /// <summary>
        /// AUTH credentials of this connection: <paramref name="user"/> null for no AUTH (they
        /// are sent only over TLS). Replaces the options' User and Password. Call before Open.
        /// </summary>
        public void SetCredentials(string? user, string? password)
        {
            _user = user;
            _password = password;
        }

        /// <summary>The server's name as given.</summary>
        public string ServerName { get; }

        /// <summary>The server's address.</summary>
        public string RemoteAddress => _lines.Connection.RemoteAddress;

        /// <summary>True after a successful Open and until the connection is lost or closed.</summary>
        public bool IsReady { get; private set; }

        /// <summary>Why Open failed (or why the session stopped being ready), else null.</summary>
        public DeliveryStatus? Failure { get; private set; }

        /// <summary>True when an opportunistic STARTTLS handshake failed: retry this host with TlsMode None.</summary>
        public bool TlsHandshakeFailed { get; private set; }

        /// <summary>True when the connection runs over TLS.</summary>
        public bool IsSecure => _lines.Connection.IsSecure;

        /// <summary>True after a successful AUTH.</summary>
        public bool Authenticated { get; private set; }

        /// <summary>What the server announced in its (last) EHLO reply; None after HELO.</summary>
        public SmtpCapabilities Capabilities => _extensions.Capabilities;

        /// <summary>The server's SIZE limit in bytes, or 0 for none (RFC 1870).</summary>
        public long ServerMaxSize => _extensions.MaxSize;

        /// <summary>
        /// Runs implicit TLS, the greeting, EHLO/HELO, STARTTLS and AUTH. Returns true when
        /// messages can be delivered; otherwise <see cref="Failure"/> says why and the
        /// connection is closed. Never throws for network or protocol trouble.
        /// </summary>
        public bool Open()
        {
            try
            {
                if (TlsMode == SmtpTlsMode.Implicit)
                {
                    _stage = "performing the TLS handshake";
                    if (!Handshake()) return false;
                }
                _stage = "receiving the initial server greeting";
                ReplyVerdict v = Read(SmtpStage.Greeting, _options.GreetingTimeoutMs, null);
                // RFC 5321 §3.1: a 554 greeting still expects QUIT; a 421 closes at once.
                if (v != ReplyVerdict.Proceed) return FailOpen(Judged(v), Refusal(v));
                if (!Hello()) return false;
                if (!StartTlsIfWanted()) return false;
                if (_user != null && !Authenticate()) return false;
                IsReady = true;
                return true;
            }
            catch (ConnectionException e)
            {
                Failure = Lost(e);
                CloseConnection();
                return false;
            }
        }

        /// <summary>Ends the session politely (QUIT, RFC 5321 §4.1.1.10) and closes the connection. Never throws.</summary>
        public void Quit()
        {
            if (_closed) return;
            try
            {
                _stage = "sending QUIT";
                _lines.Append(CmdQuit);
                _lines.EndLine();
                Send(_options.EndTimeoutMs);
                _reader.ReadReply(_options.EndTimeoutMs, null);
            }
            catch (ConnectionException)
            {
                // The server may close before answering QUIT: nothing is lost.
            }
            CloseConnection();
        }

        /// <summary>Sends the buffered commands within <paramref name="timeoutMs"/>, cut by the WaitLimit.</summary>
        private void Send(int timeoutMs)
        {
            _lines.Flush(Cap(timeoutMs));
        }

        /// <summary>A wait of <paramref name="timeoutMs"/>, cut short while other mail waits (head-of-line).</summary>
        private int Cap(int timeoutMs)
        {
            return Limit == null ? timeoutMs : Limit.Cap(timeoutMs);
        }

        /// <summary>Closes the connection without QUIT. Never throws.</summary>
        public void Close()
        {
            CloseConnection();
        }

        /// <summary>EHLO, or HELO when EHLO is refused with 5xx (RFC 5321 §3.2).</summary>
        private bool Hello()
        {
            _stage = "performing the EHLO handshake";
            _extensions.Clear();
            SendCommand(CmdEhlo, _options.HeloName);
            ReplyVerdict v = Read(SmtpStage.Ehlo, _options.CommandTimeoutMs, _extensions);
            if (v == ReplyVerdict.Proceed) return true;
            _extensions.Clear();
            if (v != ReplyVerdict.Failed) return FailOpen(Judged(v), Refusal(v));
            _stage = "performing the HELO handshake";
            SendCommand(CmdHelo, _options.HeloName);
            v = Read(SmtpStage.Helo, _options.CommandTimeoutMs, null);
            if (v == ReplyVerdict.Proceed) return true;
            return FailOpen(Judged(v), Refusal(v));
        }

        /// <summary>STARTTLS per the TLS mode (RFC 3207). Returns false when the attempt must stop.</summary>
        private bool StartTlsIfWanted()
        {
            SmtpTlsMode mode = TlsMode;
            if (mode == SmtpTlsMode.None || mode == SmtpTlsMode.Implicit) return true;
            bool offered = _extensions.Has(SmtpCapabilities.StartTls);
            if (mode == SmtpTlsMode.Opportunistic && (!offered || _tls == null)) return true;
            if (!offered) return FailOpen(DeliveryStatus.LocalTransient("4.7.4", "TLS is required, but was not offered by host " + ServerName), true);
            if (_tls == null) return FailOpen(DeliveryStatus.LocalTransient("4.7.5", "TLS is required, but no TLS provider is configured"), true);
            _stage = "sending STARTTLS";
            SendCommand(CmdStartTls, null);
            ReplyVerdict v = Read(SmtpStage.StartTls, _options.CommandTimeoutMs, null);
            if (v != ReplyVerdict.Proceed)
            {
                if (v != ReplyVerdict.Deferred || mode == SmtpTlsMode.StartTlsRequired) return FailOpen(Judged(v), Refusal(v));
                _log.Write(Component, _sessionId, ServerName + "[" + RemoteAddress + "]: STARTTLS refused (" + _reader.Code.ToString() + "), continuing in plaintext");
                return true;
            }
            _stage = "performing the TLS handshake";
            if (!Handshake()) return false;
            return Hello();   // RFC 3207 §4.2: forget what EHLO said in plaintext and ask again.
        }

        /// <summary>Runs the client TLS handshake and switches reader and writer to the secure connection.</summary>
        private bool Handshake()
        {
            if (_tls == null) return FailOpen(DeliveryStatus.LocalTransient("4.7.5", "implicit TLS needs a TLS provider"), false);
            IConnection secured;
            try
            {
                int timeoutMs = Cap(_options.TlsHandshakeTimeoutMs);
                secured = _tls.AuthenticateAsClient(_lines.Connection, ServerName, VerifyCertificate, timeoutMs);
            }
            catch (ConnectionException e)
            {
                TlsHandshakeFailed = TlsMode == SmtpTlsMode.Opportunistic;
                _log.Write(Component, _sessionId, ServerName + "[" + RemoteAddress + "]: TLS handshake failed: " + e.Message);
                return FailOpen(DeliveryStatus.LocalTransient("4.7.5", "TLS handshake with " + ServerName + " failed: " + e.Message), false);
            }
            _lines.Reset(secured);   // CVE-2011-0411: nothing read before the handshake counts.
            _log.Write(Component, _sessionId, "TLS connection established to " + ServerName + "[" + RemoteAddress + "]");
            return true;
        }

        /// <summary>AUTH PLAIN or LOGIN (RFC 4954). Any failure is transient (never a bounce: a refused login is this gateway's configuration, not the recipient's fault).</summary>
        private bool Authenticate()
        {
            _stage = "authenticating";
            bool plain = _extensions.Has(SmtpCapabilities.AuthPlain);
            if (_options.Submission && !plain && !_extensions.Has(SmtpCapabilities.AuthLogin)) return true;   // AUTH only when offered
            if (!_lines.Connection.IsSecure && !_options.Submission)
            {
                // Credentials never cross the wire in plaintext.
                return FailOpen(DeliveryStatus.LocalTransient("4.7.0", "not sending credentials to " + ServerName + " without TLS"), true);
            }
            if (!plain && !_extensions.Has(SmtpCapabilities.AuthLogin))
            {
                return FailOpen(DeliveryStatus.LocalTransient("4.7.0", "host " + ServerName + " offers no AUTH PLAIN or LOGIN"), true);
            }
            byte[] user = Utf8.GetBytes(_user ?? "");
            byte[] password = Utf8.GetBytes(_password ?? "");
            int code;
            if (plain)
            {
                // RFC 4616 §2: message = [authzid] NUL authcid NUL passwd.
                byte[] message = new byte[user.Length + password.Length + 2];
                System.Array.Copy(user, 0, message, 1, user.Length);
                System.Array.Copy(password, 0, message, user.Length + 2, password.Length);
                string response = System.Convert.ToBase64String(message);
                if (!ResponseFits(response)) return CredentialsTooLong();
                if (CmdAuthPlain.Length + response.Length + 2 <= SmtpLineLimits.CommandLine)
                {
                    SendCommand(CmdAuthPlain, response);
                    code = _reader.ReadReply(_options.CommandTimeoutMs, null);
                }
                else
                {
                    // RFC 4954 §4: the AUTH line keeps the 512-octet limit, so the response
                    // goes on its own line after the empty challenge.
                    SendCommand(CmdAuthPlainAlone, null);
                    code = _reader.ReadReply(_options.CommandTimeoutMs, null);
                    if (code == 334)
                    {
                        SendCommand(null, response);
                        code = _reader.ReadReply(_options.CommandTimeoutMs, null);
                    }
                }
            }
            else
            {
                string userResponse = System.Convert.ToBase64String(user);
                string passwordResponse = System.Convert.ToBase64String(password);
                if (!ResponseFits(userResponse) || !ResponseFits(passwordResponse)) return CredentialsTooLong();
                SendCommand(CmdAuthLogin, null);
                code = _reader.ReadReply(_options.CommandTimeoutMs, null);
                if (code == 334)
                {
                    SendCommand(null, userResponse);
                    code = _reader.ReadReply(_options.CommandTimeoutMs, null);
                }
                if (code == 334)
                {
                    SendCommand(null, passwordResponse);
                    code = _reader.ReadReply(_options.CommandTimeoutMs, null);
                }
            }
            if (code == 235)
            {
                Authenticated = true;
                return true;
            }
            ReplyVerdict v = SmtpReplyTable.Judge(SmtpStage.Auth, code);
            if (v == ReplyVerdict.ProtocolError || v == ReplyVerdict.Closing) return FailOpen(Judged(v), false);
            DeliveryStatus reply = Judged(ReplyVerdict.Deferred);
            _log.Write(Component, _sessionId, "SASL authentication failed; server " + ServerName + "[" + RemoteAddress + "] said: " + reply.Describe());
            // Deferred, never bounced: the class becomes 4 (RFC 3463 §3.1) whatever the server said.
            // A 334 here is a challenge we cannot answer: closing cancels the exchange (RFC 4954 §4).
            return FailOpen(new DeliveryStatus(DeliveryOutcome.Transient, reply.ReplyCode, reply.EnhancedCode, "SASL authentication failed: " + reply.Text), code != 334);
        }

        /// <summary>True when a SASL response line (with CRLF) fits the send buffer.</summary>
        private bool ResponseFits(string response)
        {
            return response.Length + 2 <= _lines.Output.Length;
        }

        /// <summary>relay_user/relay_password too long for one response line: a configuration error
        /// (RFC 3463 X.3.5), deferred like every AUTH failure.</summary>
        private bool CredentialsTooLong()
        {
            return FailOpen(DeliveryStatus.LocalTransient("4.3.5", "relay credentials do not fit a " + _lines.Output.Length.ToString()
                + "-octet SASL response line; not authenticating to " + ServerName), true);
        }

        /// <summary>Buffers and sends "verb[argument]CRLF".</summary>
        private void SendCommand(string? verb, string? argument)
        {
            if (verb != null) _lines.Append(verb);
            if (argument != null)
            {
                if (!_lines.EnsureRoom(argument.Length + 2, Cap(_options.CommandTimeoutMs)))
                {
                    throw new ConnectionException("command longer than the send buffer", 0);
                }
                _lines.Append(argument);
            }
            _lines.EndLine();
            Send(_options.CommandTimeoutMs);
        }

        /// <summary>Records an Open failure, says QUIT when the server still listens, and closes.</summary>
        private bool FailOpen(DeliveryStatus status, bool sayQuit)
        {
            Failure = status;
            IsReady = false;
            if (sayQuit && !_closed) Quit();
            CloseConnection();
            return false;
        }

        /// <summary>Reads one reply and judges it by the outcome table (SmtpReplyTable).</summary>
        private ReplyVerdict Read(SmtpStage stage, int timeoutMs, EhloExtensions? extensions)
        {
            return SmtpReplyTable.Judge(stage, _reader.ReadReply(timeoutMs, extensions));
        }

        /// <summary>True for a refusal after which the server still listens (QUIT is polite); false
        /// for 421 and protocol errors (nothing more is said).</summary>
        private static bool Refusal(ReplyVerdict v)
        {
            return v == ReplyVerdict.Deferred || v == ReplyVerdict.Failed;
        }

        /// <summary>
        /// The status of the last reply read under verdict <paramref name="v"/> (never Proceed):
        /// Delivered is the only way to Sent; a deferral carries class 4 whatever the server said
        /// (RFC 3463 §3.1: a refused STARTTLS or AUTH defers); a protocol error is logged and
        /// becomes 4.5.0 naming the host.
        /// </summary>
        private DeliveryStatus Judged(ReplyVerdict v)
        {
            if (v == ReplyVerdict.ProtocolError)
            {
                return ProtocolError("unexpected reply " + _reader.Code.ToString() + " " + _reader.Text);
            }
            DeliveryOutcome outcome = v == ReplyVerdict.Delivered ? DeliveryOutcome.Sent
                : v == ReplyVerdict.Failed ? DeliveryOutcome.Permanent : DeliveryOutcome.Transient;
            string enhanced = _reader.EnhancedCode;
            if (outcome == DeliveryOutcome.Transient && enhanced[0] != '4') enhanced = "4" + enhanced.Substring(1);
            return new DeliveryStatus(outcome, _reader.Code, enhanced, _reader.Text);
        }

        /// <summary>The transient status of a protocol error (RFC 3463 X.5.0), logged with the host.</summary>
        private DeliveryStatus ProtocolError(string what)
        {
            string text = "protocol error with " + ServerName + "[" + RemoteAddress + "] while " + _stage + ": " + what;
            _log.Write(Component, _sessionId, text);
            return DeliveryStatus.LocalTransient("4.5.0", text);
        }

        /// <summary>The transient status for a broken or timed-out connection (RFC 3463 4.4.2), or for
        /// a reply that broke the protocol (4.5.0).</summary>
        private DeliveryStatus Lost(ConnectionException e)
        {
            if (e is SmtpProtocolException) return ProtocolError(e.Message);
            // Postfix's wording: "lost connection with host[ip] while ..." / "conversation with host[ip] timed out while ...".
            string text = e.ErrorCode == ConnectionException.TimedOut
                ? "conversation with " + ServerName + "[" + RemoteAddress + "] timed out while " + _stage
                : "lost connection with " + ServerName + "[" + RemoteAddress + "] while " + _stage;
            _log.Write(Component, _sessionId, text + ": " + e.Message);
            return DeliveryStatus.LocalTransient("4.4.2", text);
        }

        private void CloseConnection()
        {
            IsReady = false;
            if (_closed) return;
            _closed = true;
            _lines.Connection.Close();
        }
    }
}
