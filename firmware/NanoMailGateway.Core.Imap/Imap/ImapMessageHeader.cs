// Reads a stored message's header (RFC 5322 §2.2), or a part's MIME header (RFC 2045 §3),
// from flash in small chunks: where it ends (the section HEADER and where TEXT starts),
// the fields ENVELOPE and BODYSTRUCTURE need (RFC 9051 §7.5.2; unfolded, first
// occurrence, cut at the capture buffer's size), the body's line count (its LFs, and a
// last line without one: a part's last CRLF belongs to the delimiter after it), and the
// HEADER.FIELDS[.NOT] filter (RFC 9051 §6.4.5).
// Stored messages have CRLF line ends (the listener makes them so), which the scan
// relies on. One per session, reused; its chunk and name buffers are 128 and 80 octets.
// Left out on purpose: RFC 2047 decoding (ENVELOPE strings are raw, as RFC 9051 says),
// field names longer than 80 octets (never matched by HEADER.FIELDS).

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>Header facts of one message at a time. Used by one session thread.</summary>
    internal sealed class ImapMessageHeader
    {
        internal const int Date = 0;
        internal const int Subject = 1;
        internal const int From = 2;
        internal const int Sender = 3;
        internal const int ReplyTo = 4;
        internal const int To = 5;
        internal const int Cc = 6;
        internal const int Bcc = 7;
        internal const int InReplyTo = 8;
        internal const int MessageId = 9;
        internal const int ContentType = 10;
        internal const int ContentTransferEncoding = 11;
        internal const int ContentId = 12;
        internal const int ContentDescription = 13;
        internal const int FieldCount = 14;

        private const int ChunkSize = 128;
        private const int MaxName = 80;

        private readonly byte[] _chunk = new byte[ChunkSize];
        private readonly byte[] _name = new byte[MaxName];
        private readonly string?[] _fields = StringArray.New(FieldCount);

        /// <summary>Octets of the header, the blank line included (the whole range scanned when there is none).</summary>
        internal long Length { get; private set; }

        /// <summary>Lines of the body (LF count after the header); valid when Scan counted them.</summary>
        internal long BodyLines { get; private set; }

        /// <summary>True when Content-Type is multipart/*.</summary>
        internal bool IsMultipart
        {
            get
            {
                string? t = _fields[ContentType];
                return t != null && t.Length >= 10 && Ascii.EqualsIgnoreCase(t.Substring(0, 10), "multipart/");
            }
        }

        /// <summary>A captured field's value (unfolded, trimmed), or null when the message has none.</summary>
        internal string? Field(int index)
        {
            return _fields[index];
        }

        /// <summary>
        /// Reads the header at [<paramref name="from"/>, <paramref name="to"/>) of message
        /// <paramref name="index"/> (0 and its size for the message's own). With
        /// <paramref name="capture"/> the fields are kept, collected in <paramref name="scratch"/>
        /// (at most its size per field); with <paramref name="countLines"/> the body's lines up
        /// to <paramref name="to"/> are counted too.
        /// </summary>
        internal void Scan(MailboxView view, int index, long from, long to, byte[] scratch, bool capture, bool countLines)
        {
            StringArray.Clear(_fields, 0, FieldCount);
            long pos = from;
            int state = 0;          // 0 line start, 1 name, 2 value, 3 CR at line start
            int nameLength = 0;
            int field = -1;
            int captured = 0;
            Length = to - from;
            BodyLines = 0;
            bool inBody = false;
            byte last = Ascii.LF;
            while (pos < to)
            {
                int n = Read(view, index, pos, to);
                for (int j = 0; j < n; j++)
                {
                    byte b = _chunk[j];
                    if (inBody)
                    {
                        if (b == Ascii.LF) BodyLines++;
                        last = b;
                        continue;
                    }
                    switch (state)
                    {
                        case 0:
                            if (b == Ascii.SP || b == 0x09)
                            {
                                // Folded: the CRLF goes, the blank stays (RFC 5322 §2.2.3).
                                if (field >= 0 && captured < scratch.Length) scratch[captured++] = b;
                                state = 2;
                                break;
                            }
                            Keep(field, scratch, captured);
                            field = -1;
                            if (b == Ascii.CR) { state = 3; break; }
                            nameLength = 0;
                            _name[nameLength++] = b;
                            state = 1;
                            break;
                        case 1:
                            if (b == (byte)':')
                            {
                                field = capture ? FieldIndex(nameLength) : -1;
                                if (field >= 0 && _fields[field] != null) field = -1;   // the first one counts
                                captured = 0;
                                state = 2;
                            }
                            else if (b == Ascii.LF) state = 0;
                            else if (nameLength < MaxName) _name[nameLength++] = b;
                            break;
                        case 2:
                            if (b == Ascii.LF) state = 0;
                            else if (b != Ascii.CR && field >= 0 && captured < scratch.Length) scratch[captured++] = b;
                            break;
                        default:
                            if (b == Ascii.LF)
                            {
                                Length = pos + j + 1 - from;
                                if (!countLines) return;
                                inBody = true;
                            }
                            else state = 0;
                            break;
                    }
                }
                pos += n;
            }
            if (!inBody) Keep(field, scratch, captured);
            else if (last != Ascii.LF) BodyLines++;
        }

        private int Read(MailboxView view, int index, long pos, long size)
        {
            int want = ChunkSize;
            if (size - pos < want) want = (int)(size - pos);
            int n = view.Read(index, pos, _chunk, 0, want);
            if (n <= 0 || n > want) throw new NanoMailGateway.Core.Platform.StorageException("message shorter than its size");
            return n;
        }

        private void Keep(int field, byte[] scratch, int captured)
        {
            if (field < 0) return;
            int s = 0;
            while (s < captured && (scratch[s] == Ascii.SP || scratch[s] == 0x09)) s++;
            while (captured > s && (scratch[captured - 1] == Ascii.SP || scratch[captured - 1] == 0x09)) captured--;
            _fields[field] = Ascii.GetString(scratch, s, captured - s);
        }

        private int FieldIndex(int n)
        {
            switch (n)
            {
                case 2: if (Is(n, "TO")) return To; if (Is(n, "CC")) return Cc; break;
                case 3: if (Is(n, "BCC")) return Bcc; break;
                case 4: if (Is(n, "DATE")) return Date; if (Is(n, "FROM")) return From; break;
                case 6: if (Is(n, "SENDER")) return Sender; break;
                case 7: if (Is(n, "SUBJECT")) return Subject; break;
                case 8: if (Is(n, "REPLY-TO")) return ReplyTo; break;
                case 10: if (Is(n, "MESSAGE-ID")) return MessageId; if (Is(n, "CONTENT-ID")) return ContentId; break;
                case 11: if (Is(n, "IN-REPLY-TO")) return InReplyTo; break;
                case 12: if (Is(n, "CONTENT-TYPE")) return ContentType; break;
                case 19: if (Is(n, "CONTENT-DESCRIPTION")) return ContentDescription; break;
                case 25: if (Is(n, "CONTENT-TRANSFER-ENCODING")) return ContentTransferEncoding; break;
            }
            return -1;
        }

        private bool Is(int n, string upper)
        {
            return Ascii.EqualsIgnoreCase(_name, 0, n, upper);
        }

        /// <summary>
        /// HEADER.FIELDS (or .NOT with <paramref name="not"/>) of message <paramref name="index"/>
        /// for the field names listed in <paramref name="list"/> [start, +length) (astrings
        /// separated by SP). Returns the octets of the result, the final CRLF included; sends
        /// them to <paramref name="output"/> when it is given.
        /// </summary>
        internal long Filter(MailboxView view, int index, byte[] list, int listStart, int listLength, bool not, ImapServerSession? output)
        {
            long size = view.SizeOf(index);
            long pos = 0;
            long count = 0;
            int state = 0;
            int nameLength = 0;
            bool match = false;
            while (pos < size)
            {
                int n = Read(view, index, pos, size);
                for (int j = 0; j < n; j++)
                {
                    byte b = _chunk[j];
                    switch (state)
                    {
                        case 0:
                            if (b == Ascii.SP || b == 0x09)
                            {
                                if (match) { count++; if (output != null) output.PutOctet(b); }
                                state = 2;
                                break;
                            }
                            if (b == Ascii.CR) { state = 3; break; }
                            nameLength = 0;
                            _name[nameLength++] = b;
                            match = false;
                            state = 1;
                            break;
                        case 1:
                            if (b == (byte)':')
                            {
                                match = nameLength < MaxName && Listed(list, listStart, listLength, nameLength) != not;
                                if (match)
                                {
                                    count += nameLength + 1;
                                    if (output != null)
                                    {
                                        for (int k = 0; k < nameLength; k++) output.PutOctet(_name[k]);
                                        output.PutOctet(b);
                                    }
                                }
                                state = 2;
                            }
                            else if (b == Ascii.LF) state = 0;
                            else if (nameLength < MaxName) _name[nameLength++] = b;
                            break;
                        case 2:
                            if (match) { count++; if (output != null) output.PutOctet(b); }
                            if (b == Ascii.LF) state = 0;
                            break;
                        default:
                            pos = size;   // the blank line: the header ends
                            j = n;
                            break;
                    }
                }
                pos += n;
            }
            // RFC 9051 §6.4.5: the subset includes the blank line that ends the header.
            if (output != null) { output.PutOctet(Ascii.CR); output.PutOctet(Ascii.LF); }
            return count + 2;
        }

        /// <summary>True when the name in _name is one of the listed field names (ignoring case).</summary>
        private bool Listed(byte[] list, int p, int length, int nameLength)
        {
            int end = p + length;
            while (p < end)
            {
                if (list[p] == Ascii.SP) { p++; continue; }
                int s = p;
                int e;
                if (list[p] == (byte)'"')
                {
                    s = p + 1;
                    e = Ascii.IndexOf(list, s, end - s, (byte)'"');
                    if (e < 0) return false;
                    p = e + 1;
                }
                else
                {
                    while (p < end && list[p] != Ascii.SP) p++;
                    e = p;
                }
                if (e - s == nameLength && Ascii.EqualsIgnoreCase(list, s, _name, 0, nameLength)) return true;
            }
            return false;
        }
    }
}
