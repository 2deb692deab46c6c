// FETCH and UID FETCH (RFC 9051 §6.4.5, §7.5.2): FLAGS, UID, RFC822.SIZE, INTERNALDATE,
// ENVELOPE, BODYSTRUCTURE and BODY, BODY[section]<partial> and BODY.PEEK[...] with the
// sections "", HEADER, TEXT, HEADER.FIELDS (...), HEADER.FIELDS.NOT (...), n (the body of
// a single-part message as 1, part n of a multipart one) and n.MIME (part n's MIME header),
// RFC822, RFC822.HEADER, RFC822.TEXT, and the macros ALL, FAST, FULL. Bodies stream from
// flash into the output buffer as literals; the header is read in small chunks
// (ImapMessageHeader) for its length, the ENVELOPE fields and the content type, and a
// multipart body once more for its parts' offsets (ImapBodyParts). A BODY[] without PEEK
// sets \Seen in a read-write mailbox (durably, one Status record) and the response then
// carries FLAGS.
// Left out on purpose: BINARY (RFC 3516), sections inside a part (n.m, n.HEADER, n.TEXT:
// they come back empty or are refused), MODSEQ.

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    internal sealed partial class ImapServerSession
    {
        // What a FETCH asks for besides sections.
        private const int WantUid = 1;
        private const int WantFlags = 2;
        private const int WantSize = 4;
        private const int WantDate = 8;
        private const int WantEnvelope = 16;
        private const int WantStructure = 32;
        private const int WantBody = 64;

        // Section kinds.
        private const int SectionFull = 0;
        private const int SectionHeader = 1;
        private const int SectionText = 2;
        private const int SectionFields = 3;
        private const int SectionFieldsNot = 4;
        private const int SectionPart = 5;       // part number in _secFields
        private const int SectionPartMime = 6;   // part number in _secFields
        private const int SectionOtherPart = 7;

        // How a section is named in the response.
        private const int NameBody = 0;
        private const int NameRfc822 = 1;
        private const int NameRfc822Header = 2;
        private const int NameRfc822Text = 3;

        /// <summary>Body sections one FETCH may ask for.</summary>
        private const int MaxSections = 8;

        private int _want;
        private int _sections;
        private int[]? _secKind;
        private int[]? _secName;
        private int[]? _secSpec;       // the text between the brackets, echoed in the response
        private int[]? _secSpecLength;
        private int[]? _secFields;     // the field list's inside, for HEADER.FIELDS[.NOT]; the part number
        private int[]? _secFieldsLength;
        private long[]? _secOrigin;    // partial: origin, or -1
        private long[]? _secCount;
        private bool _setsSeen;
        private ImapMessageHeader? _header;
        private ImapBodyParts? _parts;

        // The message being fetched: its header's length and Content-Type, kept before its
        // parts' headers are scanned with the same ImapMessageHeader, and its parts.
        private long _headerLength;
        private string? _contentType;
        private bool _multipart;
        private int _partCount;
        private bool _topScanned;      // the header object holds the message's own header

        private int Fetch(bool uid)
        {
            if (!SequenceSet(out _setStart, out _setLength, uid) || !Sp()) return Bad(ImapReplies.SyntaxError);
            if (_secKind == null) AllocateSections();
            _want = uid ? WantUid : 0;   // RFC 9051 §6.4.9: UID FETCH always returns UID
            _sections = 0;
            _setsSeen = false;
            if (Keyword("ALL")) _want |= WantFlags | WantDate | WantSize | WantEnvelope;
            else if (Keyword("FAST")) _want |= WantFlags | WantDate | WantSize;
            else if (Keyword("FULL")) _want |= WantFlags | WantDate | WantSize | WantEnvelope | WantBody;
            else if (_p < _end && _in[_p] == (byte)'(')
            {
                _p++;
                while (true)
                {
                    if (!FetchAtt()) return Bad(ImapReplies.SyntaxError);
                    if (_p < _end && _in[_p] == (byte)')') { _p++; break; }
                    if (!Sp()) return Bad(ImapReplies.SyntaxError);
                }
            }
            else if (!FetchAtt()) return Bad(ImapReplies.SyntaxError);
            if (!AtEnd) return Bad(ImapReplies.SyntaxError);
            if (!uid && !SetFitsView()) return Bad(ImapReplies.BadSequence);
            MailboxView view = _view!;
            long star = uid ? MaxUid(view) : view.Count;
            for (int i = 0; i < view.Count; i++)
            {
                // A message another session expunged is skipped until the next report (RFC 9051 §7.5.1).
                if (!InSet(uid ? view.Uid(i) : i + 1, star) || !view.IsPresent(i)) continue;
                FetchOne(view, i);
            }
            return ResultOk;
        }

        private void AllocateSections()
        {
            _secKind = new int[MaxSections];
            _secName = new int[MaxSections];
            _secSpec = new int[MaxSections];
            _secSpecLength = new int[MaxSections];
            _secFields = new int[MaxSections];
            _secFieldsLength = new int[MaxSections];
            _secOrigin = new long[MaxSections];
            _secCount = new long[MaxSections];
        }

        /// <summary>One fetch-att (RFC 9051 §9); false on a syntax error.</summary>
        private bool FetchAtt()
        {
            if (Keyword("FLAGS")) { _want |= WantFlags; return true; }
            if (Keyword("UID")) { _want |= WantUid; return true; }
            if (Keyword("INTERNALDATE")) { _want |= WantDate; return true; }
            if (Keyword("RFC822.SIZE")) { _want |= WantSize; return true; }
            if (Keyword("ENVELOPE")) { _want |= WantEnvelope; return true; }
            if (Keyword("BODYSTRUCTURE")) { _want |= WantStructure; return true; }
            if (Keyword("RFC822.HEADER")) return AddSection(SectionHeader, NameRfc822Header, true);
            if (Keyword("RFC822.TEXT")) return AddSection(SectionText, NameRfc822Text, false);
            if (Keyword("RFC822")) return AddSection(SectionFull, NameRfc822, false);
            bool peek = Keyword("BODY.PEEK");
            if (!peek && !Keyword("BODY")) return false;
            if (_p >= _end || _in[_p] != (byte)'[')
            {
                if (peek) return false;
                _want |= WantBody;
                return true;
            }
            _p++;
            if (_sections == MaxSections) return false;
            int k = _sections;
            _secSpec![k] = _p;
            int kind;
            if (_p < _end && _in[_p] == (byte)']') kind = SectionFull;
            else if (Keyword("HEADER.FIELDS.NOT")) kind = SectionFieldsNot;
            else if (Keyword("HEADER.FIELDS")) kind = SectionFields;
            else if (Keyword("HEADER")) kind = SectionHeader;
            else if (Keyword("TEXT")) kind = SectionText;
            else
            {
                // section-part: nz-number *("." nz-number), then ".MIME" (RFC 9051 §6.4.5);
                // one level of parts has content.
                int s = _p;
                while (_p < _end && (Ascii.IsDigit(_in[_p]) || (_in[_p] == (byte)'.' && _p + 1 < _end && Ascii.IsDigit(_in[_p + 1])))) _p++;
                if (_p == s || _in[s] == (byte)'0') return false;
                long part = Ascii.ParseDecimal(_in, s, _p - s, ImapBodyParts.MaxParts + 1);
                bool mime = Keyword(".MIME");
                kind = part < 0 ? SectionOtherPart : mime ? SectionPartMime : SectionPart;
                _secFields![k] = (int)part;
            }
            if (kind == SectionFields || kind == SectionFieldsNot)
            {
                if (!Sp() || _p >= _end || _in[_p] != (byte)'(') return false;
                _p++;
                _secFields![k] = _p;
                while (_p < _end && _in[_p] != (byte)')')
                {
                    int n = AString(out int _);
                    if (n <= 0) return false;
                    if (_p < _end && _in[_p] == Ascii.SP) _p++;
                }
                if (_p >= _end) return false;
                _secFieldsLength![k] = _p - _secFields[k];
                _p++;
            }
            if (_p >= _end || _in[_p] != (byte)']') return false;
            _secSpecLength![k] = _p - _secSpec[k];
            _p++;
            if (!AddSection(kind, NameBody, peek)) return false;
            if (_p < _end && _in[_p] == (byte)'<')
            {
                // partial: "<" number "." nz-number ">"
                _p++;
                int s = _p;
                while (_p < _end && Ascii.IsDigit(_in[_p])) _p++;
                long origin = Ascii.ParseDecimal(_in, s, _p - s, 0xFFFFFFFFL);
                if (origin < 0 || _p >= _end || _in[_p] != (byte)'.') return false;
                s = ++_p;
                while (_p < _end && Ascii.IsDigit(_in[_p])) _p++;
                long count = Ascii.ParseDecimal(_in, s, _p - s, 0xFFFFFFFFL);
                if (count < 1 || _p >= _end || _in[_p] != (byte)'>') return false;
                _p++;
                _secOrigin![k] = origin;
                _secCount![k] = count;
            }
            return true;
        }

        private bool AddSection(int kind, int name, bool peek)
        {
            if (_sections == MaxSections) return false;
            int k = _sections++;
            _secKind![k] = kind;
            _secName![k] = name;
            _secOrigin![k] = -1;
            if (name != NameBody) { _secSpecLength![k] = 0; _secFieldsLength![k] = 0; }
            if (!peek) _setsSeen = true;
            return true;
        }

        /// <summary>Writes one message's FETCH response.</summary>
        private void FetchOne(MailboxView view, int i)
        {
            int flags = view.Flags(i);
            bool seenNow = false;
            if (_setsSeen && !_readOnly && (flags & RecipientStatus.FlagSeen) == 0)
            {
                // RFC 9051 §6.4.5: BODY[...] without PEEK sets \Seen; reported with FLAGS.
                flags |= RecipientStatus.FlagSeen;
                view.SetFlags(i, flags);
                _knownFlags[i] = flags;
                seenNow = true;
            }
            ImapMessageHeader? h = null;
            _partCount = 0;
            bool structure = (_want & (WantStructure | WantBody)) != 0;
            bool parts = structure || WantsParts();
            if ((_want & WantEnvelope) != 0 || parts || NeedsHeaderLength())
            {
                Flush();
                if (_header == null) _header = new ImapMessageHeader();
                h = _header;
                // The output buffer is empty here and lends itself to the header scan.
                long size = view.SizeOf(i);
                h.Scan(view, i, 0, size, _lines.Output, (_want & WantEnvelope) != 0 || parts, structure);
                _headerLength = h.Length;
                _topScanned = true;
                _contentType = h.Field(ImapMessageHeader.ContentType);
                _multipart = h.IsMultipart;
                if (_multipart && parts)
                {
                    string? boundary = Parameter(_contentType!, "BOUNDARY");
                    if (_parts == null) _parts = new ImapBodyParts();
                    if (boundary != null) _partCount = _parts.Find(view, i, _headerLength, boundary);
                }
            }
            PutNumbered(i + 1, " FETCH (");
            bool first = true;
            if ((_want & WantUid) != 0) { first = Item(first, "UID "); PutDecimal(view.Uid(i)); }
            if ((_want & WantFlags) != 0 || seenNow) { first = Item(first, ""); PutFlags(flags); }
            if ((_want & WantSize) != 0) { first = Item(first, "RFC822.SIZE "); PutDecimal(view.SizeOf(i)); }
            if ((_want & WantDate) != 0)
            {
                first = Item(first, "INTERNALDATE ");
                if (_lines.Room < 32) Flush();
                _lines.Advance(ImapDate.WriteDateTime(view.ArrivalUtc(i), _lines.Output, _lines.OutputLength));
            }
            if ((_want & WantEnvelope) != 0) { first = Item(first, "ENVELOPE "); PutEnvelope(h!); }
            if ((_want & WantStructure) != 0) { first = Item(first, "BODYSTRUCTURE "); PutStructure(view, i, h!, true); }
            if ((_want & WantBody) != 0) { first = Item(first, "BODY "); PutStructure(view, i, h!, false); }
            for (int k = 0; k < _sections; k++)
            {
                first = Item(first, "");
                PutSection(view, i, k, h);
            }
            Put(")\r\n");
        }

        private bool NeedsHeaderLength()
        {
            for (int k = 0; k < _sections; k++) if (_secKind![k] != SectionFull) return true;
            return false;
        }

        private bool WantsParts()
        {
            for (int k = 0; k < _sections; k++) if (_secKind![k] == SectionPart || _secKind[k] == SectionPartMime) return true;
            return false;
        }

        private bool Item(bool first, string name)
        {
            if (!first) Put(" ");
            Put(name);
            return false;
        }

        private void PutSection(MailboxView view, int i, int k, ImapMessageHeader? h)
        {
            int name = _secName![k];
            if (name == NameRfc822) Put("RFC822 ");
            else if (name == NameRfc822Header) Put("RFC822.HEADER ");
            else if (name == NameRfc822Text) Put("RFC822.TEXT ");
            else
            {
                Put("BODY[");
                PutBytes(_in, _secSpec![k], _secSpecLength![k]);
                Put("]");
                if (_secOrigin![k] >= 0) { Put("<"); PutDecimal(_secOrigin[k]); Put(">"); }
                Put(" ");
            }
            long size = view.SizeOf(i);
            long from = 0;
            long length = size;
            switch (_secKind![k])
            {
                case SectionHeader:
                    length = _headerLength;
                    break;
                case SectionText:
                    from = _headerLength;
                    length = size - from;
                    break;
                case SectionPart:
                case SectionPartMime:
                    PartRange(view, i, k, h!, ref from, ref length);
                    break;
                case SectionOtherPart:
                    length = 0;
                    break;
                case SectionFields:
                case SectionFieldsNot:
                    PutFilteredHeader(view, i, k);
                    return;
            }
            long origin = _secOrigin![k];
            if (origin >= 0)
            {
                if (origin >= length) length = 0;
                else
                {
                    from += origin;
                    length -= origin;
                    if (length > _secCount![k]) length = _secCount[k];
                }
            }
            PutRange(view, i, from, length);
        }

        /// <summary>
        /// Where part n (BODY[n]) or its MIME header (BODY[n.MIME]) lies: part 1 of a
        /// single-part message is its body; a part that is not there is empty.
        /// </summary>
        private void PartRange(MailboxView view, int i, int k, ImapMessageHeader h, ref long from, ref long length)
        {
            int part = _secFields![k];
            bool mime = _secKind![k] == SectionPartMime;
            length = 0;
            if (!_multipart)
            {
                if (part == 1 && !mime) { from = _headerLength; length = view.SizeOf(i) - from; }
                return;
            }
            if (part > _partCount) return;
            long start = _parts!.Start(part - 1);
            long end = _parts.End(part - 1);
            // Without capture the scan writes nothing into the output buffer it is lent.
            h.Scan(view, i, start, end, _lines.Output, false, false);
            if (mime) { from = start; length = h.Length; }
            else { from = start + h.Length; length = end - from; }
        }

        /// <summary>Octets [from, from + length) of the message as a literal, streamed from flash.</summary>
        private void PutRange(MailboxView view, int i, long from, long length)
        {
            Put("{");
            PutDecimal(length);
            Put("}\r\n");
            long end = from + length;
            while (from < end)
            {
                if (_lines.Room == 0) Flush();
                int want = _lines.Room;
                if (end - from < want) want = (int)(end - from);
                int n = view.Read(i, from, _lines.Output, _lines.OutputLength, want);
                if (n <= 0 || n > want) throw new NanoMailGateway.Core.Platform.StorageException("message shorter than its size");
                _lines.Advance(n);
                from += n;
            }
        }

        /// <summary>HEADER.FIELDS[.NOT] (RFC 9051 §6.4.5): the matching lines and the blank line, as a literal (counted first, then sent).</summary>
        private void PutFilteredHeader(MailboxView view, int i, int k)
        {
            bool not = _secKind![k] == SectionFieldsNot;
            ImapMessageHeader h = _header ?? (_header = new ImapMessageHeader());
            long n = h.Filter(view, i, _in, _secFields![k], _secFieldsLength![k], not, null);
            Put("{");
            PutDecimal(n);
            Put("}\r\n");
            h.Filter(view, i, _in, _secFields[k], _secFieldsLength![k], not, this);
        }
    }
}
