// SEARCH and UID SEARCH (RFC 9051 §6.4.4) over the session's view: the criteria are
// checked once (with no message) and then evaluated in place for each message, so no
// tree is built. Keys: ALL, SEEN, UNSEEN, DELETED, UNDELETED, the flags this server does
// not keep (ANSWERED, FLAGGED, DRAFT, NEW, RECENT never match; their UN- forms and OLD
// always do), UID set, message set, SINCE, BEFORE, ON (the INTERNALDATE's day, UTC),
// LARGER, SMALLER, NOT, OR, parentheses, and CHARSET US-ASCII/UTF-8. Results: the
// IMAP4rev1 "* SEARCH" until ENABLE IMAP4rev2, ESEARCH (RFC 9051 §7.3.4) after it or
// when RETURN is given (MIN, MAX, COUNT, ALL).
// Left out on purpose: text keys (SUBJECT, FROM, BODY, HEADER...: each would read the
// message from flash), SAVE ($).

using System;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    internal sealed partial class ImapServerSession
    {
        private const int ReturnMin = 1;
        private const int ReturnMax = 2;
        private const int ReturnCount = 4;
        private const int ReturnAll = 8;

        private int Search(bool uid)
        {
            int returns = 0;
            bool esearch = _rev2;
            if (Keyword("RETURN"))
            {
                esearch = true;
                if (!Sp() || _p >= _end || _in[_p] != (byte)'(') return Bad(ImapReplies.SyntaxError);
                _p++;
                while (_p < _end && _in[_p] != (byte)')')
                {
                    if (returns != 0 && !Sp()) return Bad(ImapReplies.SyntaxError);
                    if (Keyword("MIN")) returns |= ReturnMin;
                    else if (Keyword("MAX")) returns |= ReturnMax;
                    else if (Keyword("COUNT")) returns |= ReturnCount;
                    else if (Keyword("ALL")) returns |= ReturnAll;
                    else return Bad(ImapReplies.SyntaxError);
                }
                _p++;
                if (!Sp()) return Bad(ImapReplies.SyntaxError);
            }
            if (returns == 0) returns = ReturnAll;
            if (Keyword("CHARSET"))
            {
                if (!Sp()) return Bad(ImapReplies.SyntaxError);
                int n = AString(out int cs);
                if (n < 0 || !Sp()) return Bad(ImapReplies.SyntaxError);
                if (!Ascii.EqualsIgnoreCase(_in, cs, n, "UTF-8") && !Ascii.EqualsIgnoreCase(_in, cs, n, "US-ASCII"))
                {
                    return No("[BADCHARSET (UTF-8 US-ASCII)] Charset not supported");
                }
            }
            int criteria = _p;
            if (!Criteria(-1, out bool _)) return Bad(ImapReplies.SyntaxError);
            MailboxView view = _view!;
            int count = 0;
            long min = 0;
            long max = 0;
            Put(esearch ? "* ESEARCH (TAG \"" : "* SEARCH");
            if (esearch)
            {
                PutBytes(_tag, 0, _tagLength);
                Put(uid ? "\") UID" : "\")");
            }
            bool allStarted = false;
            for (int i = 0; i < view.Count; i++)
            {
                _p = criteria;
                Criteria(i, out bool match);
                if (!match) continue;
                long v = uid ? view.Uid(i) : i + 1;
                if (count == 0) min = v;
                max = v;
                count++;
                if (!esearch) { Put(" "); PutDecimal(v); }
                else if ((returns & ReturnAll) != 0 && (returns & (ReturnMin | ReturnMax | ReturnCount)) == 0)
                {
                    // ALL alone can be written as the numbers come.
                    Put(allStarted ? "," : " ALL ");
                    allStarted = true;
                    PutDecimal(v);
                }
            }
            if (esearch && count > 0 && (returns & (ReturnMin | ReturnMax | ReturnCount)) != 0)
            {
                if ((returns & ReturnMin) != 0) { Put(" MIN "); PutDecimal(min); }
                if ((returns & ReturnMax) != 0) { Put(" MAX "); PutDecimal(max); }
                if ((returns & ReturnAll) != 0) PutAllAgain(view, criteria, uid);
            }
            if (esearch && (returns & ReturnCount) != 0) { Put(" COUNT "); PutDecimal(count); }
            Put(ImapReplies.CrLf);
            return ResultOk;
        }

        private void PutAllAgain(MailboxView view, int criteria, bool uid)
        {
            Put(" ALL ");
            bool first = true;
            for (int i = 0; i < view.Count; i++)
            {
                _p = criteria;
                Criteria(i, out bool match);
                if (!match) continue;
                if (!first) Put(",");
                first = false;
                PutDecimal(uid ? view.Uid(i) : i + 1);
            }
        }

        /// <summary>search-key *(SP search-key) to the end: all must match (index -1 only checks the syntax).</summary>
        private bool Criteria(int index, out bool match)
        {
            match = true;
            while (true)
            {
                if (!Key(index, out bool m)) return false;
                match &= m;
                if (AtEnd) return true;
                if (!Sp()) return false;
            }
        }

        /// <summary>One search-key (RFC 9051 §9); false on a syntax error.</summary>
        private bool Key(int index, out bool match)
        {
            match = false;
            if (_p >= _end) return false;
            MailboxView view = _view!;
            int flags = index >= 0 ? view.Flags(index) : 0;
            byte c = _in[_p];
            if (c == (byte)'(')
            {
                _p++;
                match = true;
                while (true)
                {
                    if (!Key(index, out bool m)) return false;
                    match &= m;
                    if (_p < _end && _in[_p] == (byte)')') { _p++; return true; }
                    if (!Sp()) return false;
                }
            }
            if (c == (byte)'*' || Ascii.IsDigit(c))
            {
                if (!SequenceSet(out int s, out int n, false)) return false;
                match = index >= 0 && InSetAt(s, n, index + 1, view.Count);
                return true;
            }
            if (Keyword("ALL") || Keyword("OLD") || Keyword("UNANSWERED") || Keyword("UNFLAGGED") || Keyword("UNDRAFT")) { match = true; return true; }
            if (Keyword("ANSWERED") || Keyword("FLAGGED") || Keyword("DRAFT") || Keyword("NEW") || Keyword("RECENT")) return true;
            if (Keyword("SEEN")) { match = (flags & RecipientStatus.FlagSeen) != 0; return true; }
            if (Keyword("UNSEEN")) { match = (flags & RecipientStatus.FlagSeen) == 0; return true; }
            if (Keyword("DELETED")) { match = (flags & RecipientStatus.FlagDeleted) != 0; return true; }
            if (Keyword("UNDELETED")) { match = (flags & RecipientStatus.FlagDeleted) == 0; return true; }
            if (Keyword("NOT"))
            {
                if (!Sp() || !Key(index, out bool m)) return false;
                match = !m;
                return true;
            }
            if (Keyword("OR"))
            {
                if (!Sp() || !Key(index, out bool a) || !Sp() || !Key(index, out bool b)) return false;
                match = a || b;
                return true;
            }
            if (Keyword("UID"))
            {
                if (!Sp() || !SequenceSet(out int s, out int n, true)) return false;
                match = index >= 0 && InSetAt(s, n, view.Uid(index), MaxUid(view));
                return true;
            }
            bool larger = Keyword("LARGER");
            if (larger || Keyword("SMALLER"))
            {
                if (!Sp()) return false;
                int s = _p;
                while (_p < _end && Ascii.IsDigit(_in[_p])) _p++;
                long n = Ascii.ParseDecimal(_in, s, _p - s, 0xFFFFFFFFL);
                if (n < 0) return false;
                if (index >= 0) match = larger ? view.SizeOf(index) > n : view.SizeOf(index) < n;
                return true;
            }
            int kind = Keyword("SINCE") ? 1 : Keyword("BEFORE") ? 2 : Keyword("ON") ? 3 : 0;
            if (kind == 0) return false;
            if (!Sp()) return false;
            long day = ImapDate.ParseDay(_in, ref _p, _end);
            if (day < 0) return false;
            if (index >= 0)
            {
                long d = view.ArrivalUtc(index).Ticks / TimeSpan.TicksPerDay;
                match = kind == 1 ? d >= day : kind == 2 ? d < day : d == day;
            }
            return true;
        }
    }
}
