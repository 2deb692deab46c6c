// One connection to the ScriptedMx, as the gateway's SMTP client sees it. Send parses
// what the client writes, line by line (commands, then DATA content up to the line that
// is a single dot, RFC 5321 §4.5.2), and queues the reply of each command; Receive hands
// out the queued replies. Nothing waits: with PIPELINING (RFC 2920) the client sends a
// batch and then reads the batch's replies, all of them queued by then. A read with
// nothing queued is a client waiting for a reply the MX will never send: it times out
// at once instead of hanging the delivery thread.
// Memory: a 128-octet line buffer (the gateway's commands are shorter; a longer content
// line is passed over, never matched) and a 256-octet reply buffer.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>A thread-less scripted MX connection. Used by one thread (the delivery worker).</summary>
    public sealed class ScriptedMxConnection : IConnection
    {
        private const int LineCapacity = 128;
        private const int ReplyCapacity = 256;

        private readonly ScriptedMx _mx;
        private readonly byte[] _line = new byte[LineCapacity];
        private readonly byte[] _replies = new byte[ReplyCapacity];
        private int _lineLength;
        private bool _lineTooLong;
        private int _replyStart;
        private int _replyEnd;
        private bool _inData;
        private bool _quit;
        private int _accepted;   // recipients of the current transaction
        private int _marked;     // mark lines in the current message's content

        internal ScriptedMxConnection(ScriptedMx mx)
        {
            _mx = mx;
            Reply("220 mx.example.net ESMTP");
        }

        /// <inheritdoc/>
        public string RemoteAddress => ScriptedDnsNetwork.MxAddress;

        /// <inheritdoc/>
        public int RemotePort => 25;

        /// <inheritdoc/>
        public string LocalAddress => "192.0.2.1";

        /// <inheritdoc/>
        public bool IsSecure => false;

        /// <inheritdoc/>
        public void Send(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_quit) throw new ConnectionException("connection closed by the MX", ConnectionException.Reset);
            for (int i = offset; i < offset + count; i++)
            {
                byte b = buffer[i];
                if (b == Ascii.LF && _lineLength > 0 && _line[_lineLength - 1] == Ascii.CR)
                {
                    OnLine(_lineLength - 1);
                    _lineLength = 0;
                    _lineTooLong = false;
                }
                else if (_lineLength < LineCapacity)
                {
                    _line[_lineLength++] = b;
                }
                else
                {
                    // Keep the last octet so that a CR before the LF is still seen.
                    _lineTooLong = true;
                    _line[LineCapacity - 1] = b;
                }
            }
        }

        /// <inheritdoc/>
        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = _replyEnd - _replyStart;
            if (n == 0) return _quit ? ConnectionResult.Closed : ConnectionResult.TimedOut;
            if (n > count) n = count;
            System.Array.Copy(_replies, _replyStart, buffer, offset, n);
            _replyStart += n;
            if (_replyStart == _replyEnd) _replyStart = _replyEnd = 0;
            return n;
        }

        /// <inheritdoc/>
        public void Close()
        {
            _quit = true;
        }

        private void OnLine(int length)
        {
            if (_inData)
            {
                if (length == 1 && _line[0] == (byte)'.')
                {
                    _inData = false;
                    _mx.Count(1, 0, 0, _marked);
                    Reply("250 2.0.0 Ok: queued as MX" + _mx.Messages.ToString());
                }
                else if (!_lineTooLong && Is(_mx.MarkLine, 0, length))
                {
                    _marked++;
                }
                return;
            }
            if (StartsWith("EHLO ", length)) Reply("250-mx.example.net\r\n250 PIPELINING");
            else if (StartsWith("MAIL FROM:", length)) { _accepted = 0; Reply("250 2.1.0 Ok"); }
            else if (StartsWith("RCPT TO:", length)) Recipient(length);
            else if (Is("DATA", 0, length)) Data();
            else if (Is("RSET", 0, length)) { _accepted = 0; Reply("250 2.0.0 Ok"); }
            else if (Is("NOOP", 0, length)) Reply("250 2.0.0 Ok");
            else if (Is("QUIT", 0, length)) { Reply("221 2.0.0 Bye"); _quit = true; }
            else Reply("502 5.5.2 Error: command not recognized");
        }

        private void Recipient(int length)
        {
            string refused = "<" + _mx.RefusedRecipient + ">";
            if (length >= 8 + refused.Length && Is(refused, 8, refused.Length))
            {
                _mx.Count(0, 0, 1, 0);
                Reply("550 5.1.1 " + refused + ": Recipient address rejected: User unknown");
                return;
            }
            _accepted++;
            _mx.Count(0, 1, 0, 0);
            Reply("250 2.1.5 Ok");
        }

        private void Data()
        {
            if (_accepted == 0)
            {
                Reply("554 5.5.1 Error: no valid recipients");
                return;
            }
            _inData = true;
            _marked = 0;
            Reply("354 End data with <CR><LF>.<CR><LF>");
        }

        private bool StartsWith(string prefix, int length)
        {
            return length >= prefix.Length && Is(prefix, 0, prefix.Length);
        }

        /// <summary>True when line octets [at, at + length) are <paramref name="text"/> (ASCII, case-insensitive as SMTP verbs are).</summary>
        private bool Is(string text, int at, int length)
        {
            if (length != text.Length || at + length > _lineLength) return false;
            for (int i = 0; i < length; i++)
            {
                int a = _line[at + i];
                int b = text[i];
                if (a >= 'a' && a <= 'z') a -= 32;
                if (b >= 'a' && b <= 'z') b -= 32;
                if (a != b) return false;
            }
            return true;
        }

        private void Reply(string text)
        {
            int need = text.Length + 2;
            if (_replyEnd + need > _replies.Length) throw new ConnectionException("scripted MX: replies not read", ConnectionException.Reset);
            for (int i = 0; i < text.Length; i++) _replies[_replyEnd + i] = (byte)text[i];
            _replies[_replyEnd + text.Length] = Ascii.CR;
            _replies[_replyEnd + text.Length + 1] = Ascii.LF;
            _replyEnd += need;
        }
    }
}
