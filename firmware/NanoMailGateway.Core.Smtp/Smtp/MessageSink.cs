// Where decoded DATA content goes on its way to the queue: straight into the writer's own
// write unit (IMessageWriter.GetBuffer), handed over with Advance whenever it fills, so the
// session holds no DATA buffer and nothing is copied twice (no per-line allocation either,
// ARCHITECTURE.md, Memory), with the checks that must see every content octet and the
// header edits made in passing:
// - message_size_limit on content octets: over it, writing stops and the session,
//   after the final dot, answers 552 5.3.4 (reading on to the end: an early answer
//   would let the rest of the mail be read as commands).
// - text lines of at most 1000 octets with CRLF (RFC 5321 §4.5.3.1.6): a longer line
//   is flagged; the session reads to the end and then refuses the message (554 5.6.0);
//   we do not wrap, as wrapping would change signed content behind the sender's back.
// - the header section (RFC 5322 §2.2, §3.6): Received: fields are counted for loop
//   detection (RFC 5321 §6.3); Date: and Message-ID: are added where missing at the end
//   of the header section (RFC 6409 §8.1, §8.3), and so is From: (RFC 5322 §3.6 requires
//   it; made from the envelope sender, MAILER-DAEMON for <>, as Postfix's cleanup does). A first line that is not a header field
//   ends the header section; a blank line is then inserted before it (RFC 5322 §2.1).
// The Received: field we add ourselves (RFC 5321 §4.4) is written first, by the session
// right after Begin, through IFieldWriter; the added fields are written the same way,
// piece by piece, so none costs a string or a byte[] per message.
// Field names are string constants, not static byte[] (heap from boot on nanoCLR).
// Left out on purpose: header folding or rewriting of any other kind.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Content sink for one message at a time; owned by one session. Not thread-safe.</summary>
    public sealed class MessageSink : IFieldWriter
    {
        /// <summary>RFC 5321 §4.5.3.1.6: 1000 octets including CRLF, so 999 before the LF.</summary>
        public const int MaxLineOctetsBeforeLf = 999;

        // Longest header field name we hold back while deciding whether a line is a field.
        private const int MaxFieldName = 76;

        private enum HeaderState
        {
            LineStart,   // at the start of a header line: a field, a continuation or the blank line
            Name,        // reading a field name, held back in _name
            NameSpace,   // white space after a name, waiting for ":" (RFC 5322 §4.5 obs-optional)
            Value,       // inside a field value
            Body,        // past the header section (or header scanning off)
        }

        private const string NameReceived = "RECEIVED";
        private const string NameDate = "DATE";
        private const string NameMessageId = "MESSAGE-ID";
        private const string NameFrom = "FROM";
        private const string FieldFrom = "From: ";

        private readonly byte[] _name = new byte[MaxFieldName + 8];
        private byte[]? _unit;     // the writer's buffer; bytes go at _unitAt up to _unitEnd
        private int _unitStart;
        private int _unitAt;
        private int _unitEnd;
        private int _nameCount;
        private int _nameLength;   // the name without trailing white space
        private IMessageWriter? _writer;
        private bool _writing;
        private long _limit;
        private long _contentLength;
        private int _lineLength;
        private HeaderState _header;
        private int _receivedCount;
        private bool _hasDate;
        private bool _hasMessageId;
        private bool _hasFrom;
        private bool _addFields;          // Date:/Message-ID: are added when missing
        private string? _queueId;         // for an added Message-ID:
        private string? _hostName;        // for an added Message-ID:
        private System.DateTime _utc;     // for an added Date: and Message-ID:
        private string? _fromAddress;   // written as a From: field only when the header lacks one: no byte[] per message

        /// <summary>Content octets was over the size limit; nothing more was written.</summary>
        public bool TooBig { get; private set; }

        /// <summary>A content line was over 1000 octets.</summary>
        public bool LineTooLong { get; private set; }

        /// <summary>Received: fields counted in the header section.</summary>
        public int ReceivedCount => _receivedCount;

        /// <summary>IMessageWriter.Advance returned false: the store is full.</summary>
        public bool StoreFull { get; private set; }

        /// <summary>IMessageWriter.Advance threw StorageException.</summary>
        public bool StorageFailed { get; private set; }

        /// <summary>Content octets received (after unstuffing, before our added fields).</summary>
        public long ContentLength => _contentLength;

        /// <summary>
        /// Starts a message. With <paramref name="queueId"/> (null: add nothing), Date: and
        /// Message-ID: made from it, <paramref name="hostName"/> and <paramref name="utc"/>
        /// (TraceHeaders) and a From: field with <paramref name="fromAddress"/> (null: none)
        /// are added when the header section lacks them. <paramref name="sizeLimit"/> caps
        /// content octets. The caller then writes its Received: field (IFieldWriter).
        /// </summary>
        public void Begin(IMessageWriter writer, string? queueId, string? hostName, System.DateTime utc, string? fromAddress, long sizeLimit)
        {
            _writer = writer;
            _writing = true;
            _limit = sizeLimit;
            NextUnit();
            _contentLength = 0;
            _lineLength = 0;
            _receivedCount = 0;
            _addFields = queueId != null;
            _hasDate = !_addFields;
            _hasMessageId = !_addFields;
            _queueId = queueId;
            _hostName = hostName;
            _utc = utc;
            _hasFrom = fromAddress == null;
            _fromAddress = fromAddress;
            _header = !_addFields && fromAddress == null ? HeaderState.Body : HeaderState.LineStart;
            _nameCount = 0;
            TooBig = false;
            LineTooLong = false;
            StoreFull = false;
            StorageFailed = false;
        }

        /// <inheritdoc/>
        public void Text(string text)
        {
            Text(text, 0, text.Length);
        }

        /// <inheritdoc/>
        public void Text(string text, int start, int count)
        {
            for (int i = start; i < start + count; i++) PutRaw((byte)text[i]);
        }

        /// <inheritdoc/>
        public void Number(long value, int digits)
        {
            // Digits from the most significant, without a string: 10^(n-1) <= value.
            long scale = 1;
            int n = 1;
            while (scale <= value / 10) { scale *= 10; n++; }
            for (; n < digits; n++) PutRaw((byte)'0');
            for (; scale > 0; scale /= 10) PutRaw((byte)('0' + (int)(value / scale % 10)));
        }

        /// <summary>Counts Received: fields even when no header is added (loop detection only).</summary>
        public void ScanHeaders()
        {
            _header = HeaderState.LineStart;
        }

        /// <summary>Ends the content: adds missing fields to a header-only message and hands the writer the last bytes.</summary>
        public void Finish()
        {
            if (_header == HeaderState.Name || _header == HeaderState.NameSpace)
            {
                EndOfHeaders(true);
                FlushName();
            }
            else if (_header == HeaderState.Value)
            {
                PutRawNewLine();
                EndOfHeaders(false);
            }
            else if (_header == HeaderState.LineStart)
            {
                EndOfHeaders(false);
            }
            _header = HeaderState.Body;
            if (_writing && _unitAt > _unitStart) Pass();
            _writing = false; // the writer's buffer is its own again (Commit or Abort come next)
            _unit = null;
            _writer = null;
        }

        /// <summary>Appends a CRLF line end.</summary>
        public void PutNewLine()
        {
            Put(13);
            Put(10);
        }

        /// <summary>Appends one content byte.</summary>
        public void Put(byte b)
        {
            switch (_header)
            {
                case HeaderState.Body:
                    Content(b);
                    return;
                case HeaderState.LineStart:
                    if (b == 13)
                    {
                        EndOfHeaders(false); // the blank line: fields go before it
                        _header = HeaderState.Body;
                        Content(b);
                    }
                    else if (b == Ascii.SP || b == Ascii.HT)
                    {
                        _header = HeaderState.Value; // folded continuation (RFC 5322 §2.2.3)
                        Content(b);
                    }
                    else if (b > 32 && b < 127 && b != (byte)':')
                    {
                        _nameCount = 0;
                        _name[_nameCount++] = b;
                        _header = HeaderState.Name;
                    }
                    else
                    {
                        NotAField(b);
                    }
                    return;
                case HeaderState.Name:
                    if (b == (byte)':')
                    {
                        _nameLength = _nameCount;
                        FieldName();
                    }
                    else if (b == Ascii.SP || b == Ascii.HT)
                    {
                        _nameLength = _nameCount;
                        Hold(b);
                        _header = HeaderState.NameSpace;
                    }
                    else if (b > 32 && b < 127 && _nameCount < MaxFieldName)
                    {
                        _name[_nameCount++] = b; // RFC 5322 §3.6.8 ftext
                    }
                    else
                    {
                        NotAField(b);
                    }
                    return;
                case HeaderState.NameSpace:
                    if (b == (byte)':') FieldName();
                    else if (b == Ascii.SP || b == Ascii.HT) Hold(b);
                    else NotAField(b);
                    return;
                default: // Value
                    if (b == 10) _header = HeaderState.LineStart;
                    Content(b);
                    return;
            }
        }

        private void Hold(byte b)
        {
            if (_nameCount < _name.Length) _name[_nameCount++] = b;
            else NotAField(b);
        }

        private void FieldName()
        {
            if (Ascii.EqualsIgnoreCase(_name, 0, _nameLength, NameReceived)) _receivedCount++;
            else if (Ascii.EqualsIgnoreCase(_name, 0, _nameLength, NameDate)) _hasDate = true;
            else if (Ascii.EqualsIgnoreCase(_name, 0, _nameLength, NameMessageId)) _hasMessageId = true;
            else if (Ascii.EqualsIgnoreCase(_name, 0, _nameLength, NameFrom)) _hasFrom = true;
            FlushName();
            Content((byte)':');
            _header = HeaderState.Value;
        }

        // The line is not a header field: the header section ended before it.
        private void NotAField(byte b)
        {
            EndOfHeaders(true);
            FlushName();
            _header = HeaderState.Body;
            Content(b);
        }

        private void FlushName()
        {
            for (int i = 0; i < _nameCount; i++) Content(_name[i]);
            _nameCount = 0;
        }

        private void EndOfHeaders(bool addBlankLine)
        {
            if (!_hasDate) TraceHeaders.Date(this, _utc);                                       // RFC 6409 §8.3
            if (!_hasMessageId) TraceHeaders.MessageId(this, _queueId!, _hostName!, _utc);       // RFC 6409 §8.3
            if (!_hasFrom && _fromAddress != null) PutFrom(_fromAddress);                          // RFC 5322 §3.6
            _hasDate = true;
            _hasMessageId = true;
            _hasFrom = true;
            if (addBlankLine) PutRawNewLine();
        }

        /// <summary>"From: address" and CRLF, char by char (addresses are ASCII: no SMTPUTF8).</summary>
        private void PutFrom(string address)
        {
            for (int i = 0; i < FieldFrom.Length; i++) PutRaw((byte)FieldFrom[i]);
            for (int i = 0; i < address.Length; i++) PutRaw((byte)address[i]);
            PutRawNewLine();
        }

        private void Content(byte b)
        {
            _contentLength++;
            if (b == 10) _lineLength = 0;
            else if (++_lineLength > MaxLineOctetsBeforeLf) LineTooLong = true; // RFC 5321 §4.5.3.1.6
            if (_contentLength > _limit)
            {
                TooBig = true; // RFC 1870 §6.3 / RFC 5321 §4.5.3.1.7: keep reading, answer 552 at the end
                _writing = false;
            }
            if (!_writing) return;
            _unit![_unitAt++] = b;
            if (_unitAt == _unitEnd) Pass();
        }

        // A CRLF of our own (not a content octet): no static byte[] for it (ARCHITECTURE.md, Memory).
        private void PutRawNewLine()
        {
            PutRaw(Ascii.CR);
            PutRaw(Ascii.LF);
        }

        private void PutRaw(byte b)
        {
            if (!_writing) return;
            _unit![_unitAt++] = b;
            if (_unitAt == _unitEnd) Pass();
        }

        // Hands the bytes put into the writer's buffer to it and asks for the next space.
        private void Pass()
        {
            try
            {
                if (!_writer!.Advance(_unitAt - _unitStart))
                {
                    StoreFull = true;
                    _writing = false;
                }
            }
            catch (StorageException)
            {
                StorageFailed = true;
                _writing = false;
            }
            if (_writing) NextUnit();
        }

        private void NextUnit()
        {
            int count;
            _unit = _writer!.GetBuffer(out _unitStart, out count);
            _unitAt = _unitStart;
            _unitEnd = _unitStart + count;
        }
    }
}
