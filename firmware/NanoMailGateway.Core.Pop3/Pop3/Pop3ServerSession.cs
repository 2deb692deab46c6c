// One POP3 session (RFC 1939) on one connection: the read loop, the step method that
// dispatches a line through the state table (Pop3Commands), and the
// buffered line reader and reply writer. The AUTHORIZATION handlers are in
// Pop3ServerSession.Authorization.cs, TRANSACTION and UPDATE in ...Transaction.cs.
// Shape: handlers put their reply into the output buffer and return whether the command
// was refused; the loop counts refusals and hangs up at the error limit. Lines and
// replies go through LineChannel, which sends the replies when no further pipelined line
// is buffered (RFC 2449 §6.6 PIPELINING) and gives a line the autologout time from its
// first octet.
// Limits: command line 255 octets with CRLF (RFC 2449 §4), SASL responses up to the
// buffer size (RFC 5034 §4), autologout (RFC 1939 §3), error count, growing delay on
// failed logins. Buffers: two from the pool, nothing allocated per line; the fixed
// replies are string constants copied into the output buffer (Pop3Replies).
// Left out on purpose: APOP (no MD5 in nanoFramework's mscorlib; see IMailboxAuthenticator),
// SASL mechanisms other than PLAIN, LOGIN-DELAY, the LANG/UTF8 extensions (RFC 6856).

using NanoMailGateway.Core.Lines;
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

        private readonly Pop3Server _server;
        private readonly Pop3ServerOptions _options;
        private readonly int _id;
        private readonly LineChannel _lines;
        private readonly Pop3DotStuffer _stuffer = new Pop3DotStuffer();
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
            _lines = new LineChannel(connection, input, output, server.Clock, _options.SendTimeoutMs);
            _id = id;
            _state = Pop3State.WaitingForLogin;
        }

        /// <summary>Runs the session to its end and releases the lock, the maildrop and the connection.</summary>
        internal void Run()
        {
            _server.Log.Write(Component, _id, "connect from " + _lines.Connection.RemoteAddress);
            try
            {
                _lines.Append(Pop3Replies.OkPrefix);
                _lines.Append(_options.Greeting);
                _lines.Append(Pop3Replies.CrLf);
                while (_state != Pop3State.Closed)
                {
                    // RFC 2449 §4 caps command lines; a SASL response may be longer (RFC 5034 §4).
                    int cap = _state == Pop3State.WaitingForSaslResponse ? _lines.Input.Length : _options.MaxCommandLength;
                    LineResult line = _lines.ReadLine(cap, _options.AutologoutMs, long.MaxValue);
                    if (line == LineResult.Closed)
                    {
                        // RFC 1939 §6: without QUIT there is no UPDATE; nothing is deleted.
                        _server.Log.Write(Component, _id, "lost connection in " + Pop3States.Name(_state));
                        break;
                    }
                    if (line == LineResult.TimedOut)
                    {
                        // RFC 1939 §3: autologout closes "without removing any messages or
                        // sending any response".
                        _server.Log.Write(Component, _id, "autologout in " + Pop3States.Name(_state));
                        break;
                    }
                    bool refused;
                    if (line == LineResult.TooLong)
                    {
                        _lines.Append(Pop3Replies.LineTooLong);
                        if (_state == Pop3State.WaitingForSaslResponse) _state = Pop3State.WaitingForLogin;
                        refused = true;
                    }
                    else
                    {
                        refused = Step(_lines.LineStart, _lines.LineLength);
                        // RETR and TOP stream their message from here, once Step and the
                        // command's method have returned: on nanoCLR each nested frame is
                        // heap, and the stream reaches down to the flash reads.
                        if (_sendIndex >= 0) SendMessage();
                    }
                    if (refused && ++_errors >= _options.MaxErrors && _state != Pop3State.Closed)
                    {
                        _lines.Append(Pop3Replies.TooManyErrors);
                        _server.Log.Write(Component, _id, "too many errors from " + _lines.Connection.RemoteAddress);
                        _state = Pop3State.Closed;
                    }
                }
                // Free the mailbox before the last reply leaves: a client that reconnects the
                // moment it reads "+OK" to QUIT (curl's next command, fetchmail's next poll)
                // must not find its own mailbox still locked ([IN-USE], RFC 2449 §8.1.1).
                Release();
                _lines.Flush();
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
            _lines.Connection.Close();
            _server.Log.Write(Component, _id, "disconnect from " + _lines.Connection.RemoteAddress);
        }

        /// <summary>Handles one line; returns true when the command was refused (counts toward MaxErrors).</summary>
        private bool Step(int start, int length)
        {
            if (_state == Pop3State.WaitingForSaslResponse) return SaslResponse(start, length);

            int sp = Ascii.IndexOf(_lines.Input, start, length, Ascii.SP);
            int verbLength = sp < 0 ? length : sp - start;
            Pop3Command command = Pop3Commands.Parse(_lines.Input, start, verbLength);
            // Trailing blanks are forgiven (some clients send "LIST "), except in PASS,
            // where they may be part of the password (RFC 1939 §7).
            if (command != Pop3Command.Pass)
            {
                while (length > verbLength && _lines.Input[start + length - 1] == Ascii.SP) length--;
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
            _lines.Append(reply);
            return true;
        }

        private bool Accept(string reply)
        {
            _lines.Append(reply);
            return false;
        }

        /// <summary>Puts a syntax error and returns true when arguments were given to a command that takes none.</summary>
        private bool NoArguments(int argLength)
        {
            if (argLength == 0) return false;
            _lines.Append(Pop3Replies.SyntaxError);
            return true;
        }
    }
}
