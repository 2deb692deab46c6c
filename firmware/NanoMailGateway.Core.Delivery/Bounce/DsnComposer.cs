// Writes an RFC 3464 delivery status notification as a stream into the queue:
//   multipart/report; report-type=delivery-status (RFC 6522) with
//   1. text/plain: a human-readable account, one line per recipient;
//   2. message/delivery-status: per-message fields (Reporting-MTA, Original-Envelope-Id,
//      Arrival-Date, RFC 3464 §2.2) and a block per recipient (Original-Recipient,
//      Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code, Last-Attempt-Date,
//      Will-Retry-Until, §2.3);
//   3. text/rfc822-headers with the original header section (RFC 6522 §4), or
//      message/rfc822 with the whole message for RET=FULL when it fits (RFC 3461 §4.3).
// Header fields: From MAILER-DAEMON, Auto-Submitted: auto-replied (RFC 3834 §5),
// Date/Message-ID (RFC 5322). One report per message lists every recipient given.
// The report's own envelope has the null reverse-path (RFC 5321 §4.5.5): the caller
// queues it with Envelope("") and never calls this for a message from "".
// No buffer of its own (ARCHITECTURE.md, Memory): the text is put straight into the
// queue writer's write unit (IMessageWriter.GetBuffer/Advance) and the original is read
// from the queue into that same unit, chunk by chunk. Few nested calls on purpose: the
// report is written at the deepest point of the delivery thread, and on nanoCLR every
// frame is heap.
// Left out on purpose: localised texts, X-Postfix-* fields, Received-From-MTA.

using System;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Bounce
{
    /// <summary>RFC 3464 report writer. One report at a time; not thread-safe.</summary>
    public sealed class DsnComposer
    {
        private const string Crlf = "\r\n";
        private const string BoundaryChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        private readonly DsnComposerOptions _options;
        private readonly IClock _clock;
        private readonly IRandom _random;
        private IMessageWriter? _writer;
        private bool _full;

        /// <summary>Creates a composer; it writes into each report's writer's own buffer.</summary>
        public DsnComposer(DsnComposerOptions options, IClock clock, IRandom random)
        {
            _options = options;
            _clock = clock;
            _random = random;
        }

        /// <summary>The Message-ID of the last report written (with angle brackets).</summary>
        public string LastMessageId { get; private set; } = "";

        /// <summary>
        /// Writes the report about <paramref name="original"/> for <paramref name="recipients"/>
        /// into <paramref name="writer"/> (the caller commits or aborts it). Returns false when
        /// the store ran out of room (abort it then).
        /// </summary>
        /// <exception cref="StorageException">reading the original or writing the report failed.</exception>
        public bool Compose(IMessageWriter writer, Envelope original, DsnRecipient[] recipients, IMessageContent content)
        {
            _writer = writer;
            _full = false;
            DateTime now = _clock.UtcNow;
            string host = _options.HostName;
            string boundary = NewToken(24);
            LastMessageId = "<" + CompactDate(now) + "." + NewToken(12) + "@" + host + ">";
            DsnAction worst = Worst(recipients);
            bool full = original.Return == DsnReturn.Full && content.Length <= _options.MaxFullMessageBytes;

            Put("From: Mail Delivery System <MAILER-DAEMON@" + host + ">" + Crlf);
            Put("To: <" + original.Sender + ">" + Crlf);
            Put("Subject: " + SubjectFor(worst) + Crlf);
            Put("Date: " + Rfc5322Date.Format(now) + Crlf);
            Put("Message-ID: " + LastMessageId + Crlf);
            Put("Auto-Submitted: auto-replied" + Crlf);   // RFC 3834 §5: machines must not answer this
            Put("MIME-Version: 1.0" + Crlf);
            Put("Content-Type: multipart/report; report-type=delivery-status;" + Crlf + "\tboundary=\"" + boundary + "\"" + Crlf);
            // The returned original may hold 8-bit bytes (RFC 2045 §6.4: the multipart says so too).
            Put("Content-Transfer-Encoding: 8bit" + Crlf + Crlf);
            Put("This is a MIME-encapsulated message." + Crlf + Crlf);

            Put("--" + boundary + Crlf);
            Put("Content-Description: Notification" + Crlf + "Content-Type: text/plain; charset=us-ascii" + Crlf + Crlf);
            WriteHumanPart(worst, recipients, host);

            Put(Crlf + "--" + boundary + Crlf);
            Put("Content-Description: Delivery report" + Crlf + "Content-Type: message/delivery-status" + Crlf + Crlf);
            Put("Reporting-MTA: dns; " + host + Crlf);                                          // §2.2.2
            if (original.EnvelopeId != null) Put("Original-Envelope-Id: " + XText.Encode(original.EnvelopeId) + Crlf);  // §2.2.1
            if (original.ArrivalUtc.Ticks != 0) Put("Arrival-Date: " + Rfc5322Date.Format(original.ArrivalUtc) + Crlf); // §2.2.5
            for (int i = 0; i < recipients.Length; i++) WriteRecipientFields(recipients[i]);

            Put(Crlf + "--" + boundary + Crlf);
            if (full)
            {
                Put("Content-Description: Undelivered Message" + Crlf + "Content-Type: message/rfc822" + Crlf
                    + "Content-Transfer-Encoding: 8bit" + Crlf + Crlf);
                CopyOriginal(content, content.Length, false);
            }
            else
            {
                Put("Content-Description: Undelivered Message Headers" + Crlf + "Content-Type: text/rfc822-headers" + Crlf
                    + "Content-Transfer-Encoding: 8bit" + Crlf + Crlf);
                CopyOriginal(content, _options.MaxHeaderBytes, true);
            }
            Put(Crlf + "--" + boundary + "--" + Crlf);
            _writer = null;
            return !_full;
        }

        /// <summary>Subject for the report as a whole: failures win over delays over successes.</summary>
        public static string SubjectFor(DsnAction worst)
        {
            if (worst == DsnAction.Failed) return "Undelivered Mail Returned to Sender";
            if (worst == DsnAction.Delayed) return "Delayed Mail (still being retried)";
            return "Successful Mail Delivery Report";
        }

        private static DsnAction Worst(DsnRecipient[] recipients)
        {
            DsnAction worst = DsnAction.Delivered;
            for (int i = 0; i < recipients.Length; i++)
            {
                DsnAction a = recipients[i].Action;
                if (a == DsnAction.Failed) return a;
                if (a == DsnAction.Delayed) worst = a;
            }
            return worst;
        }

        private void WriteHumanPart(DsnAction worst, DsnRecipient[] recipients, string host)
        {
            Put("This is the mail system at host " + host + "." + Crlf + Crlf);
            if (worst == DsnAction.Failed)
            {
                Put("Your message could not be delivered to one or more recipients." + Crlf
                    + "It is attached below (or its header section is)." + Crlf + Crlf);
            }
            else if (worst == DsnAction.Delayed)
            {
                Put("Your message could not be delivered yet; the mail system will keep trying." + Crlf
                    + "You do not need to send it again." + Crlf + Crlf);
            }
            else
            {
                Put("Your message was delivered to the recipients listed below." + Crlf + Crlf);
            }
            for (int i = 0; i < recipients.Length; i++)
            {
                DsnRecipient r = recipients[i];
                string reason = r.Status.Describe();
                if (r.RemoteMta != null && r.Status.IsRemoteReply) reason = "host " + r.RemoteMta + " said: " + reason;
                Put("<" + r.Recipient.Address + ">: " + ActionWord(r.Action) + ": " + reason + Crlf);
            }
        }

        private void WriteRecipientFields(DsnRecipient r)
        {
            Put(Crlf);   // §2.1: a blank line starts each per-recipient block
            string? orcpt = r.Recipient.OriginalRecipient;
            if (orcpt != null)
            {
                int semi = orcpt.IndexOf(';');
                Put("Original-Recipient: " + (semi > 0 ? orcpt : "rfc822;" + orcpt) + Crlf);   // §2.3.1
            }
            Put("Final-Recipient: rfc822; " + r.Recipient.Address + Crlf);                      // §2.3.2
            Put("Action: " + ActionWord(r.Action) + Crlf);                                       // §2.3.3
            Put("Status: " + StatusFor(r) + Crlf);                                               // §2.3.4
            if (r.RemoteMta != null) Put("Remote-MTA: dns; " + r.RemoteMta + Crlf);             // §2.3.5
            if (r.Status.IsRemoteReply)
            {
                Put("Diagnostic-Code: smtp; " + r.Status.ReplyCode.ToString() + " " + r.Status.EnhancedCode + " " + r.Status.Text + Crlf);  // §2.3.6
            }
            if (r.LastAttemptUtc.Ticks != 0) Put("Last-Attempt-Date: " + Rfc5322Date.Format(r.LastAttemptUtc) + Crlf);  // §2.3.7
            if (r.Action == DsnAction.Delayed) Put("Will-Retry-Until: " + Rfc5322Date.Format(r.WillRetryUntilUtc) + Crlf); // §2.3.9
        }

        /// <summary>RFC 3464 §2.3.4: the status class must agree with the action (2 delivered/relayed,
        /// 4 delayed, 4 or 5 failed).</summary>
        private static string StatusFor(DsnRecipient r)
        {
            string code = r.Status.EnhancedCode;
            if (code.Length < 5) code = "5.0.0";
            if (r.Action == DsnAction.Delayed && code[0] != '4') return "4" + code.Substring(1);
            if ((r.Action == DsnAction.Delivered || r.Action == DsnAction.Relayed) && code[0] != '2') return "2.0.0";
            if (r.Action == DsnAction.Failed && code[0] == '2') return "5.0.0";
            return code;
        }

        private static string ActionWord(DsnAction action)
        {
            switch (action)
            {
                case DsnAction.Failed: return "failed";
                case DsnAction.Delayed: return "delayed";
                case DsnAction.Delivered: return "delivered";
                default: return "relayed";
            }
        }

        /// <summary>
        /// Copies the original: the header section only (up to and including the CRLF before the
        /// blank line) when <paramref name="headersOnly"/>, never more than <paramref name="cap"/>
        /// bytes; always ends with CRLF. Each chunk is read straight into the writer's buffer
        /// and handed over with Advance, so only the bytes that belong to the copy are kept.
        /// </summary>
        private void CopyOriginal(IMessageContent content, long cap, bool headersOnly)
        {
            IMessageWriter w = _writer!;
            long position = 0;
            long length = content.Length < cap ? content.Length : cap;
            int matched = 0;           // bytes of CR LF CR LF seen in a row
            bool heldCr = false;       // a CR at a chunk's end that may start the blank line
            byte last = Ascii.LF;
            while (position < length && !_full)
            {
                int at;
                int room;
                byte[] b = w.GetBuffer(out at, out room);
                long left = length - position;
                int n = content.Read(position, b, at, left < room ? (int)left : room);
                if (n <= 0) break;
                int before = matched;
                int take = n;
                bool done = false;
                if (headersOnly)
                {
                    for (int i = 0; i < n; i++)
                    {
                        byte c = b[at + i];
                        if (c == Ascii.CR) matched = (matched == 0 || matched == 2) ? matched + 1 : 1;
                        else if (c == Ascii.LF) matched = (matched == 1 || matched == 3) ? matched + 1 : 0;
                        else matched = 0;
                        // The header section ends at the first empty line (RFC 5322 §2.1); a message
                        // that starts with one has an empty header section.
                        bool emptyFirstLine = position + i == 1 && matched == 2;
                        if (matched == 4 || emptyFirstLine)
                        {
                            take = emptyFirstLine ? 0 : i - 1;   // keep the CRLF ending the last field
                            if (take < 0) take = 0;
                            done = true;
                            break;
                        }
                    }
                }
                if (heldCr)
                {
                    heldCr = false;
                    if (done && take == 0) break;   // the held CR began the blank line: it is not copied
                    // The held CR is text: it goes first, in place of this chunk, which is read
                    // again (from the state after the CR) into the space after it.
                    b[at] = Ascii.CR;
                    last = Ascii.CR;
                    matched = before;
                    if (!w.Advance(1)) _full = true;
                    continue;
                }
                if (!done && headersOnly && (matched == 3 || (matched == 1 && position + n == 1)))
                {
                    heldCr = true;   // hold the CR back until the next chunk says what it is
                    take--;
                }
                if (take > 0)
                {
                    last = b[at + take - 1];
                    if (!w.Advance(take)) _full = true;
                }
                position += n;
                if (done) break;
            }
            if (heldCr)
            {
                Put("\r");
                last = Ascii.CR;
            }
            if (last == Ascii.CR) Put("\n");
            else if (last != Ascii.LF) Put(Crlf);
        }

        private string CompactDate(DateTime utc)
        {
            return utc.Year.ToString() + Two(utc.Month) + Two(utc.Day) + Two(utc.Hour) + Two(utc.Minute) + Two(utc.Second);
        }

        private static string Two(int v)
        {
            return v < 10 ? "0" + v.ToString() : v.ToString();
        }

        private string NewToken(int length)
        {
            char[] c = new char[length];
            for (int i = 0; i < length; i++) c[i] = BoundaryChars[_random.Next(BoundaryChars.Length)];
            return new string(c);
        }

        /// <summary>Puts a string's bytes (chars below U+0100) into the writer's buffer.</summary>
        private void Put(string s)
        {
            int i = 0;
            while (i < s.Length && !_full)
            {
                int at;
                int n;
                byte[] b = _writer!.GetBuffer(out at, out n);
                if (n > s.Length - i) n = s.Length - i;
                for (int k = 0; k < n; k++)
                {
                    char ch = s[i + k];
                    b[at + k] = ch < (char)256 ? (byte)ch : (byte)'?';
                }
                i += n;
                if (!_writer.Advance(n)) _full = true;
            }
        }
    }
}
