// The far side of delivery in the full-load scenario: an MX that answers what the
// gateway's SMTP client actually sends, on any number of connections and transactions
// (ScriptedPeer replays one fixed script and fits a single, known exchange). Each
// connection is a ScriptedMxConnection without a thread of its own: a command's reply
// is queued while the client sends it, so the delivery thread drives everything and the
// check needs no extra thread stack. One recipient is refused with 550 5.1.1 (RFC 5321
// §4.2.2, RFC 3463): the permanent failure that makes the gateway bounce.
// Left out on purpose: STARTTLS, AUTH, SIZE and DSN (the MX offers only PIPELINING), and
// keeping message bodies: the MX counts messages and the lines it was told to look for.

namespace NanoMailGateway.SelfTest
{
    /// <summary>Counters and policy of the scripted MX. Thread-safe.</summary>
    public sealed class ScriptedMx
    {
        private readonly object _gate = new object();
        private int _connections;
        private int _messages;
        private int _accepted;
        private int _refused;
        private int _marked;

        /// <summary>An MX that refuses <paramref name="refusedRecipient"/> and counts body lines equal to <paramref name="markLine"/>.</summary>
        public ScriptedMx(string refusedRecipient, string markLine)
        {
            RefusedRecipient = refusedRecipient;
            MarkLine = markLine;
        }

        /// <summary>The address answered with 550 5.1.1 at RCPT.</summary>
        public string RefusedRecipient { get; }

        /// <summary>A body line the MX counts (one per message that arrived whole).</summary>
        public string MarkLine { get; }

        /// <summary>Connections opened so far.</summary>
        public int Connections { get { lock (_gate) { return _connections; } } }

        /// <summary>Messages accepted with 250 after their final dot.</summary>
        public int Messages { get { lock (_gate) { return _messages; } } }

        /// <summary>Recipients accepted with 250 at RCPT.</summary>
        public int AcceptedRecipients { get { lock (_gate) { return _accepted; } } }

        /// <summary>Recipients refused with 550 at RCPT.</summary>
        public int RefusedRecipients { get { lock (_gate) { return _refused; } } }

        /// <summary>Body lines equal to <see cref="MarkLine"/> seen in accepted messages.</summary>
        public int MarkedLines { get { lock (_gate) { return _marked; } } }

        /// <summary>A new connection to the MX, greeting already queued.</summary>
        public ScriptedMxConnection Accept()
        {
            lock (_gate) { _connections++; }
            return new ScriptedMxConnection(this);
        }

        internal void Count(int messages, int accepted, int refused, int marked)
        {
            lock (_gate)
            {
                _messages += messages;
                _accepted += accepted;
                _refused += refused;
                _marked += marked;
            }
        }
    }
}
