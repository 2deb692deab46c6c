// ENVELOPE and BODYSTRUCTURE (RFC 9051 §7.5.2) from the header fields ImapMessageHeader
// captured. ENVELOPE strings are the raw field values (RFC 2047 words stay encoded, as the
// RFC says); an address list is split at commas outside quotes and angle brackets, each
// address into display name, local part and domain; sender and reply-to default to from.
// BODYSTRUCTURE describes a single-part body with its Content-Type, parameters, Content-ID,
// Content-Description and Content-Transfer-Encoding, its size and, for text, its lines;
// a multipart body (the gateway's own bounces and delay notices, RFC 3464) as its parts
// (ImapBodyParts), each described the same way, then its subtype and, in BODYSTRUCTURE,
// its parameters (the boundary among them); a message/rfc822 part (or body) with the
// returned message's ENVELOPE, its body and its lines (RFC 9051 §7.5.2, body-type-msg).
// Sizes and lines are exact: a part ends before the CRLF of the delimiter after it, and
// a last line without a line end counts as a line.
// Left out on purpose: multipart inside a part (described as one part of its type, whose
// BODY[n] is the whole), extension data other than a multipart's parameters (no MD5,
// disposition, language), group syntax beyond dropping the group's name.

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Imap
{
    internal sealed partial class ImapServerSession
    {
        private void PutEnvelope(ImapMessageHeader h)
        {
            Put("(");
            PutNString(h.Field(ImapMessageHeader.Date));
            Put(" ");
            PutNString(h.Field(ImapMessageHeader.Subject));
            string? from = h.Field(ImapMessageHeader.From);
            Put(" ");
            PutAddresses(from);
            Put(" ");
            PutAddresses(h.Field(ImapMessageHeader.Sender) ?? from);
            Put(" ");
            PutAddresses(h.Field(ImapMessageHeader.ReplyTo) ?? from);
            Put(" ");
            PutAddresses(h.Field(ImapMessageHeader.To));
            Put(" ");
            PutAddresses(h.Field(ImapMessageHeader.Cc));
            Put(" ");
            PutAddresses(h.Field(ImapMessageHeader.Bcc));
            Put(" ");
            PutNString(h.Field(ImapMessageHeader.InReplyTo));
            Put(" ");
            PutNString(h.Field(ImapMessageHeader.MessageId));
            Put(")");
        }

        /// <summary>An address list "((name NIL mailbox host) ...)", or NIL when it names no address.</summary>
        private void PutAddresses(string? s)
        {
            int written = 0;
            if (s != null)
            {
                int i = 0;
                while (i <= s.Length)
                {
                    int end = AddressEnd(s, i, ',');
                    if (PutAddress(s, i, end, written == 0)) written++;
                    i = end + 1;
                }
            }
            Put(written == 0 ? "NIL" : ")");
        }

        /// <summary>Where the item starting at <paramref name="i"/> ends: the next separator outside quotes, angle brackets and comments.</summary>
        private static int AddressEnd(string s, int i, char separator)
        {
            bool quoted = false;
            int angle = 0;
            int comment = 0;
            for (; i < s.Length; i++)
            {
                char c = s[i];
                if (quoted) { if (c == '\\') i++; else if (c == '"') quoted = false; continue; }
                if (c == '"') quoted = true;
                else if (c == '<') angle++;
                else if (c == '>' && angle > 0) angle--;
                else if (c == '(') comment++;
                else if (c == ')' && comment > 0) comment--;
                else if (c == separator && angle == 0 && comment == 0) return i;
            }
            return s.Length;
        }

        /// <summary>Writes one address of s[start, end) when it has one; "(" before the first.</summary>
        private bool PutAddress(string s, int start, int end, bool first)
        {
            string piece = s.Substring(start, end - start).Trim();
            // A group ("name: a@b, c@d;") loses its name; its addresses stay.
            int colon = piece.IndexOf(':');
            if (colon >= 0 && piece.IndexOf('<') < 0 && piece.IndexOf('"') < 0) piece = piece.Substring(colon + 1).Trim();
            if (piece.Length > 0 && piece[piece.Length - 1] == ';') piece = piece.Substring(0, piece.Length - 1).Trim();
            if (piece.Length == 0) return false;
            string? name = null;
            string address = piece;
            int lt = LastOutsideQuotes(piece, '<');
            if (lt >= 0)
            {
                int gt = piece.IndexOf('>', lt);
                address = piece.Substring(lt + 1, (gt < 0 ? piece.Length : gt) - lt - 1).Trim();
                name = piece.Substring(0, lt).Trim();
                if (name.Length >= 2 && name[0] == '"' && name[name.Length - 1] == '"') name = Unquote(name);
                if (name.Length == 0) name = null;
            }
            else
            {
                int paren = piece.IndexOf('(');
                if (paren > 0) address = piece.Substring(0, paren).Trim();
            }
            if (address.Length == 0) return false;
            int at = address.LastIndexOf('@');
            if (first) Put("(");
            Put("(");
            PutNString(name);
            Put(" NIL ");
            PutNString(at < 0 ? address : address.Substring(0, at));
            Put(" ");
            PutNString(at < 0 ? "" : address.Substring(at + 1));
            Put(")");
            return true;
        }

        private static int LastOutsideQuotes(string s, char c)
        {
            bool quoted = false;
            int found = -1;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '"') quoted = !quoted;
                else if (!quoted && s[i] == c) found = i;
            }
            return found;
        }

        /// <summary>The inside of a quoted-string with its quoted-pairs resolved (RFC 5322 §3.2.4).</summary>
        private static string Unquote(string q)
        {
            char[] c = new char[q.Length];
            int n = 0;
            for (int i = 1; i < q.Length - 1; i++)
            {
                if (q[i] == '\\' && i + 1 < q.Length - 1) i++;
                c[n++] = q[i];
            }
            return new string(c, 0, n);
        }

        /// <summary>
        /// The message's body (RFC 9051 §9 body): its parts when it is a multipart one with
        /// parts found, else one part. <paramref name="extensible"/> for BODYSTRUCTURE.
        /// </summary>
        private void PutStructure(MailboxView view, int i, ImapMessageHeader h, bool extensible)
        {
            if (_partCount == 0)
            {
                // A message/rfc822 body described before left h at the enclosed header.
                if (!_topScanned) { Flush(); h.Scan(view, i, 0, view.SizeOf(i), _lines.Output, true, true); }
                PutPart(view, i, h, _headerLength, view.SizeOf(i), false);
                return;
            }
            Put("(");
            for (int k = 0; k < _partCount; k++)
            {
                Flush();
                h.Scan(view, i, _parts!.Start(k), _parts.End(k), _lines.Output, true, true);
                PutPart(view, i, h, _parts.Start(k) + h.Length, _parts.End(k), false);
            }
            string ct = _contentType!;
            int semi = ct.IndexOf(';');
            string media = semi < 0 ? ct : ct.Substring(0, semi);
            Put(" ");
            PutNString(media.Substring(media.IndexOf('/') + 1).Trim().ToUpper());
            if (extensible)
            {
                // body-ext-mpart: the parameters, the boundary among them.
                Put(" ");
                if (semi < 0) Put("NIL");
                else PutParameters(ct, semi);
            }
            Put(")");
        }

        /// <summary>
        /// body-type-1part (RFC 9051 §9) of the body at [<paramref name="bodyStart"/>,
        /// <paramref name="end"/>) under the header <paramref name="h"/> holds: type, subtype,
        /// parameters, id, description, encoding, size, and lines for text; for message/rfc822
        /// (not <paramref name="nested"/>) also the enclosed message's ENVELOPE and body.
        /// </summary>
        private void PutPart(MailboxView view, int i, ImapMessageHeader h, long bodyStart, long end, bool nested)
        {
            string? ct = h.Field(ImapMessageHeader.ContentType);
            string type = "text";
            string subtype = "plain";
            int paramsAt = -1;
            if (ct != null)
            {
                int semi = ct.IndexOf(';');
                string media = (semi < 0 ? ct : ct.Substring(0, semi)).Trim();
                int slash = media.IndexOf('/');
                if (slash > 0 && slash < media.Length - 1)
                {
                    type = media.Substring(0, slash).Trim();
                    subtype = media.Substring(slash + 1).Trim();
                    paramsAt = semi;
                }
            }
            long lines = h.BodyLines;
            bool message = !nested && Ascii.EqualsIgnoreCase(type, "message") && Ascii.EqualsIgnoreCase(subtype, "rfc822");
            Put("(");
            PutNString(type.ToUpper());
            Put(" ");
            PutNString(subtype.ToUpper());
            Put(" ");
            // RFC 2045 §5.2: no Content-Type is text/plain; charset=us-ascii.
            if (ct == null || paramsAt < 0) Put(ct == null ? "(\"CHARSET\" \"us-ascii\")" : "NIL");
            else PutParameters(ct, paramsAt);
            Put(" ");
            PutNString(h.Field(ImapMessageHeader.ContentId));
            Put(" ");
            PutNString(h.Field(ImapMessageHeader.ContentDescription));
            Put(" ");
            string? cte = h.Field(ImapMessageHeader.ContentTransferEncoding);
            PutNString(cte == null ? "7BIT" : cte.ToUpper());
            Put(" ");
            PutDecimal(end - bodyStart);
            if (message)
            {
                // body-type-msg: the enclosed message's header read like a message's own.
                Flush();
                h.Scan(view, i, bodyStart, end, _lines.Output, true, true);
                _topScanned = false;
                Put(" ");
                PutEnvelope(h);
                Put(" ");
                PutPart(view, i, h, bodyStart + h.Length, end, true);
                Put(" ");
                PutDecimal(lines);
            }
            else if (Ascii.EqualsIgnoreCase(type, "text")) { Put(" "); PutDecimal(lines); }
            Put(")");
        }

        /// <summary>The value of parameter <paramref name="upper"/> (named in upper case) of a Content-Type, or null.</summary>
        private static string? Parameter(string ct, string upper)
        {
            int i = ct.IndexOf(';');
            while (i >= 0)
            {
                string? value = NextParameter(ct, ref i, out string? key);
                if (key != null && Ascii.EqualsIgnoreCase(key, upper)) return value;
            }
            return null;
        }

        /// <summary>The parameters after the media type as ("KEY" "value" ...), or NIL when there are none.</summary>
        private void PutParameters(string ct, int semi)
        {
            int written = 0;
            int i = semi;
            while (i >= 0)
            {
                string? value = NextParameter(ct, ref i, out string? key);
                if (key == null) continue;
                Put(written == 0 ? "(" : " ");
                PutNString(key.ToUpper());
                Put(" ");
                PutNString(value);
                written++;
            }
            Put(written == 0 ? "NIL" : ")");
        }

        /// <summary>
        /// The parameter after the ";" at <paramref name="i"/> (its value unquoted; key null when
        /// it has no "="); moves <paramref name="i"/> to the next ";", or -1 at the end.
        /// </summary>
        private static string? NextParameter(string ct, ref int i, out string? key)
        {
            int next = AddressEnd(ct, i + 1, ';');
            string p = ct.Substring(i + 1, next - i - 1).Trim();
            i = next < ct.Length ? next : -1;
            int eq = p.IndexOf('=');
            key = null;
            if (eq <= 0) return null;
            key = p.Substring(0, eq).Trim();
            string value = p.Substring(eq + 1).Trim();
            return value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"' ? Unquote(value) : value;
        }
    }
}
