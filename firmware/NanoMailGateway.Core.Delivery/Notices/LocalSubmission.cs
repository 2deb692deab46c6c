// Mail the gateway writes itself (README, Notices): the capacity notice, the health notices
// and whatever code on the board wants to say (a sensor wired to the board itself). One way
// to compose such a message, so every one has the same shape:
//   - envelope sender <> (RFC 5321 §4.5.5: a notice must not bounce back and forth);
//   - From: Mail Delivery System <MAILER-DAEMON@hostname>, To:, Subject:, Date:,
//     Message-ID: <ticks.queueid.notice@hostname> (RFC 5322 §3.6), Auto-Submitted: auto-generated
//     (RFC 3834 §5: no vacation or other automatic reply goes back), MIME-Version: 1.0 and a
//     text/plain body in UTF-8 sent 8bit (RFC 2045, RFC 6152: SMTP delivery needs 8BITMIME,
//     which every MTA of our time has); bare LFs in the text become CRLF;
//   - committed through the queue's writer for gateway-made mail (MessageStore.BeginLocalMessage,
//     which may use the reserve), after which the commit signal wakes delivery.
// Submit never throws for a full queue or a failed medium: it logs and returns false (a
// notice is not worth a crash of the caller). A failed medium leaves the store broken; the
// commit signal wakes delivery, whose next pass finds that and reopens it (README, Storage faults).
// Nothing is allocated until a message is sent: the recipients are read from notify_to then.
// Left out on purpose: non-ASCII subjects (a '?' stands for each: RFC 2047 words cost code),
// attachments, lines over 998 octets (RFC 5322 §2.1.1: keep a notice's lines short).

using System;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Notices
{
    /// <summary>Composes and queues messages from the gateway itself. Thread-safe (the store locks).</summary>
    public sealed class LocalSubmission
    {
        private readonly MessageStore _store;
        private readonly LocalRecipientMap _local;
        private readonly IClock _clock;
        private readonly ILog _log;

        /// <param name="local">Also where hostname and notify_to are read from (its configuration).</param>
        public LocalSubmission(MessageStore store, LocalRecipientMap local, IClock clock, ILog log)
        {
            _store = store;
            _local = local;
            _clock = clock;
            _log = log;
        }

        /// <summary>The configuration (hostname, notify_to, notify_interval).</summary>
        internal GatewayConfig Config => _local.Config;

        /// <summary>The notify_to recipients as full addresses (a name is name@hostname); postmaster@hostname when none is set.</summary>
        public string[] NotifyRecipients()
        {
            string host = _local.Config.Hostname;
            string[]? to = _local.Config.NotifyTo;
            if (to == null || to.Length == 0)
            {
                string[] pm = Text.StringArray.New(1);
                pm[0] = "postmaster@" + host;
                return pm;
            }
            string[] r = Text.StringArray.New(to.Length);
            for (int i = 0; i < r.Length; i++) r[i] = to[i].IndexOf('@') < 0 ? to[i] + "@" + host : to[i];
            return r;
        }

        /// <summary>Queues a notice to notify_to. True when it was queued; false (logged) when the queue is full or failed.</summary>
        public bool Submit(string subject, string text)
        {
            return Submit(NotifyRecipients(), subject, text);
        }

        /// <summary>Queues a message to <paramref name="recipients"/> (full addresses). True when it was queued;
        /// false (logged) when even the reserve is used up or the medium failed: never throws for those
        /// (a failed store is reopened by delivery, whose next pass finds it broken).</summary>
        public bool Submit(string[] recipients, string subject, string text)
        {
            Envelope env = new Envelope("");
            string to = "";
            for (int i = 0; i < recipients.Length; i++)
            {
                env.AddRecipient(new EnvelopeRecipient(recipients[i], _local.IsLocal(recipients[i]), DsnNotify.Never, null));
                to += (i == 0 ? "<" : ", <") + recipients[i] + ">";
            }
            IMessageWriter? w = null;
            bool committed = false;
            try
            {
                w = _store.BeginLocalMessage(env);   // null when even the reserve is used up
                string host = _local.Config.Hostname;
                DateTime now = _clock.UtcNow;
                if (w != null && Write(w, "From: Mail Delivery System <MAILER-DAEMON@" + host + ">\r\n"
                        + "To: " + to + "\r\nSubject: " + subject + "\r\nDate: " + Text.Rfc5322Date.Format(now)
                        + "\r\nMessage-ID: <" + now.Ticks.ToString() + "." + w.QueueId + ".notice@" + host + ">\r\n"
                        + "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", true)
                    && Write(w, text, false)
                    && ((text.Length > 0 && text[text.Length - 1] == '\n') || Write(w, "\r\n", false)))
                {
                    w.Commit();
                    committed = true;
                    _log.Write("notice", 0, w.QueueId + ": '" + subject + "' to " + to);
                    return true;
                }
                _log.Write("notice", 0, "cannot queue '" + subject + "' to " + to + ": queue full");
            }
            catch (StorageException e)
            {
                _log.Write("notice", 0, "cannot queue '" + subject + "': storage failed: " + e.Message);
                _store.SignalWork();
            }
            finally
            {
                if (w != null && !committed) w.Abort();
            }
            return false;
        }

        /// <summary>Puts <paramref name="s"/> into the writer as UTF-8 (a bare LF as CRLF; in the head, which is
        /// all ASCII but the subject, a non-ASCII character as '?'). False when the queue ran out of room.</summary>
        private static bool Write(IMessageWriter w, string s, bool head)
        {
            int at, room, used = 0;
            bool cr = false;   // the octet put last was a CR
            byte[] b = w.GetBuffer(out at, out room);
            for (int i = 0; i < s.Length; i++)
            {
                int ch = s[i];
                int len = 1;   // octets of ch in UTF-8 (RFC 3629 §3); a CR goes before a bare LF
                if (ch == '\n' && !cr)
                {
                    ch = '\r';
                    i--;   // the LF comes next round
                }
                cr = ch == '\r';
                if (head && ch >= 0x80) ch = '?';
                else if (ch >= 0xD800 && ch <= 0xDBFF && i + 1 < s.Length && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
                {
                    ch = 0x10000 + ((ch - 0xD800) << 10) + (s[++i] - 0xDC00);
                    len = 4;
                }
                else if (ch >= 0x800) len = 3;
                else if (ch >= 0x80) len = 2;
                if (len == 3 && ch >= 0xD800 && ch <= 0xDFFF) ch = 0xFFFD;   // a lone surrogate: the replacement character
                for (int k = 0; k < len; k++)
                {
                    if (used == room)
                    {
                        if (!w.Advance(used)) return false;
                        b = w.GetBuffer(out at, out room);
                        used = 0;
                    }
                    int shift = 6 * (len - 1 - k);
                    b[at + used++] = (byte)(k > 0 ? 0x80 | ((ch >> shift) & 0x3F) : len == 1 ? ch : ((0xFF00 >> len) & 0xFF) | (ch >> shift));
                }
            }
            return used == 0 || w.Advance(used);
        }
    }
}
