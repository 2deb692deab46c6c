// The DATA decoder (RFC 5321 §4.1.1.4, §4.5.2), byte by byte with named states in the
// style of chasquid's dotreader. It finds the end of the mail data, undoes the dot
// transparency and normalises line ends, handing content bytes to a MessageSink.
//
// End of data is <CRLF>.<CRLF> and NOTHING else (SMTP smuggling, CVE-2023-51764):
// <LF>.<LF>, <LF>.<CRLF>, <CR>.<CR>, <CRLF>.<LF>, <CR>.<CRLF>, a NUL next to the dot
// and the like are content. Only a real CRLF starts a line for the purposes of the dot:
// a dot after a bare LF or bare CR is plain content (not unstuffed, never an end).
// Bare LF and bare CR in content are normalised to CRLF (our choice, README "SMTP listener": never
// relayed raw; normalising keeps poor device clients working where a 550 would lose
// their alerts). The dot of a stored "\r\n.\r\n" made that way is stuffed again by
// whoever sends the message on, so it stays content for the next hop too.
// Data start counts as a line start (the DATA command's CRLF precedes it), so an empty
// message ".\r\n" ends at once.
// Left out on purpose: limits (the sink counts octets and line lengths) and BDAT/CHUNKING.

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Streaming DATA decoder. Reset per message; not thread-safe.</summary>
    public sealed class DotReader
    {
        // What the decoder has just seen, i.e. what it waits for next.
        private enum State
        {
            LineStart,  // after a real CRLF (or at data start): a "." here is special
            Text,       // inside a line
            Cr,         // a CR held back: LF makes a CRLF, anything else makes it bare
            Dot,        // <CRLF>"." held back: CR may end the data, "." or text is unstuffed
            DotCr,      // <CRLF>"."<CR> held back: only LF ends the data
            Done,       // <CRLF>.<CRLF> seen
        }

        private readonly MessageSink _sink;
        private State _state;

        /// <summary>Creates a decoder writing content to <paramref name="sink"/>.</summary>
        public DotReader(MessageSink sink)
        {
            _sink = sink;
        }

        /// <summary>True once the terminating &lt;CRLF&gt;.&lt;CRLF&gt; was read.</summary>
        public bool IsDone => _state == State.Done;

        /// <summary>Starts a new message.</summary>
        public void Reset()
        {
            _state = State.LineStart;
        }

        /// <summary>
        /// Decodes input bytes until the end of data. Returns how many bytes were consumed:
        /// all of them, or fewer when the end of data was reached (the rest are the next
        /// commands, RFC 2920 pipelining).
        /// </summary>
        public int Feed(byte[] input, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                byte b = input[i];
                switch (_state)
                {
                    case State.LineStart:
                        if (b == (byte)'.') _state = State.Dot;
                        else Text(b);
                        break;
                    case State.Text:
                        Text(b);
                        break;
                    case State.Cr:
                        if (b == 10)
                        {
                            _sink.PutNewLine();
                            _state = State.LineStart;
                        }
                        else
                        {
                            _sink.PutNewLine(); // bare CR: normalised to CRLF; not a line start
                            _state = State.Text;
                            Text(b);
                        }
                        break;
                    case State.Dot:
                        if (b == 13)
                        {
                            _state = State.DotCr;
                        }
                        else if (b == 10)
                        {
                            // <CRLF>.<LF> is content (smuggling): the dot stays, LF becomes CRLF.
                            _sink.Put((byte)'.');
                            _sink.PutNewLine();
                            _state = State.Text;
                        }
                        else
                        {
                            // RFC 5321 §4.5.2: the leading dot of a line with more text is deleted.
                            _state = State.Text;
                            _sink.Put(b);
                        }
                        break;
                    case State.DotCr:
                        if (b == 10)
                        {
                            _state = State.Done; // RFC 5321 §4.1.1.4: <CRLF>.<CRLF>
                            return i + 1 - offset;
                        }
                        // <CRLF>.<CR>x: the CR is bare, the line "." is content.
                        _sink.Put((byte)'.');
                        _sink.PutNewLine();
                        _state = State.Text;
                        Text(b);
                        break;
                    default:
                        return i - offset;
                }
            }
            return count;
        }

        private void Text(byte b)
        {
            if (b == 13)
            {
                _state = State.Cr;
            }
            else if (b == 10)
            {
                _sink.PutNewLine(); // bare LF: normalised to CRLF; not a line start for the dot
                _state = State.Text;
            }
            else
            {
                _sink.Put(b);
                _state = State.Text;
            }
        }
    }
}
