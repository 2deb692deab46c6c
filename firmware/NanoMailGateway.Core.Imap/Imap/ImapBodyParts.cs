// Finds the parts of a multipart body in a stored message (RFC 2046 §5.1.1) by streaming
// it from flash in small chunks: where each part starts (its MIME header, after the
// delimiter line) and ends (before the CRLF that belongs to the next delimiter). One
// level, as the gateway stores it: its own bounces and delay notices are
// multipart/report (RFC 3464, RFC 6522) with text/plain, message/delivery-status and
// message/rfc822 or text/rfc822-headers parts (Delivery/Bounce/DsnComposer).
// A delimiter is "--" boundary at a line's start, then optional "--" (the close
// delimiter) and transport padding; stored messages have CRLF line ends.
// Limits: MaxParts parts (a ninth delimiter ends the eighth part and the scan); a body
// without a close delimiter ends its last part at the message's end.
// Left out on purpose: parts of parts (a multipart inside a part is described as one
// part by the session).

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Imap
{
    /// <summary>Part offsets of one message at a time. One per session, made on first use; not thread-safe.</summary>
    internal sealed class ImapBodyParts
    {
        internal const int MaxParts = 8;

        private const int ChunkSize = 128;

        private readonly byte[] _chunk = new byte[ChunkSize];
        private readonly long[] _start = new long[MaxParts];
        private readonly long[] _end = new long[MaxParts];

        /// <summary>Parts found by the last <see cref="Find"/>.</summary>
        internal int Count { get; private set; }

        /// <summary>Offset in the message of part <paramref name="k"/>'s MIME header.</summary>
        internal long Start(int k)
        {
            return _start[k];
        }

        /// <summary>Offset in the message just after part <paramref name="k"/>'s last octet.</summary>
        internal long End(int k)
        {
            return _end[k];
        }

        /// <summary>
        /// Finds the parts of message <paramref name="index"/>'s body, [<paramref name="from"/>,
        /// its size), delimited by <paramref name="boundary"/>; returns how many.
        /// </summary>
        internal int Find(MailboxView view, int index, long from, string boundary)
        {
            Count = 0;
            int delimiter = boundary.Length + 2;
            // RFC 2046 §5.1.1: 1 to 70 characters.
            if (boundary.Length == 0 || boundary.Length > 70) return 0;
            long size = view.SizeOf(index);
            long lineStart = from;
            int matched = 0;     // octets of "--" boundary matched at the line's start; -1: not a delimiter line
            int dashes = 0;      // "-" after a whole match: two make the close delimiter
            long pos = from;
            while (pos < size)
            {
                int want = ChunkSize;
                if (size - pos < want) want = (int)(size - pos);
                int n = view.Read(index, pos, _chunk, 0, want);
                if (n <= 0 || n > want) throw new NanoMailGateway.Core.Platform.StorageException("message shorter than its size");
                for (int j = 0; j < n; j++)
                {
                    byte b = _chunk[j];
                    if (b == (byte)'\n')
                    {
                        if (matched == delimiter && Delimiter(lineStart, pos + j + 1, dashes == 2)) return Count;
                        lineStart = pos + j + 1;
                        matched = 0;
                        dashes = 0;
                    }
                    else if (matched < 0) { }
                    else if (matched < delimiter) matched = b == (byte)(matched < 2 ? '-' : boundary[matched - 2]) ? matched + 1 : -1;
                    else if (b == (byte)'-' && dashes < 2) dashes++;
                    else if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r') matched = -1;
                }
                pos += n;
            }
            if (Count > 0 && _end[Count - 1] < 0) _end[Count - 1] = size;
            return Count;
        }

        /// <summary>A delimiter line at [lineStart, next): closes the open part, opens the next; true when the scan is over.</summary>
        private bool Delimiter(long lineStart, long next, bool close)
        {
            // The CRLF before the delimiter is part of it (RFC 2046 §5.1.1).
            if (Count > 0) _end[Count - 1] = lineStart - 2 >= _start[Count - 1] ? lineStart - 2 : lineStart;
            if (close || Count == MaxParts) return true;
            _start[Count] = next;
            _end[Count] = -1;
            Count++;
            return false;
        }
    }
}
