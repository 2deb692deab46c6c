// Strict parsing of an HTTP/1.1 request head, one line at a time (RFC 9112 §2-§6), on the
// bytes of a line in the session's input buffer (no CR or LF in it: the session cuts them).
// Every check answers with the status RFC 9110/9112 names for it, so bad input gets a
// clear error, never a guess:
//   request-line = method SP request-target SP HTTP-version   (RFC 9112 §3)
//     bad syntax, more or fewer spaces, a target that is not origin-form -> 400
//     a method other than GET, HEAD, POST -> 501 (RFC 9110 §9.1); a target over
//     MaxTarget -> 414 (RFC 9110 §15.5.15); HTTP/2 or later in a request line -> 505
//   field-line = field-name ":" OWS field-value OWS            (RFC 9112 §5)
//     whitespace before the colon -> 400 (§5.1); a line folded with leading whitespace
//     (obs-fold) -> 400 (§5.2); control characters in a value -> 400 (RFC 9110 §5.5)
//   end of the head: HTTP/1.1 without exactly one Host -> 400 (RFC 9112 §3.2);
//     Transfer-Encoding -> 501 (RFC 9112 §6.1: this server reads no chunked body), with
//     Content-Length too -> 400 (§6.3); two different Content-Lengths -> 400 (§6.3);
//     POST without Content-Length -> 411; a body over MaxBody -> 413.
// Limits (count of header lines, line length) are enforced by the session, which sees
// the bytes before they are lines.
// Left out on purpose: absolute-form and asterisk-form targets (no proxy here), chunked
// bodies, trailers, header values split over lines.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Line-at-a-time request parser. Stateless apart from the request it fills.</summary>
    public static class HttpRequestParser
    {
        /// <summary>Longest request target, octets: the admin URLs are short; a long one is a mistake or an attack.</summary>
        public const int MaxTarget = 255;

        /// <summary>Longest POST body, octets: a form with a queue id and two flags.</summary>
        public const int MaxBody = 256;

        /// <summary>Most header lines in one request (a browser sends about 15).</summary>
        public const int MaxHeaderLines = 64;

        /// <summary>Longest value kept of a field the endpoint reads (Host, Origin, Authorization).</summary>
        public const int MaxKeptValue = 255;

        /// <summary>Parses the request line into <paramref name="r"/>. Returns 0 or the error status.</summary>
        public static int RequestLine(HttpRequest r, byte[] b, int offset, int count)
        {
            int end = offset + count;
            int sp1 = Ascii.IndexOf(b, offset, count, (byte)' ');
            if (sp1 <= offset) return HttpStatus.BadRequest;
            for (int i = offset; i < sp1; i++) if (!IsTokenChar(b[i])) return HttpStatus.BadRequest;
            int sp2 = Ascii.IndexOf(b, sp1 + 1, end - sp1 - 1, (byte)' ');
            if (sp2 < 0 || sp2 == sp1 + 1) return HttpStatus.BadRequest;
            int vLen = end - sp2 - 1;
            // The version: "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
            if (vLen != 8 || !Exact(b, sp2 + 1, 5, "HTTP/") || b[sp2 + 7] != (byte)'.' || !Ascii.IsDigit(b[sp2 + 6]) || !Ascii.IsDigit(b[sp2 + 8]))
            {
                return HttpStatus.BadRequest;
            }
            if (b[sp2 + 6] != (byte)'1') return HttpStatus.VersionNotSupported;
            r.Http11 = b[sp2 + 8] != (byte)'0';
            int tLen = sp2 - sp1 - 1;
            int t = sp1 + 1;
            for (int i = t; i < sp2; i++) if (b[i] <= 0x20 || b[i] >= 0x7F) return HttpStatus.BadRequest;
            if (b[t] != (byte)'/') return HttpStatus.BadRequest;
            if (tLen > MaxTarget) return HttpStatus.UriTooLong;
            int q = Ascii.IndexOf(b, t, tLen, (byte)'?');
            if (q < 0)
            {
                r.Path = Ascii.GetString(b, t, tLen);
                r.Query = "";
            }
            else
            {
                r.Path = Ascii.GetString(b, t, q - t);
                r.Query = Ascii.GetString(b, q + 1, sp2 - q - 1);
            }
            int mLen = sp1 - offset;
            if (Exact(b, offset, mLen, "GET")) r.Method = HttpRequest.Get;
            else if (Exact(b, offset, mLen, "HEAD")) r.Method = HttpRequest.Head;
            else if (Exact(b, offset, mLen, "POST")) r.Method = HttpRequest.Post;
            else return HttpStatus.NotImplemented;  // methods are case-sensitive (RFC 9110 §9.1)
            return 0;
        }

        /// <summary>Parses one field line into <paramref name="r"/>. Returns 0 or the error status.</summary>
        public static int FieldLine(HttpRequest r, byte[] b, int offset, int count)
        {
            r.HeaderLines++;
            if (count == 0) return HttpStatus.BadRequest;
            if (b[offset] == (byte)' ' || b[offset] == (byte)'\t') return HttpStatus.BadRequest;  // obs-fold, RFC 9112 §5.2
            int colon = Ascii.IndexOf(b, offset, count, (byte)':');
            if (colon <= offset) return HttpStatus.BadRequest;
            for (int i = offset; i < colon; i++) if (!IsTokenChar(b[i])) return HttpStatus.BadRequest;  // RFC 9112 §5.1
            int end = offset + count;
            int v = colon + 1;
            for (int i = v; i < end; i++)
            {
                byte c = b[i];
                if ((c < 0x20 && c != (byte)'\t') || c == 0x7F) return HttpStatus.BadRequest;  // RFC 9110 §5.5
            }
            while (v < end && (b[v] == (byte)' ' || b[v] == (byte)'\t')) v++;
            while (end > v && (b[end - 1] == (byte)' ' || b[end - 1] == (byte)'\t')) end--;
            int nLen = colon - offset;
            int vLen = end - v;
            if (Ascii.EqualsIgnoreCase(b, offset, nLen, "HOST"))
            {
                r.HostCount++;
                r.Host = Keep(b, v, vLen);
            }
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "CONTENT-LENGTH"))
            {
                long n = Ascii.ParseDecimal(b, v, vLen, 999999999);
                if (n < 0) return vLen > 0 && AllDigits(b, v, vLen) ? HttpStatus.ContentTooLarge : HttpStatus.BadRequest;
                if (r.ContentLength >= 0 && r.ContentLength != n) return HttpStatus.BadRequest;
                r.ContentLength = n;
            }
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "TRANSFER-ENCODING")) r.HasTransferEncoding = true;
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "AUTHORIZATION")) Authorization(r, b, v, vLen);
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "ORIGIN")) r.Origin = Keep(b, v, vLen);
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "SEC-FETCH-SITE")) r.FetchSite = Keep(b, v, vLen);
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "X-REQUESTED-BY")) r.HasActionHeader = vLen > 0;
            else if (Ascii.EqualsIgnoreCase(b, offset, nLen, "CONTENT-TYPE")) r.ContentType = Keep(b, v, vLen);
            return 0;
        }

        /// <summary>Checks the head as a whole once the empty line arrived. Returns 0 or the error status.</summary>
        public static int EndOfHead(HttpRequest r)
        {
            if (r.Http11 ? r.HostCount != 1 : r.HostCount > 1) return HttpStatus.BadRequest;
            if (r.HasTransferEncoding) return r.ContentLength >= 0 || !r.Http11 ? HttpStatus.BadRequest : HttpStatus.NotImplemented;
            if (r.Method == HttpRequest.Post)
            {
                if (r.ContentLength < 0) return HttpStatus.LengthRequired;
                if (r.ContentLength > MaxBody) return HttpStatus.ContentTooLarge;
                if (r.ContentLength > 0 && (r.ContentType == null
                    || !Ascii.StartsWithIgnoreCase(Ascii.GetBytes(r.ContentType), 0, r.ContentType.Length, "APPLICATION/X-WWW-FORM-URLENCODED")))
                {
                    return HttpStatus.UnsupportedMediaType;
                }
            }
            else if (r.ContentLength > 0)
            {
                // A GET with a body has no meaning here (RFC 9110 §9.3.1); refuse it rather than
                // leave the body to be read as the next request.
                return HttpStatus.BadRequest;
            }
            return 0;
        }

        /// <summary>
        /// The value of field <paramref name="name"/> in an urlencoded form or query
        /// ("id=0000001b&amp;bounce=yes"), percent-decoded; null when absent or malformed.
        /// </summary>
        public static string? FormValue(string form, string name)
        {
            int i = 0;
            while (i <= form.Length)
            {
                int amp = form.IndexOf('&', i);
                if (amp < 0) amp = form.Length;
                int eq = form.IndexOf('=', i);
                if (eq > i && eq < amp && eq - i == name.Length && string.Compare(form.Substring(i, eq - i), name) == 0)
                {
                    return PercentDecode(form, eq + 1, amp - eq - 1);
                }
                i = amp + 1;
            }
            return null;
        }

        private static string? PercentDecode(string s, int offset, int count)
        {
            char[] c = new char[count];
            int n = 0;
            for (int i = offset; i < offset + count; i++)
            {
                char ch = s[i];
                if (ch == '+') ch = ' ';
                else if (ch == '%')
                {
                    if (i + 2 >= offset + count) return null;
                    int hi = Hex(s[i + 1]);
                    int lo = Hex(s[i + 2]);
                    if (hi < 0 || lo < 0) return null;
                    ch = (char)(hi * 16 + lo);
                    i += 2;
                }
                c[n++] = ch;
            }
            return new string(c, 0, n);
        }

        private static int Hex(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }

        // RFC 7617 §2: credentials = "Basic" SP base64(user-id ":" password).
        private static void Authorization(HttpRequest r, byte[] b, int v, int vLen)
        {
            r.User = null;
            if (vLen < 7 || vLen > MaxKeptValue || !Ascii.StartsWithIgnoreCase(b, v, vLen, "BASIC ")) return;
            byte[] raw;
            try
            {
                raw = System.Convert.FromBase64String(Ascii.GetString(b, v + 6, vLen - 6));
            }
            catch (System.Exception)
            {
                return;  // malformed credentials are no credentials: 401
            }
            int colon = Ascii.IndexOf(raw, 0, raw.Length, (byte)':');
            if (colon < 0) return;
            for (int i = 0; i < raw.Length; i++) if (raw[i] < 0x20 || raw[i] == 0x7F) return;
            r.User = Ascii.GetString(raw, 0, colon);
            r.Password = Ascii.GetString(raw, colon + 1, raw.Length - colon - 1);
        }

        private static string Keep(byte[] b, int offset, int count)
        {
            return Ascii.GetString(b, offset, count > MaxKeptValue ? MaxKeptValue : count);
        }

        private static bool Exact(byte[] b, int offset, int count, string literal)
        {
            if (count != literal.Length) return false;
            for (int i = 0; i < count; i++) if (b[offset + i] != (byte)literal[i]) return false;
            return true;
        }

        private static bool AllDigits(byte[] b, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++) if (!Ascii.IsDigit(b[i])) return false;
            return true;
        }

        // tchar (RFC 9110 §5.6.2).
        private static bool IsTokenChar(byte c)
        {
            if (Ascii.IsDigit(c) || Ascii.IsLetter(c)) return true;
            switch (c)
            {
                case (byte)'!': case (byte)'#': case (byte)'$': case (byte)'%': case (byte)'&': case (byte)'\'':
                case (byte)'*': case (byte)'+': case (byte)'-': case (byte)'.': case (byte)'^': case (byte)'_':
                case (byte)'`': case (byte)'|': case (byte)'~':
                    return true;
                default:
                    return false;
            }
        }
    }
}
