// DATA for SmtpServerSession (RFC 5321 §4.1.1.4): the content streams through
// DotReader and MessageSink into the queue's IMessageWriter unit by unit; every limit
// is answered only after the final <CRLF>.<CRLF> (an early answer would turn the rest
// of the data into commands); 250 only after Commit returned, anything else aborts the
// writer so that nothing of the message is kept. The content must keep coming: each read
// waits at most the DATA timeout (RFC 5321 §4.5.3.2.6), and the whole content must arrive
// within that timeout plus one second per MinDataRate octets (421 4.4.2 otherwise).

using System;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Smtp
{
    public sealed partial class SmtpServerSession
    {
        private void ReadData()
        {
            _after = After.Nothing;
            Envelope e = _envelope!;
            IMessageWriter w = _writer!;
            DateTime now = _server.Clock.UtcNow;
            string id = w.QueueId;
            string? single = e.RecipientCount == 1 ? e.GetRecipient(0).Address : null;
            string protocol = TraceHeaders.Protocol(_extended, _lines.Connection.IsSecure, _authUser != null);
            _sink.Begin(w, id, _options.HostName, now,
                e.Sender.Length > 0 ? e.Sender : "MAILER-DAEMON@" + _options.HostName, _options.MessageSizeLimit);   // RFC 5322 §3.6, as Postfix
            TraceHeaders.Received(_sink, _helo, _lines.Connection.RemoteAddress, _options.HostName, protocol, id, single, now);
            _dot.Reset();
            long started = _server.Clock.MonotonicMilliseconds;
            long arrived = 0;
            while (!_dot.IsDone)
            {
                if (_lines.Available == 0)
                {
                    _lines.Flush();
                    long left = started + _options.DataTimeoutMs + arrived * 1000 / MinDataRate - _server.Clock.MonotonicMilliseconds;
                    bool slow = left < _options.DataTimeoutMs;   // the rate, not the read timeout, sets this wait
                    int n = left <= 0 ? ConnectionResult.TimedOut : _lines.Receive(slow ? (int)left : _options.DataTimeoutMs); // RFC 5321 §4.5.3.2.6
                    if (n == ConnectionResult.Closed)
                    {
                        Log(id + ": lost connection during DATA, message discarded");
                        AbortMessage();
                        _after = After.Close;
                        return;
                    }
                    if (n == ConnectionResult.TimedOut)
                    {
                        Log(id + (slow ? ": DATA slower than " + MinDataRate.ToString() + " octets/s" : ": timeout during DATA") + ", message discarded");
                        AbortMessage();
                        Write(slow ? SmtpReplies.DataTooSlow : SmtpReplies.Timeout);
                        _after = After.Close;
                        return;
                    }
                    arrived += n;
                }
                _lines.Consume(_dot.Feed(_lines.Input, _lines.Start, _lines.Available));
            }
            _sink.Finish();
            // Only now, with all of the data read, do we answer (an early answer would turn
            // the rest of the data into commands: chasquid, CVE-2023-51764).
            string reply;
            if (_sink.StorageFailed) reply = SmtpReplies.CommitFailed;
            else if (_sink.TooBig) reply = SmtpReplies.MessageTooBig;                  // RFC 5321 §4.5.3.1.7
            else if (_sink.LineTooLong) reply = SmtpReplies.MessageLineTooLong;        // RFC 5321 §4.5.3.1.6
            else if (_sink.ReceivedCount > _options.MaxReceivedHeaders) reply = SmtpReplies.MailLoop; // RFC 5321 §6.3
            else if (_sink.StoreFull) reply = SmtpReplies.StorageFull;
            else reply = Commit(w, e);   // Written once queued: that reply goes out after the reset
            if (reply.Length > 0)
            {
                AbortMessage();
                Log(id + ": rejected after DATA: " + reply);
            }
            _writer = null;
            ResetTransaction();
            if (reply.Length == 0) Queued(id);
            else Write(reply);
        }

        // "250 2.0.0 Ok: queued as ID" goes into the output in pieces, as Append puts a reply,
        // within one send when it can: built as one string it was garbage per message.
        private void Queued(string id)
        {
            if (SmtpReplies.Queued.Length + id.Length + 2 > _lines.Room) _lines.Flush();
            _lines.Append(SmtpReplies.Queued);
            _lines.Append(id);
            _lines.EndLine();
        }

        private string Commit(IMessageWriter w, Envelope e)
        {
            try
            {
                w.Commit();
            }
            catch (StorageException ex)
            {
                Log(w.QueueId + ": commit failed: " + ex.Message);
                return SmtpReplies.CommitFailed;
            }
            Log(w.QueueId + ": from=<" + e.Sender + ">, size=" + w.Length.ToString() + ", nrcpt=" + e.RecipientCount.ToString()
                + (_authUser != null ? ", sasl_username=" + _authUser : ""));
            return Written;
        }
    }
}
