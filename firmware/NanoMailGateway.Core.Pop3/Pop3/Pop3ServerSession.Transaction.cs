// TRANSACTION and UPDATE handlers of a POP3 session (RFC 1939 §5, §6, §7): STAT, LIST,
// UIDL, RETR, TOP, DELE, RSET, QUIT. Message numbers are 1-based and never refer to a
// message marked deleted (RFC 1939 §5). Sizes are IMaildrop.SizeOf: the exact octets RETR
// sends before byte-stuffing (RFC 1939 §11). RETR and TOP stream the message through the
// output buffer: the maildrop fills its upper half, the dot-stuffer writes the lower half
// in place (it never outruns its input), so no message is ever held in RAM.
// Deletions are marks until QUIT; only QUIT in TRANSACTION enters UPDATE and commits them
// (RFC 1939 §6). Dropped connections and autologout never reach UPDATE.

using NanoMailGateway.Core.Text;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Pop3
{
    internal sealed partial class Pop3ServerSession
    {
        // Results of ParseMessageNumber.
        private const int NumberSyntax = -1;
        private const int NumberNoSuch = -2;
        private const int NumberDeleted = -3;

        private bool Stat(int argLength)
        {
            if (NoArguments(argLength)) return true;
            // RFC 1939 §5 STAT: "+OK nn mm", messages marked deleted are not counted.
            _lines.Append(Pop3Replies.OkPrefix);
            _lines.AppendDecimal(LiveCount());
            _lines.Append(Pop3Replies.Space);
            _lines.AppendDecimal(LiveOctets());
            _lines.Append(Pop3Replies.CrLf);
            return false;
        }

        private bool ListOrUidl(int argStart, int argLength, bool uidl)
        {
            IMaildrop m = _maildrop!;
            if (argLength > 0)
            {
                int index = ParseMessageNumber(argStart, argLength);
                if (index < 0) return RefuseNumber(index);
                _lines.Append(Pop3Replies.OkPrefix);
                PutListing(m, index, uidl);
                return false;
            }
            _lines.Append(uidl ? Pop3Replies.UidListing : Pop3Replies.ScanListing);
            for (int i = 0; i < m.Count; i++)
            {
                if (!_deleted[i]) PutListing(m, i, uidl);
            }
            _lines.Append(Pop3Replies.EndOfMultiline);
            return false;
        }

        private void PutListing(IMaildrop m, int index, bool uidl)
        {
            _lines.AppendDecimal(index + 1);
            _lines.Append(Pop3Replies.Space);
            if (uidl) _lines.Append(m.UniqueId(index));   // RFC 1939 §7: 0x21..0x7E, so no dot-stuffing needed
            else _lines.AppendDecimal(m.SizeOf(index));
            _lines.Append(Pop3Replies.CrLf);
        }

        private bool Retr(int argStart, int argLength)
        {
            int index = ParseMessageNumber(argStart, argLength);
            if (index < 0) return RefuseNumber(index);
            long size = _maildrop!.SizeOf(index);
            _lines.Append(Pop3Replies.OkPrefix);
            _lines.AppendDecimal(size);
            _lines.Append(Pop3Replies.Octets);
            _sendIndex = index;   // streamed by Run once this returns
            _sendLines = -1;
            return false;
        }

        private bool Top(int argStart, int argLength)
        {
            // RFC 1939 §7: TOP msg n, both required, n non-negative.
            int sp = Ascii.IndexOf(_lines.Input, argStart, argLength, Ascii.SP);
            if (sp < 0) return Refuse(Pop3Replies.SyntaxError);
            long lines = Ascii.ParseDecimal(_lines.Input, sp + 1, argStart + argLength - sp - 1, int.MaxValue - 1);
            if (lines < 0) return Refuse(Pop3Replies.SyntaxError);
            int index = ParseMessageNumber(argStart, sp - argStart);
            if (index < 0) return RefuseNumber(index);
            _lines.Append(Pop3Replies.TopFollows);
            _sendIndex = index;   // streamed by Run once this returns
            _sendLines = (int)lines;
            return false;
        }

        private bool Dele(int argStart, int argLength)
        {
            int index = ParseMessageNumber(argStart, argLength);
            if (index < 0) return RefuseNumber(index);
            _deleted[index] = true;   // RFC 1939 §5: only marked; removed in UPDATE
            return Accept(Pop3Replies.Deleted);
        }

        private bool Rset(int argLength)
        {
            if (NoArguments(argLength)) return true;
            for (int i = 0; i < _deleted.Length; i++) _deleted[i] = false;
            PutMaildropSummary();
            return false;
        }

        private bool Quit(int argLength)
        {
            if (NoArguments(argLength)) return true;
            if (_state != Pop3State.WaitingForMailCommand)
            {
                _state = Pop3State.Closed;   // RFC 1939 §4: QUIT in AUTHORIZATION, no UPDATE
                return Accept(Pop3Replies.Bye);
            }
            _state = Pop3State.Updating;
            int marked = 0;
            for (int i = 0; i < _deleted.Length; i++) if (_deleted[i]) marked++;
            bool ok = true;
            if (marked > 0)
            {
                try
                {
                    ok = _maildrop!.Commit(_deleted);
                }
                catch (NanoMailGateway.Core.Platform.StorageException e)
                {
                    _server.Log.Write(Component, _id, "update failed: " + e.Message);
                    ok = false;
                }
            }
            _server.Log.Write(Component, _id, "logout " + (_lockedMailbox ?? "") + ", " + marked.ToString() + " deleted" + (ok ? "" : " (incomplete)"));
            _state = Pop3State.Closed;
            // RFC 1939 §6: -ERR when some deleted messages could not be removed.
            if (!ok) return Accept(Pop3Replies.NotAllRemoved);
            return Accept(marked > 0 ? Pop3Replies.ByeDeleted : Pop3Replies.Bye);
        }

        /// <summary>
        /// Streams the message RETR or TOP asked for (_sendIndex) dot-stuffed, then the
        /// terminator; only the first _sendLines body lines when that is 0 or more (TOP).
        /// </summary>
        private void SendMessage()
        {
            int index = _sendIndex;
            int bodyLines = _sendLines;
            _sendIndex = -1;
            IMaildrop m = _maildrop!;
            long size = m.SizeOf(index);
            _lines.Flush();
            byte[] output = _lines.Output;
            int half = output.Length / 2;
            _stuffer.Begin(bodyLines);
            long position = 0;
            while (position < size && !_stuffer.Done)
            {
                int want = half;
                if (size - position < want) want = (int)(size - position);
                int n = m.Read(index, position, output, half, want);
                if (n <= 0 || n > want)
                {
                    // The maildrop broke its own size: a short message would be a lie.
                    throw new NanoMailGateway.Core.Platform.StorageException("message " + (index + 1).ToString() + " shorter than its size");
                }
                position += n;
                _lines.Advance(_stuffer.Stuff(output, half, n, 0));
                _lines.Flush();
            }
            // RFC 1939 §3: the multi-line response ends with CRLF "." CRLF. Stored messages
            // end with CRLF (IMaildrop contract); if one does not, a CRLF is added so that
            // the terminator is still recognised.
            _lines.Append(_stuffer.AtLineStart ? Pop3Replies.EndOfMultiline : Pop3Replies.CrLfEndOfMultiline);
        }

        /// <summary>
        /// The 0-based index of the message number in the argument, or NumberSyntax,
        /// NumberNoSuch, NumberDeleted. Grammar (RFC 1939 §3): msg = 1*DIGIT, one argument.
        /// </summary>
        private int ParseMessageNumber(int argStart, int argLength)
        {
            long n = Ascii.ParseDecimal(_lines.Input, argStart, argLength, int.MaxValue);
            if (n < 0) return NumberSyntax;
            if (n < 1 || n > _deleted.Length) return NumberNoSuch;
            int index = (int)(n - 1);
            if (_deleted[index]) return NumberDeleted;
            return index;
        }

        private bool RefuseNumber(int result)
        {
            // Syntax errors count toward the error limit; asking for a message that is not
            // there (or marked) is a normal race with DELE, not a client fault.
            if (result == NumberSyntax) return Refuse(Pop3Replies.SyntaxError);
            return Accept(result == NumberDeleted ? Pop3Replies.AlreadyDeleted : Pop3Replies.NoSuchMessage);
        }

        private void PutMaildropSummary()
        {
            _lines.Append(Pop3Replies.MaildropHas);
            _lines.AppendDecimal(LiveCount());
            _lines.Append(Pop3Replies.MessagesOpen);
            _lines.AppendDecimal(LiveOctets());
            _lines.Append(Pop3Replies.OctetsClose);
        }

        private int LiveCount()
        {
            int c = 0;
            for (int i = 0; i < _deleted.Length; i++) if (!_deleted[i]) c++;
            return c;
        }

        private long LiveOctets()
        {
            long s = 0;
            for (int i = 0; i < _deleted.Length; i++) if (!_deleted[i]) s += _maildrop!.SizeOf(i);
            return s;
        }
    }
}
