// One IMAP4rev2 session (RFC 9051) on one connection: the read loop, the dispatch of a
// command through the state table, the parser's small steps (atoms, strings, literals,
// RFC 9051 §4) and the reply writer. Handlers live in the partial files beside this
// one: ...Login.cs (Not Authenticated and Authenticated states), ...Mailbox.cs
// (SELECT, STORE, SEARCH, EXPUNGE, IDLE), ...Fetch.cs (FETCH and its message parts).
// Shape: a handler writes its untagged data and returns the tagged result (ResultOk,
// ResultNo, ResultBad with a text from ImapReplies); one loop writes the tagged line,
// counts BADs and failed logins, and ends the session with "* BYE" at the limit.
// Parsing is strict (RFC 9051 §9 grammar): one SP between arguments, nothing after the
// last; anything else is BAD with [CLIENTBUG]. Nothing is allocated per command except
// what is kept or logged (the login name) and the header fields ENVELOPE returns.
// Framing is LineChannel's (ARCHITECTURE.md, Protocol sessions): a command is a line, and
// when it ends in a literal announcement ({n} or {n+}, RFC 9051 §4.3, RFC 7888) the n
// octets after it (Receive/Consume) and the rest of the command after them, held in place
// with Keep, so the whole command lies in the input buffer, literals in place, for the
// parser ("{n}" CRLF then n octets). A synchronizing literal gets "+" (RFC 9051 §7.5).
// Limits: the command with its literals fits the input buffer, a literal also at most
// MaxLiteral; a synchronizing literal over the limit is refused before the client sends
// it, a non-synchronizing one is read and dropped with the rest of its command, then
// refused; an over-long line is dropped to its LF (drain, then answer), the refusal
// carrying the command's tag. Tags up to 32 octets, autologout after 30 minutes (RFC 9051
// §5.4), MaxErrors refusals.
// Left out on purpose: more than one mailbox (INBOX per account), APPEND, COPY, MOVE,
// keywords and flags other than \Seen and \Deleted, CONDSTORE, BINARY, UTF8=ACCEPT,
// literal8 (BINARY, RFC 3516).

using NanoMailGateway.Core.Lines;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>An IMAP server session. Runs on one thread; made by <see cref="ImapServer.TryCreate"/>.</summary>
    internal sealed partial class ImapServerSession : ISession
    {
        internal const string Component = "imapd";

        // Tagged results of a handler.
        private const int ResultOk = 0;
        private const int ResultNo = 1;
        private const int ResultBad = 2;
        private const int ResultNone = 3;   // the handler wrote its own tagged line (or none: logout)

        // What reading a command gave.
        private const int CommandComplete = 0;   // in [_cmd, _end) of the input buffer
        private const int CommandClosed = 1;
        private const int CommandTimedOut = 2;   // nothing of a command is lost: a partial line stays
        private const int CommandTooLong = 3;    // dropped; _tag holds its tag
        private const int CommandTooBig = 4;     // a literal over the limit, refused or dropped; _tag holds its tag

        /// <summary>Longest tag kept for a refusal; a longer one is cut.</summary>
        private const int MaxTag = 32;

        private readonly ImapServer _server;
        private readonly ImapServerOptions _options;
        private readonly int _id;
        private readonly byte[] _tag = new byte[MaxTag];
        private readonly IConnection _accepted;
        private LineChannel _lines = null!;
        private byte[] _in = new byte[0];
        private int _tagLength;
        private int _cmd;            // start of the command in _in
        private int _p;              // parse position in _in
        private int _end;            // end of the command in _in (CRLF excluded)
        private string _text = "";   // text of the tagged line after OK/NO/BAD
        private ImapState _state;
        private int _errors;
        private int _authFailures;
        private bool _rev2;          // ENABLE IMAP4rev2 (RFC 9051 §6.3.1); until then rev1 responses
        private string? _user;

        internal ImapServerSession(ImapServer server, IConnection connection, int id)
        {
            _server = server;
            _options = server.Options;
            _accepted = connection;
            _id = id;
            _state = ImapState.WaitingForLogin;
        }

        /// <summary>Runs the session to its end: rents the buffers, serves, returns them, closes.</summary>
        public void Run()
        {
            byte[][]? buffers = _server.RentBuffers(_accepted, _id);
            if (buffers == null) return;
            try
            {
                _in = buffers[0];
                _lines = new LineChannel(_accepted, _in, buffers[1], _server.Clock, _options.SendTimeoutMs);
                Serve();
            }
            finally
            {
                _server.Pool.ReturnSet(buffers);
            }
        }

        /// <summary>Closing the connection ends a blocked read; nothing is lost (flags are written as they change).</summary>
        public void Abort()
        {
            (_lines == null ? _accepted : _lines.Connection).Close();
        }

        private void Serve()
        {
            _server.Log.Write(Component, _id, "connect from " + _accepted.RemoteAddress);
            try
            {
                // RFC 9051 §7.1.1: the greeting may carry the capabilities (saves a round trip).
                Put("* OK [");
                PutCapabilities();
                Put("] ");
                Put(_options.Greeting);
                Put(ImapReplies.CrLf);
                while (_state != ImapState.Closed)
                {
                    int r = NextCommand(_options.AutologoutMs, long.MaxValue);
                    if (r == CommandClosed)
                    {
                        _server.Log.Write(Component, _id, "lost connection in " + ImapStates.Name(_state));
                        break;
                    }
                    if (r == CommandTimedOut)
                    {
                        Put(ImapReplies.ByeAutologout);
                        _server.Log.Write(Component, _id, "autologout in " + ImapStates.Name(_state));
                        break;
                    }
                    int result;
                    if (r == CommandComplete) result = Step();
                    else
                    {
                        // Dropped: answer with the tag kept from it.
                        _text = r == CommandTooLong ? ImapReplies.LineTooLong : ImapReplies.LiteralTooBig;
                        result = ResultBad;
                    }
                    if (result != ResultNone) PutTagged(result);
                    if (result == ResultBad && ++_errors >= _options.MaxErrors && _state != ImapState.Closed)
                    {
                        Put(ImapReplies.ByeErrors);
                        _server.Log.Write(Component, _id, "too many errors from " + _lines.Connection.RemoteAddress);
                        break;
                    }
                }
                Flush();
            }
            catch (ConnectionException e)
            {
                _server.Log.Write(Component, _id, "connection broke in " + ImapStates.Name(_state) + ": " + e.Message);
            }
            catch (StorageException e)
            {
                // Mid-literal a NO cannot be sent any more; hanging up is the only honest end.
                _server.Log.Write(Component, _id, "storage failed in " + ImapStates.Name(_state) + ": " + e.Message);
            }
            finally
            {
                _state = ImapState.Closed;
                CloseMailbox();
                _lines.Connection.Close();
                _server.Log.Write(Component, _id, "disconnect from " + _accepted.RemoteAddress);
            }
        }

        /// <summary>
        /// Reads the next command into [_cmd, _end), answering "+" to synchronizing literals;
        /// the output is sent before a read blocks. <paramref name="notAfter"/> cuts the wait
        /// for the command's first line (IDLE's polls), keeping a partial line.
        /// </summary>
        private int NextCommand(int timeoutMs, long notAfter)
        {
            LineResult r = _lines.ReadLine(_in.Length, timeoutMs, notAfter);
            int start = _lines.LineStart;
            while (true)
            {
                if (r == LineResult.Closed || r == LineResult.TimedOut) return Abandon(r == LineResult.Closed ? CommandClosed : CommandTimedOut);
                if (r == LineResult.TooLong) return Drop(r, start, CommandTooLong, timeoutMs, false);
                int lineEnd = _lines.LineStart + _lines.LineLength;
                long size = LiteralAnnounced(_lines.LineStart, lineEnd, out bool sync);
                if (size < 0)
                {
                    _lines.Keep(-1);
                    _cmd = start;
                    _end = lineEnd;
                    return CommandComplete;
                }
                if (size > _options.MaxLiteral || _lines.Start - start + size > _in.Length)
                {
                    // RFC 9051 §7.5: instead of "+", a tagged BAD, and the client sends no
                    // literal; a LITERAL- one comes anyway and is dropped with its command.
                    return Drop(r, start, CommandTooBig, timeoutMs, false);
                }
                _lines.Keep(start);
                if (sync)
                {
                    _lines.Append(ImapReplies.ContinueLiteral);
                    _lines.Flush();
                }
                while (_lines.Available < size)
                {
                    int n = _lines.Receive(timeoutMs);
                    if (n <= 0) return Abandon(n == ConnectionResult.TimedOut ? CommandTimedOut : CommandClosed);
                }
                start = _lines.Kept;
                _lines.Consume((int)size);
                // The rest of the command has the room the buffer has left (at least CRLF).
                int room = _in.Length - (_lines.Start - start);
                if (room < 2) return Drop(LineResult.Line, start, CommandTooLong, timeoutMs, true);
                r = _lines.ReadLine(room, timeoutMs, long.MaxValue);
                start = _lines.Kept;
            }
        }

        /// <summary>Lets go of a partly read command; returns <paramref name="result"/>.</summary>
        private int Abandon(int result)
        {
            _lines.Keep(-1);
            return result;
        }

        /// <summary>
        /// Refuses the command starting at <paramref name="start"/> whose last line read gave
        /// <paramref name="r"/>: keeps its tag, then drops the rest of it (the octets of the
        /// non-synchronizing literals its lines announce, and the lines after them), the
        /// rest of the line first when <paramref name="restOfLine"/>.
        /// </summary>
        private int Drop(LineResult r, int start, int result, int timeoutMs, bool restOfLine)
        {
            int n = 0;
            while (n < MaxTag && start + n < _in.Length && _in[start + n] != Ascii.SP && _in[start + n] != Ascii.CR && _in[start + n] != Ascii.LF) { _tag[n] = _in[start + n]; n++; }
            _tagLength = n;
            _lines.Keep(-1);
            if (restOfLine) r = _lines.ReadLine(_in.Length, timeoutMs, long.MaxValue);
            while (true)
            {
                if (r == LineResult.Closed) return CommandClosed;
                if (r == LineResult.TimedOut) return CommandTimedOut;
                long size = LiteralAnnounced(_lines.LineStart, _lines.LineStart + _lines.LineLength, out bool sync);
                if (size < 0 || sync) return result;
                while (size > 0)
                {
                    if (_lines.Available == 0)
                    {
                        int got = _lines.Receive(timeoutMs);
                        if (got <= 0) return got == ConnectionResult.TimedOut ? CommandTimedOut : CommandClosed;
                    }
                    int take = _lines.Available < size ? _lines.Available : (int)size;
                    _lines.Consume(take);
                    size -= take;
                }
                r = _lines.ReadLine(_in.Length, timeoutMs, long.MaxValue);
            }
        }

        /// <summary>The size announced by "{n}" or "{n+}" ending [<paramref name="start"/>, <paramref name="end"/>), or -1.</summary>
        private long LiteralAnnounced(int start, int end, out bool sync)
        {
            sync = true;
            if (end - start < 3 || _in[end - 1] != (byte)'}') return -1;
            int digitsEnd = end - 1;
            if (_in[digitsEnd - 1] == (byte)'+') { sync = false; digitsEnd--; }
            int open = digitsEnd - 1;
            while (open >= start && Ascii.IsDigit(_in[open])) open--;
            if (open < start || _in[open] != (byte)'{' || open == digitsEnd - 1) return -1;
            return Ascii.ParseDecimal(_in, open + 1, digitsEnd - open - 1, 0x7FFFFFFFL);
        }

        /// <summary>Parses tag and command name and runs the handler; returns its result.</summary>
        private int Step()
        {
            _p = _cmd;
            // RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">.
            int tagLength = 0;
            while (_p < _end && IsAtomChar(_in[_p], true) && _in[_p] != (byte)'+') { _p++; tagLength++; }
            if (tagLength == 0 || tagLength > MaxTag || !Sp())
            {
                // No usable tag: an untagged BAD (RFC 9051 §7.1.3).
                _tagLength = 1;
                _tag[0] = (byte)'*';
                _text = ImapReplies.SyntaxError;
                return ResultBad;
            }
            System.Array.Copy(_in, _cmd, _tag, 0, tagLength);
            _tagLength = tagLength;
            _text = ImapReplies.Completed;
            int nameStart = _p;
            while (_p < _end && IsAtomChar(_in[_p], false)) _p++;
            int nameLength = _p - nameStart;
            bool uid = false;
            if (Ascii.EqualsIgnoreCase(_in, nameStart, nameLength, "UID"))
            {
                // RFC 9051 §6.4.9: UID FETCH / STORE / SEARCH / EXPUNGE.
                if (!Sp()) return Bad(ImapReplies.SyntaxError);
                uid = true;
                nameStart = _p;
                while (_p < _end && IsAtomChar(_in[_p], false)) _p++;
                nameLength = _p - nameStart;
            }
            ImapCommand command = ImapCommands.Parse(_in, nameStart, nameLength, uid);
            if (command == ImapCommand.Unknown) return Bad(ImapReplies.UnknownCommand);
            if (!ImapCommands.IsAllowed(_state, command)) return Bad(ImapReplies.WrongState);
            bool hasArguments = _p < _end;
            if (hasArguments && !Sp()) return Bad(ImapReplies.SyntaxError);
            try
            {
                return Dispatch(command, uid, hasArguments);
            }
            catch (StorageException e)
            {
                // Flags and expunges are written as they happen: a failed write changed nothing.
                _server.Log.Write(Component, _id, "storage failed: " + e.Message);
                return No(ImapReplies.StorageFailed);
            }
        }

        private int Dispatch(ImapCommand command, bool uid, bool hasArguments)
        {
            switch (command)
            {
                case ImapCommand.Capability: return hasArguments ? Bad(ImapReplies.SyntaxError) : Capability();
                case ImapCommand.Noop: return hasArguments ? Bad(ImapReplies.SyntaxError) : Noop();
                case ImapCommand.Logout: return hasArguments ? Bad(ImapReplies.SyntaxError) : Logout();
                case ImapCommand.StartTls: return hasArguments ? Bad(ImapReplies.SyntaxError) : StartTls();
                case ImapCommand.Login: return Login();
                case ImapCommand.Authenticate: return Authenticate();
                case ImapCommand.Enable: return Enable();
                case ImapCommand.Namespace: return hasArguments ? Bad(ImapReplies.SyntaxError) : Namespace();
                case ImapCommand.Id: return Id();
                case ImapCommand.List: return List(false);
                case ImapCommand.Lsub: return List(true);
                case ImapCommand.Status: return Status();
                case ImapCommand.Select: return Select(false);
                case ImapCommand.Examine: return Select(true);
                case ImapCommand.Subscribe: return Subscribe();
                case ImapCommand.Unsupported: return No(ImapReplies.Cannot);
                case ImapCommand.Close: return hasArguments ? Bad(ImapReplies.SyntaxError) : Close(true);
                case ImapCommand.Unselect: return hasArguments ? Bad(ImapReplies.SyntaxError) : Close(false);
                case ImapCommand.Check: return hasArguments ? Bad(ImapReplies.SyntaxError) : Noop();
                case ImapCommand.Expunge: return Expunge(uid, hasArguments);
                case ImapCommand.Fetch: return Fetch(uid);
                case ImapCommand.Store: return Store(uid);
                case ImapCommand.Search: return Search(uid);
                case ImapCommand.Idle: return hasArguments ? Bad(ImapReplies.SyntaxError) : Idle();
                default: return Bad(ImapReplies.UnknownCommand);
            }
        }

        // ---- results ------------------------------------------------------------------

        private int Bad(string text)
        {
            _text = text;
            return ResultBad;
        }

        private int No(string text)
        {
            _text = text;
            return ResultNo;
        }

        private void PutTagged(int result)
        {
            PutBytes(_tag, 0, _tagLength);
            Put(result == ResultOk ? ImapReplies.Ok : result == ResultNo ? ImapReplies.No : ImapReplies.Bad);
            Put(_text);
            Put(ImapReplies.CrLf);
        }

        // ---- parser steps (RFC 9051 §9) -----------------------------------------------

        /// <summary>ATOM-CHAR (and with <paramref name="astring"/> also "]", ASTRING-CHAR).</summary>
        private static bool IsAtomChar(byte b, bool astring)
        {
            if (b <= 0x20 || b >= 0x7F) return false;
            switch (b)
            {
                case (byte)'(': case (byte)')': case (byte)'{': case (byte)'%':
                case (byte)'*': case (byte)'"': case (byte)'\\':
                    return false;
                case (byte)']':
                    return astring;
                default:
                    return true;
            }
        }

        /// <summary>Consumes one SP; false when there is none.</summary>
        private bool Sp()
        {
            if (_p < _end && _in[_p] == Ascii.SP) { _p++; return true; }
            return false;
        }

        private bool AtEnd => _p >= _end;

        /// <summary>An atom (ATOM-CHARs; with <paramref name="astring"/> also "]"); its length, 0 when none.</summary>
        private int Atom(out int start, bool astring)
        {
            start = _p;
            while (_p < _end && IsAtomChar(_in[_p], astring)) _p++;
            return _p - start;
        }

        /// <summary>
        /// An astring (RFC 9051 §9: atom, quoted or literal); quoted strings are unescaped in
        /// place. Returns its length, or -1 on a syntax error.
        /// </summary>
        private int AString(out int start)
        {
            start = _p;
            if (_p >= _end) return -1;
            byte b = _in[_p];
            if (b == (byte)'"') return Quoted(out start);
            if (b == (byte)'{') return Literal(out start);
            int n = Atom(out start, true);
            return n == 0 ? -1 : n;
        }

        private int Quoted(out int start)
        {
            _p++;
            start = _p;
            int w = _p;
            while (_p < _end)
            {
                byte b = _in[_p++];
                if (b == (byte)'"') return w - start;
                if (b == Ascii.CR || b == Ascii.LF) return -1;
                if (b == (byte)'\\')
                {
                    // quoted-specials only: "\"" and "\\".
                    if (_p >= _end || (_in[_p] != (byte)'"' && _in[_p] != (byte)'\\')) return -1;
                    b = _in[_p++];
                }
                _in[w++] = b;
            }
            return -1;
        }

        private int Literal(out int start)
        {
            start = _p;
            int close = _p + 1;
            while (close < _end && Ascii.IsDigit(_in[close])) close++;
            long n = Ascii.ParseDecimal(_in, _p + 1, close - _p - 1, _in.Length);
            if (n < 0 || close >= _end) return -1;
            if (_in[close] == (byte)'+') close++;
            // "}" CRLF, then the octets (NextCommand put them there).
            if (close + 2 >= _in.Length || _in[close] != (byte)'}' || _in[close + 1] != Ascii.CR || _in[close + 2] != Ascii.LF) return -1;
            start = close + 3;
            if (start + n > _end) return -1;
            _p = start + (int)n;
            return (int)n;
        }

        /// <summary>True when the next octets are the keyword (ignoring case) followed by SP, "(", ")", "[", "]", "&lt;" or the end; consumes it.</summary>
        private bool Keyword(string upper)
        {
            int n = upper.Length;
            if (_end - _p < n || !Ascii.EqualsIgnoreCase(_in, _p, n, upper)) return false;
            int after = _p + n;
            if (after < _end && _in[after] != Ascii.SP && _in[after] != (byte)')' && _in[after] != (byte)'[' && _in[after] != (byte)']' && _in[after] != (byte)'<') return false;
            _p = after;
            return true;
        }

        /// <summary>A mailbox name equal to INBOX in any case (RFC 9051 §5.1: INBOX is case-insensitive).</summary>
        private bool IsInbox(int start, int length)
        {
            return Ascii.EqualsIgnoreCase(_in, start, length, ImapReplies.Inbox);
        }

        // ---- output -------------------------------------------------------------------

        /// <summary>Copies a string into the output (characters below U+0100 as octets).</summary>
        private void Put(string s)
        {
            _lines.Append(s);
        }

        private void PutBytes(byte[] b, int offset, int count)
        {
            while (count > 0)
            {
                if (_lines.Room == 0) _lines.Flush();
                int n = count < _lines.Room ? count : _lines.Room;
                System.Array.Copy(b, offset, _lines.Output, _lines.OutputLength, n);
                _lines.Advance(n);
                offset += n;
                count -= n;
            }
        }

        private void PutDecimal(long value)
        {
            _lines.AppendDecimal(value);
        }

        /// <summary>"* " then the number and the word (untagged EXISTS, EXPUNGE, FETCH, RFC 9051 §7.4).</summary>
        private void PutNumbered(long n, string word)
        {
            Put(ImapReplies.Untagged);
            PutDecimal(n);
            Put(word);
        }

        /// <summary>
        /// A string as quoted (RFC 9051 §4.3) when it can be, else as a literal (CR, LF, NUL,
        /// octets over 0x7F); null as NIL.
        /// </summary>
        private void PutNString(string? s)
        {
            if (s == null) { Put("NIL"); return; }
            bool quotable = true;
            for (int i = 0; i < s.Length && quotable; i++)
            {
                char c = s[i];
                if (c == '\r' || c == '\n' || c == (char)0 || c > (char)0x7E) quotable = false;
            }
            if (!quotable)
            {
                Put("{");
                PutDecimal(s.Length);
                Put("}\r\n");
                Put(s);
                return;
            }
            Put("\"");
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c == '"' || c == '\\') PutOctet((byte)'\\');
                PutOctet((byte)c);
            }
            Put("\"");
        }

        /// <summary>One octet (also ImapMessageHeader.Filter's output).</summary>
        internal void PutOctet(byte b)
        {
            if (_lines.Room == 0) _lines.Flush();
            _lines.Output[_lines.OutputLength] = b;
            _lines.Advance(1);
        }

        private void Flush()
        {
            _lines.Flush();
        }
    }
}
