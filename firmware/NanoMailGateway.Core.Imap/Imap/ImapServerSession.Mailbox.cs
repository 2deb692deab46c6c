// Handlers of the Selected state (RFC 9051 §6.3.2, §6.4): SELECT/EXAMINE of INBOX,
// CLOSE/UNSELECT, EXPUNGE and UID EXPUNGE, STORE of \Seen and \Deleted, SEARCH (a
// subset: ALL, SEEN, UNSEEN, DELETED, UNDELETED, ANSWERED, UNANSWERED, FLAGGED,
// UNFLAGGED, NEW, OLD, RECENT, DRAFT, UNDRAFT, UID set, message set, SINCE, BEFORE, ON,
// NOT, OR, parentheses; RFC 9051 §6.4.4) and IDLE (RFC 2177, RFC 9051 §6.3.13), and
// the report of other sessions' changes (Refresh): EXPUNGE for what left, EXISTS for
// what came, FETCH FLAGS for flags changed elsewhere. A session's view keeps message
// numbers fixed between reports, as RFC 9051 §7.5.1 requires.
// Sequence sets (RFC 9051 §9 sequence-set) are checked once and then matched in place
// for each message: no list is built.

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    internal sealed partial class ImapServerSession
    {
        private MailboxView? _view;
        private int[] _knownFlags = new int[0];   // flags last reported, per message number
        private int _changes;                     // the store's change count at the last look
        private bool _readOnly;

        private void CloseMailbox()
        {
            _view = null;
            _knownFlags = new int[0];
        }

        private int Select(bool readOnly)
        {
            int n = AString(out int start);
            if (n < 0 || !AtEnd) return Bad(ImapReplies.SyntaxError);
            if (_view != null && _rev2) Put("* OK [CLOSED] Previous mailbox closed\r\n");
            CloseMailbox();
            _state = ImapState.WaitingForSelect;
            if (!IsInbox(start, n)) return No(ImapReplies.NoMailbox);
            _changes = _server.Store.Changes;
            MailboxView view = _server.Store.OpenView(_user!);
            _view = view;
            _readOnly = readOnly;
            _knownFlags = new int[view.Count];
            int firstUnseen = 0;
            for (int i = 0; i < view.Count; i++)
            {
                _knownFlags[i] = view.Flags(i);
                if (firstUnseen == 0 && (_knownFlags[i] & RecipientStatus.FlagSeen) == 0) firstUnseen = i + 1;
            }
            _state = ImapState.WaitingForMailboxCommand;
            PutNumbered(view.Count, " EXISTS\r\n");
            if (!_rev2)
            {
                // IMAP4rev1 (RFC 3501 §6.3.1): RECENT and the first unseen message.
                Put("* 0 RECENT\r\n");
                if (firstUnseen > 0) { Put("* OK [UNSEEN "); PutDecimal(firstUnseen); Put("] First unseen\r\n"); }
            }
            Put(ImapReplies.Flags);
            Put(readOnly ? ImapReplies.PermanentFlagsRo : ImapReplies.PermanentFlagsRw);
            Put("* OK [UIDVALIDITY ");
            PutDecimal(ImapReplies.UidValidity);
            Put("] UIDs valid\r\n* OK [UIDNEXT ");
            PutDecimal(_server.Store.NextUid);
            Put("] Predicted next UID\r\n");
            _text = readOnly ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed";
            return ResultOk;
        }

        private int Close(bool expunge)
        {
            // RFC 9051 §6.4.1: CLOSE removes \Deleted messages silently (no EXPUNGE responses).
            if (expunge && !_readOnly) ExpungeMarked(false);
            CloseMailbox();
            _state = ImapState.WaitingForSelect;
            return ResultOk;
        }

        private int Expunge(bool uid, bool hasArguments)
        {
            if (uid != hasArguments) return Bad(ImapReplies.SyntaxError);
            if (uid && !SequenceSet(out _setStart, out _setLength, true)) return Bad(ImapReplies.SyntaxError);
            if (!AtEnd) return Bad(ImapReplies.SyntaxError);
            if (_readOnly) return No(ImapReplies.ReadOnly);
            ExpungeMarked(uid);
            Refresh();
            return ResultOk;
        }

        /// <summary>Expunges the \Deleted messages (with <paramref name="inSet"/> only those in the parsed UID set).</summary>
        private void ExpungeMarked(bool inSet)
        {
            MailboxView view = _view!;
            bool[] marked = new bool[view.Count];
            int n = 0;
            for (int i = 0; i < view.Count; i++)
            {
                if ((view.Flags(i) & RecipientStatus.FlagDeleted) == 0) continue;
                if (inSet && !InSet(view.Uid(i), MaxUid(view))) continue;
                marked[i] = true;
                n++;
            }
            if (n == 0) return;
            int gone = view.Expunge(marked);
            _server.Log.Write(Component, _id, "expunged " + gone.ToString() + " from " + _user);
        }

        private int Store(bool uid)
        {
            // RFC 9051 §6.4.6: STORE set ("+" / "-") FLAGS[.SILENT] flag-list.
            if (!SequenceSet(out _setStart, out _setLength, uid) || !Sp()) return Bad(ImapReplies.SyntaxError);
            int mode = 0;
            if (_p < _end && _in[_p] == (byte)'+') { mode = 1; _p++; }
            else if (_p < _end && _in[_p] == (byte)'-') { mode = -1; _p++; }
            if (_end - _p < 5 || !Ascii.EqualsIgnoreCase(_in, _p, 5, "FLAGS")) return Bad(ImapReplies.SyntaxError);
            _p += 5;
            bool silent = false;
            if (_p + 7 <= _end && Ascii.EqualsIgnoreCase(_in, _p, 7, ".SILENT")) { silent = true; _p += 7; }
            if (!Sp()) return Bad(ImapReplies.SyntaxError);
            int flags = FlagList();
            if (flags < 0 || !AtEnd) return Bad(ImapReplies.SyntaxError);
            if (!uid && !SetFitsView()) return Bad(ImapReplies.BadSequence);
            if (_readOnly) return No(ImapReplies.ReadOnly);
            MailboxView view = _view!;
            long star = uid ? MaxUid(view) : view.Count;
            for (int i = 0; i < view.Count; i++)
            {
                if (!InSet(uid ? view.Uid(i) : i + 1, star) || !view.IsPresent(i)) continue;
                int old = view.Flags(i);
                int now = mode == 1 ? old | flags : mode == -1 ? old & ~flags : flags;
                if (now != old) view.SetFlags(i, now);
                _knownFlags[i] = now;
                if (silent) continue;
                PutNumbered(i + 1, " FETCH (");
                PutFlags(now);
                if (uid) { Put(" UID "); PutDecimal(view.Uid(i)); }
                Put(")\r\n");
            }
            return ResultOk;
        }

        /// <summary>A flag list "(...)" or flags separated by SP; the bits of \Seen and \Deleted, -1 on a syntax error. Others are accepted and not kept.</summary>
        private int FlagList()
        {
            bool paren = _p < _end && _in[_p] == (byte)'(';
            if (paren) _p++;
            int flags = 0;
            bool first = true;
            while (_p < _end && !(paren && _in[_p] == (byte)')'))
            {
                if (!first && !Sp()) return -1;
                first = false;
                bool system = _p < _end && _in[_p] == (byte)'\\';
                if (system) _p++;
                int n = Atom(out int start, false);
                if (n == 0) return -1;
                if (system && Ascii.EqualsIgnoreCase(_in, start, n, "SEEN")) flags |= RecipientStatus.FlagSeen;
                else if (system && Ascii.EqualsIgnoreCase(_in, start, n, "DELETED")) flags |= RecipientStatus.FlagDeleted;
            }
            if (paren)
            {
                if (_p >= _end) return -1;
                _p++;
            }
            else if (first) return -1;
            return flags;
        }

        private void PutFlags(int flags)
        {
            Put("FLAGS (");
            if ((flags & RecipientStatus.FlagSeen) != 0) Put((flags & RecipientStatus.FlagDeleted) != 0 ? "\\Seen \\Deleted" : "\\Seen");
            else if ((flags & RecipientStatus.FlagDeleted) != 0) Put("\\Deleted");
            Put(")");
        }

        private static long MaxUid(MailboxView view)
        {
            return view.Count == 0 ? 0 : view.Uid(view.Count - 1);
        }

        // ---- sequence sets ------------------------------------------------------------

        private int _setStart;
        private int _setLength;

        /// <summary>
        /// Parses a sequence-set at the position (RFC 9051 §9: seq-number [":" seq-number]
        /// *("," ...), seq-number = nz-number / "*") and remembers where it is.
        /// </summary>
        private bool SequenceSet(out int start, out int length, bool uid)
        {
            start = _p;
            while (true)
            {
                if (!SeqNumber()) { length = 0; return false; }
                if (_p < _end && _in[_p] == (byte)':')
                {
                    _p++;
                    if (!SeqNumber()) { length = 0; return false; }
                }
                if (_p < _end && _in[_p] == (byte)',') { _p++; continue; }
                break;
            }
            length = _p - start;
            return true;
        }

        private bool SeqNumber()
        {
            if (_p < _end && _in[_p] == (byte)'*') { _p++; return true; }
            int s = _p;
            while (_p < _end && Ascii.IsDigit(_in[_p])) _p++;
            long v = Ascii.ParseDecimal(_in, s, _p - s, 0xFFFFFFFFL);
            return v > 0;
        }

        /// <summary>True when <paramref name="value"/> is in the remembered set, "*" standing for <paramref name="star"/>.</summary>
        private bool InSet(long value, long star)
        {
            return InSetAt(_setStart, _setLength, value, star);
        }

        /// <summary>As <see cref="InSet"/> for the checked set at [<paramref name="p"/>, +<paramref name="length"/>).</summary>
        private bool InSetAt(int p, int length, long value, long star)
        {
            int end = p + length;
            while (p < end)
            {
                long a = SetNumber(ref p, end, star);
                long b = a;
                if (p < end && _in[p] == (byte)':') { p++; b = SetNumber(ref p, end, star); }
                if (p < end) p++;   // ","
                if (a > b) { long t = a; a = b; b = t; }
                if (value >= a && value <= b) return true;
            }
            return false;
        }

        private long SetNumber(ref int p, int end, long star)
        {
            if (_in[p] == (byte)'*') { p++; return star; }
            long v = 0;
            while (p < end && Ascii.IsDigit(_in[p])) { v = v * 10 + (_in[p] - (byte)'0'); p++; }
            return v;
        }

        /// <summary>RFC 9051 §9: a message number beyond the mailbox is invalid (BAD); "*" is always valid.</summary>
        private bool SetFitsView()
        {
            int p = _setStart;
            int end = _setStart + _setLength;
            while (p < end)
            {
                long v = SetNumber(ref p, end, 0);
                if (v > _view!.Count) return false;
                if (p < end) p++;
            }
            return true;
        }

        // ---- reports of changes -------------------------------------------------------

        /// <summary>
        /// Looks at the mailbox again and reports the difference (RFC 9051 §7.4.1, §7.3.1):
        /// EXPUNGE from the highest number down (so each number is still right when sent),
        /// EXISTS when messages came, FETCH FLAGS for flags another session changed.
        /// </summary>
        private void Refresh()
        {
            MailboxView old = _view!;
            _changes = _server.Store.Changes;
            MailboxView now = _server.Store.OpenView(_user!);
            int j = now.Count - 1;
            int kept = 0;
            for (int i = old.Count - 1; i >= 0; i--)
            {
                long u = old.Uid(i);
                while (j >= 0 && now.Uid(j) > u) j--;
                if (j >= 0 && now.Uid(j) == u) { kept++; continue; }
                PutNumbered(i + 1, " EXPUNGE\r\n");
            }
            int[] known = new int[now.Count];
            // Old messages still there keep their flags as last reported; the rest are new.
            int k = 0;
            for (int i = 0; i < old.Count && k < now.Count; i++)
            {
                if (old.Uid(i) == now.Uid(k)) known[k++] = _knownFlags[i];
            }
            if (now.Count > kept) PutNumbered(now.Count, " EXISTS\r\n");
            for (int i = 0; i < now.Count; i++)
            {
                int f = now.Flags(i);
                if (i < kept && f != known[i])
                {
                    PutNumbered(i + 1, " FETCH (");
                    PutFlags(f);
                    Put(")\r\n");
                }
                known[i] = f;
            }
            _view = now;
            _knownFlags = known;
        }

        private int Idle()
        {
            // RFC 2177 / RFC 9051 §6.3.13: "+" then untagged updates until DONE. The session
            // reads in short slices and looks at the store's change count in between.
            Put(ImapReplies.ContinueIdle);
            Flush();
            long started = _server.Clock.MonotonicMilliseconds;
            while (true)
            {
                if (_view != null && _server.Store.Changes != _changes)
                {
                    Refresh();
                    Flush();
                }
                int r = NextCommand(_options.AutologoutMs, _server.Clock.MonotonicMilliseconds + _options.IdlePollMs);
                if (r == CommandTimedOut)
                {
                    if (_server.Clock.MonotonicMilliseconds - started < _options.AutologoutMs) continue;
                    Put(ImapReplies.ByeAutologout);
                    _server.Log.Write(Component, _id, "autologout in IDLE");
                    _state = ImapState.Closed;
                    return ResultNone;
                }
                if (r == CommandClosed)
                {
                    _state = ImapState.Closed;
                    return ResultNone;
                }
                if (r == CommandComplete && Ascii.EqualsIgnoreCase(_in, _cmd, _end - _cmd, "DONE"))
                {
                    _text = ImapReplies.IdleDone;
                    return ResultOk;
                }
                return Bad(ImapReplies.NoIdleDone);
            }
        }
    }
}
