// One POP3 session (RFC 1939) on one connection: the read loop, the step method that
// dispatches a line through the state table (Pop3Commands), and the
// buffered line reader and reply writer. The AUTHORIZATION handlers are in
// Pop3ServerSession.Authorization.cs, TRANSACTION and UPDATE in ...Transaction.cs.
// Shape: handlers put their reply into the output buffer and return whether the command
// was refused; the loop counts refusals, flushes replies when no further pipelined line
// is buffered (RFC 2449 §6.6 PIPELINING), and hangs up at the error limit.
// Limits: command line 255 octets with CRLF (RFC 2449 §4), SASL responses up to the
// buffer size (RFC 5034 §4), autologout (RFC 1939 §3), error count, growing delay on
// failed logins. Buffers: two from the pool, nothing allocated per line; the fixed
// replies are string constants copied into the output buffer (Pop3Replies).
// Left out on purpose: APOP (no MD5 in nanoFramework's mscorlib; see IMailboxAuthenticator),
// SASL mechanisms other than PLAIN, LOGIN-DELAY, the LANG/UTF8 extensions (RFC 6856).

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Pop3
{
    /// <summary>A POP3 server session. Runs on one thread; made and run by <see cref="Pop3Server.Serve"/>.</summary>
    internal sealed partial class Pop3ServerSession
    {
        private const string Component = "pop3d";
        private const int MaxUserLength = 255;   // RFC 4616 §2: authcid up to 255 octets

        // ReadLine results besides a line length.
        private const int LineClosed = -1;
        private const int LineTimedOut = -2;
        private const int LineTooLong = -3;

        private readonly Pop3Server _server;
        private readonly Pop3ServerOptions _options;
        private readonly int _id;
        private readonly byte[] _in;     // received octets: [_inStart, _inEnd) unread
        private readonly byte[] _out;    // replies waiting to be sent: [0, _outCount)
        private readonly Pop3DotStuffer _stuffer = new Pop3DotStuffer();
        private IConnection _conn;
        private int _inStart;
        private int _inEnd;
        private bool _discarding;        // inside an over-long line, dropping to its LF
        private int _outCount;
        private Pop3State _state;
        private int _errors;
        private int _authFailures;
        private string? _user;            // from USER, until PASS
        private string? _lockedMailbox;
        private IMaildrop? _maildrop;
        private bool[] _deleted = new bool[0];
        private int _sendIndex = -1;      // message RETR or TOP left for Run to stream, or -1
        private int _sendLines;           // TOP's body line count; -1 for RETR

        internal Pop3ServerSession(Pop3Server server, IConnection connection, byte[] input, byte[] output, int id)
        {
            _server = server;
            _options = server.Options;
            _conn = connection;
            _in = input;
            _out = output;
            _id = id;
            _state = Pop3State.WaitingForLogin;
        }

        /// <summary>Runs the session to its end and releases the lock, the maildrop and the connection.</summary>
        internal void Run()
        {
            _server.Log.Write(Component, _id, "connect from " + _conn.RemoteAddress);
            try
            {
                Put(Pop3Replies.OkPrefix);
                Put(_options.Greeting);
                Put(Pop3Replies.CrLf);
                while (_state != Pop3State.Closed)
                {
                    int start;
                    int length = ReadLine(out start);
                    if (length == LineClosed)
                    {
                        // RFC 1939 §6: without QUIT there is no UPDATE; nothing is deleted.
                        _server.Log.Write(Component, _id, "lost connection in " + Pop3States.Name(_state));
                        break;
                    }
                    if (length == LineTimedOut)
                    {
                        // RFC 1939 §3: autologout closes "without removing any messages or
                        // sending any response".
                        _server.Log.Write(Component, _id, "autologout in " + Pop3States.Name(_state));
                        break;
                    }
                    bool refused;
                    if (length == LineTooLong)
                    {
                        Put(Pop3Replies.LineTooLong);
                        if (_state == Pop3State.WaitingForSaslResponse) _state = Pop3State.WaitingForLogin;
                        refused = true;
                    }
                    else
                    {
                        refused = Step(start, length);
                        // RETR and TOP stream their message from here, once Step and the
                        // command's method have returned: on nanoCLR each nested frame is
                        // heap, and the stream reaches down to the flash reads.
                        if (_sendIndex >= 0) SendMessage();
                    }
                    if (refused && ++_errors >= _options.MaxErrors && _state != Pop3State.Closed)
                    {
                        Put(Pop3Replies.TooManyErrors);
                        _server.Log.Write(Component, _id, "too many errors from " + _conn.RemoteAddress);
                        _state = Pop3State.Closed;
                    }
                }
                // Free the mailbox before the last reply leaves: a client that reconnects the
                // moment it reads "+OK" to QUIT (curl's next command, fetchmail's next poll)
                // must not find its own mailbox still locked ([IN-USE], RFC 2449 §8.1.1).
                Release();
                Flush();
            }
            catch (ConnectionException e)
            {
                _server.Log.Write(Component, _id, "connection broke in " + Pop3States.Name(_state) + ": " + e.Message);
            }
            catch (StorageException e)
            {
                // Mid-RETR a -ERR cannot be sent any more; hanging up is the only honest end.
                _server.Log.Write(Component, _id, "storage failed in " + Pop3States.Name(_state) + ": " + e.Message);
            }
            finally
            {
                End();
            }
        }

        /// <summary>Closes the maildrop and releases the lock; safe twice.</summary>
        private void Release()
        {
            if (_maildrop != null) { _maildrop.Close(); _maildrop = null; }
            if (_lockedMailbox != null) { _server.Unlock(_lockedMailbox); _lockedMailbox = null; }
        }

        private void End()
        {
            _state = Pop3State.Closed;
            Release();
            _conn.Close();
            _server.Log.Write(Component, _id, "disconnect from " + _conn.RemoteAddress);
        }

        /// <summary>Handles one line; returns true when the command was refused (counts toward MaxErrors).</summary>
        private bool Step(int start, int length)
        {
            if (_state == Pop3State.WaitingForSaslResponse) return SaslResponse(start, length);

            int sp = Ascii.IndexOf(_in, start, length, Ascii.SP);
            int verbLength = sp < 0 ? length : sp - start;
            Pop3Command command = Pop3Commands.Parse(_in, start, verbLength);
            // Trailing blanks are forgiven (some clients send "LIST "), except in PASS,
            // where they may be part of the password (RFC 1939 §7).
            if (command != Pop3Command.Pass)
            {
                while (length > verbLength && _in[start + length - 1] == Ascii.SP) length--;
            }
            int argStart = sp < 0 || start + length <= sp ? start + length : sp + 1;
            int argLength = start + length - argStart;
            if (command == Pop3Command.Unknown) return Refuse(Pop3Replies.UnknownCommand);
            if (!Pop3Commands.IsAllowed(_state, command)) return Refuse(Pop3Replies.WrongState);

            switch (command)
            {
                case Pop3Command.User: return User(argStart, argLength);
                case Pop3Command.Pass: return Pass(argStart, argLength);
                case Pop3Command.Apop: return Refuse(Pop3Replies.ApopUnsupported);
                case Pop3Command.Auth: return Auth(argStart, argLength);
                case Pop3Command.Stls: return Stls(argLength);
                case Pop3Command.Capa: return Capa(argLength);
                case Pop3Command.Quit: return Quit(argLength);
                case Pop3Command.Stat: return Stat(argLength);
                case Pop3Command.List: return ListOrUidl(argStart, argLength, false);
                case Pop3Command.Uidl: return ListOrUidl(argStart, argLength, true);
                case Pop3Command.Retr: return Retr(argStart, argLength);
                case Pop3Command.Top: return Top(argStart, argLength);
                case Pop3Command.Dele: return Dele(argStart, argLength);
                case Pop3Command.Noop: return NoArguments(argLength) || Accept(Pop3Replies.Ok);
                case Pop3Command.Rset: return Rset(argLength);
                default: return Refuse(Pop3Replies.UnknownCommand);
            }
        }

        // ---- helpers ------------------------------------------------------------------

        /// <summary>True for a non-empty name without control characters (it is logged and used as a mailbox name).</summary>
        private static bool IsPrintableName(string name)
        {
            if (name.Length == 0) return false;
            for (int i = 0; i < name.Length; i++)
            {
                if (name[i] < ' ' || name[i] == (char)0x7F) return false;
            }
            return true;
        }

        private bool Refuse(string reply)
        {
            Put(reply);
            return true;
        }

        private bool Accept(string reply)
        {
            Put(reply);
            return false;
        }

        /// <summary>Puts a syntax error and returns true when arguments were given to a command that takes none.</summary>
        private bool NoArguments(int argLength)
        {
            if (argLength == 0) return false;
            Put(Pop3Replies.SyntaxError);
            return true;
        }

        /// <summary>
        /// Returns the next line's length (CRLF or LF excluded) with its start in the input
        /// buffer, or LineClosed / LineTimedOut / LineTooLong. Flushes replies before it waits.
        /// </summary>
        private int ReadLine(out int start)
        {
            // RFC 2449 §4 caps command lines; a SASL response may be longer (RFC 5034 §4).
            int cap = _state == Pop3State.WaitingForSaslResponse ? _in.Length : _options.MaxCommandLength;
            if (cap > _in.Length) cap = _in.Length;
            start = 0;
            while (true)
            {
                int lf = Ascii.IndexOf(_in, _inStart, _inEnd - _inStart, Ascii.LF);
                if (lf >= 0)
                {
                    int lineStart = _inStart;
                    _inStart = lf + 1;
                    if (_discarding)
                    {
                        _discarding = false;
                        return LineTooLong;
                    }
                    if (lf + 1 - lineStart > cap) return LineTooLong;
                    int end = lf;
                    if (end > lineStart && _in[end - 1] == Ascii.CR) end--;
                    start = lineStart;
                    return end - lineStart;
                }
                if (_discarding || _inEnd - _inStart >= cap)
                {
                    // Over-long: drop what we have and keep dropping up to the next LF, then
                    // answer once (ARCHITECTURE.md, Protocol sessions: drain to the protocol boundary, then reply).
                    _discarding = true;
                    _inStart = 0;
                    _inEnd = 0;
                }
                else if (_inStart > 0)
                {
                    System.Array.Copy(_in, _inStart, _in, 0, _inEnd - _inStart);
                    _inEnd -= _inStart;
                    _inStart = 0;
                }
                Flush();
                int n = _conn.Receive(_in, _inEnd, _in.Length - _inEnd, _options.AutologoutMs);
                if (n == ConnectionResult.TimedOut) return LineTimedOut;
                if (n <= 0) return LineClosed;
                _inEnd += n;
            }
        }

        /// <summary>
        /// Copies a reply or a value into the output buffer, flushing when it is full. The
        /// fixed replies are string constants (Pop3Replies); characters outside US-ASCII
        /// become '?' (only the configured greeting could have them).
        /// </summary>
        private void Put(string s)
        {
            int length = s.Length;
            int done = 0;
            while (done < length)
            {
                if (_outCount == _out.Length) Flush();
                int n = length - done;
                if (n > _out.Length - _outCount) n = _out.Length - _outCount;
                for (int i = 0; i < n; i++)
                {
                    char c = s[done + i];
                    _out[_outCount + i] = c < (char)128 ? (byte)c : (byte)'?';
                }
                _outCount += n;
                done += n;
            }
        }

        private void PutDecimal(long value)
        {
            if (_out.Length - _outCount < 20) Flush();
            _outCount += Ascii.WriteDecimal(value, _out, _outCount);
        }

        private void Flush()
        {
            if (_outCount == 0) return;
            int n = _outCount;
            _outCount = 0;
            _conn.Send(_out, 0, n, _options.SendTimeoutMs);
        }
    }
}
