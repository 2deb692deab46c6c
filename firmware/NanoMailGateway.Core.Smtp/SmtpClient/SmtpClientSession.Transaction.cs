// One mail transaction of SmtpClientSession (RFC 5321 §3.3): MAIL, RCPT per recipient,
// DATA, the message streamed with dot-stuffing, the final reply; RSET after a
// transaction that did not reach the final dot, so the session can carry the next.
//   - SIZE (RFC 1870): a message over the server's limit is failed (5.3.4) without a
//     single command; SIZE= is declared when the server offers SIZE.
//   - BODY=8BITMIME (RFC 6152 §3) when the envelope says so and the server offers it.
//   - DSN (RFC 3461 §4): RET, ENVID, NOTIFY, ORCPT only when the server offers DSN, and
//     only when every line of the transaction keeps the DSN limits (RFC 3461 §3: MAIL 612,
//     RCPT 1012 octets) and fits the send buffer. Otherwise the message goes without any
//     DSN parameter, as to a server without DSN (RFC 3461 §5.2.2: DsnPassedOn is false and
//     a "relayed" notice goes to senders who asked for SUCCESS); dropping only some of them
//     would break §5.2.1, which wants all of them passed on. The plain lines always fit:
//     paths are at most 256 octets (RFC 5321 §4.5.3.1.3), so MAIL with SIZE and BODY stays
//     under 512.
//   - PIPELINING (RFC 2920 §3.1): MAIL, every RCPT and DATA go in one batch; the replies
//     are read back in the same order, one per command: one too many or too few shows as a
//     code out of place, a protocol error that defers (SmtpReplyTable).
//   - Delivered only from a 2xx to the final dot; a reply that arrives before the client
//     sent what it answers (354 and 250 in one packet, a reply during the body) is a
//     protocol error that defers.
//   - Submission (SmtpClientOptions.Submission): no pipelining, and a refused recipient
//     abandons the transaction with RSET before DATA, leaving the others unsent.
//   - A connection that breaks before the final reply defers everything still open;
//     the server may have the message already (a duplicate is acceptable, RFC 1047).
// Left out on purpose: downgrading 8-bit content for servers without 8BITMIME (the
// message goes as it is, as most MTAs do), BDAT, SMTPUTF8.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.SmtpClient
{
    public sealed partial class SmtpClientSession
    {
        private const string CmdMailFrom = "MAIL FROM:<";
        private const string CmdRcptTo = "RCPT TO:<";
        private const string CmdData = "DATA";
        private const string CmdRset = "RSET";
        private const string EndDataAlone = ".";
        private const string CloseBracket = ">";
        private const string ParamSize = " SIZE=";
        private const string ParamBody8Bit = " BODY=8BITMIME";
        private const string ParamRetFull = " RET=FULL";
        private const string ParamRetHdrs = " RET=HDRS";
        private const string ParamEnvid = " ENVID=";
        private const string ParamNotify = " NOTIFY=";
        private const string ParamOrcpt = " ORCPT=";
        private const string NotifyNever = "NEVER";
        private const string NotifySuccess = "SUCCESS";
        private const string NotifyFailure = "FAILURE";
        private const string NotifyDelay = "DELAY";
        private const string Comma = ",";
        private const string StageMail = "sending MAIL FROM";
        private const string StageRcpt = "sending RCPT TO";
        private const string StageData = "sending DATA";

        /// <summary>
        /// Delivers one message to <paramref name="recipients"/> over this session and returns a
        /// status for each (same order). Never throws for network or protocol trouble; after a
        /// broken connection or a 421 the session is no longer ready.
        /// </summary>
        /// <param name="envelope">Sender and DSN envelope parameters (its own recipient list is not used).</param>
        /// <param name="recipients">The recipients to attempt on this server (at most what the board allows).</param>
        /// <param name="content">The message (CRLF lines, not dot-stuffed).</param>
        public DeliveryResult Deliver(Envelope envelope, EnvelopeRecipient[] recipients, IMessageContent content)
        {
            DeliveryResult result = new DeliveryResult(recipients.Length, ServerName, _lines.Connection.RemoteAddress, _lines.Connection.RemotePort);
            DeliveryStatus[] statuses = result.Statuses;
            if (!IsReady)
            {
                FillOpen(statuses, Failure ?? DeliveryStatus.LocalTransient("4.4.2", "no open session with " + ServerName));
                return result;
            }
            bool dsn = _extensions.Has(SmtpCapabilities.Dsn);
            if (dsn && !DsnFits(envelope, recipients, content.Length))
            {
                dsn = false;
                _log.Write(Component, _sessionId, ServerName + "[" + RemoteAddress + "]: DSN parameters too long for the command lines, sending without them");
            }
            result.DsnPassedOn = dsn;
            if (recipients.Length == 0)
            {
                result.ConnectionUsable = true;   // nothing to do: no transaction without a recipient
                return result;
            }
            long size = content.Length;
            if (_extensions.Has(SmtpCapabilities.Size) && _extensions.MaxSize > 0 && size > _extensions.MaxSize)
            {
                // RFC 1870 §4: do not send a message the server already said it will refuse.
                FillOpen(statuses, DeliveryStatus.LocalPermanent("5.3.4", "message size " + size.ToString() + " exceeds size limit "
                    + _extensions.MaxSize.ToString() + " of server " + ServerName + "[" + RemoteAddress + "]"));
                result.ConnectionUsable = true;
                return result;
            }
            try
            {
                Transact(envelope, recipients, content, statuses, dsn);
            }
            catch (ConnectionException e)
            {
                DeliveryStatus lost = Lost(e);
                FillOpen(statuses, lost);
                Failure = lost;
                CloseConnection();
            }
            result.ConnectionUsable = IsReady;
            return result;
        }

        /// <summary>The transaction proper; statuses left null are still open. Every reply is judged
        /// by SmtpReplyTable; only the reply to the final dot can deliver.</summary>
        private void Transact(Envelope envelope, EnvelopeRecipient[] recipients, IMessageContent content, DeliveryStatus[] statuses, bool dsn)
        {
            // Submission waits for each RCPT reply: with DATA already sent in the batch, a refused
            // recipient could only be answered by dropping the connection (RFC 5321 §4.1.1.4).
            bool pipelining = _extensions.Has(SmtpCapabilities.Pipelining) && !_options.Submission;
            int accepted = 0;
            ReplyVerdict v;
            _stage = StageMail;
            _reader.ExpectNothing(false);   // a reply left over from before answers nothing we sent
            AppendMail(envelope, content.Length, dsn);
            if (!pipelining)
            {
                Send(_options.MailTimeoutMs);
                v = Read(SmtpStage.Mail, _options.MailTimeoutMs, null);
                if (v != ReplyVerdict.Proceed)
                {
                    Stop(statuses, v);
                    return;
                }
            }
            _stage = StageRcpt;
            for (int i = 0; i < recipients.Length; i++)
            {
                AppendRcpt(recipients[i], dsn);
                if (pipelining) continue;
                Send(_options.RcptTimeoutMs);
                v = Read(SmtpStage.Rcpt, _options.RcptTimeoutMs, null);
                if (v == ReplyVerdict.Proceed) accepted++;
                else if (Refusal(v)) statuses[i] = Judged(v);
                else
                {
                    Stop(statuses, v);
                    return;
                }
            }
            _stage = StageData;
            if (pipelining)
            {
                _lines.EnsureRoom(CmdData.Length + 2, Cap(_options.MailTimeoutMs));   // the last RCPT may have filled the buffer
                _lines.Append(CmdData);
                _lines.EndLine();
                Send(_options.MailTimeoutMs);
                // RFC 2920 §3.1: one reply per command, in the order of the commands; a reply
                // too many or too few shows as a code out of place (SmtpReplyTable).
                _stage = StageMail;
                v = Read(SmtpStage.Mail, _options.MailTimeoutMs, null);
                DeliveryStatus? mailRefused = null;
                if (Refusal(v)) mailRefused = Judged(v);
                else if (v != ReplyVerdict.Proceed)
                {
                    Stop(statuses, v);
                    return;
                }
                _stage = StageRcpt;
                for (int i = 0; i < recipients.Length; i++)
                {
                    v = Read(SmtpStage.Rcpt, _options.RcptTimeoutMs, null);
                    if (v != ReplyVerdict.Proceed && !Refusal(v))
                    {
                        Stop(statuses, v);
                        return;
                    }
                    if (mailRefused != null) continue;
                    if (v == ReplyVerdict.Proceed) accepted++;
                    else statuses[i] = Judged(v);
                }
                if (mailRefused != null) FillOpen(statuses, mailRefused);
                _stage = StageData;
                v = Read(SmtpStage.Data, _options.DataInitTimeoutMs, null);
                if (v == ReplyVerdict.Proceed && accepted == 0)
                {
                    // RFC 2920 §3.1: DATA accepted with no valid recipient: end the empty message.
                    _reader.ExpectNothing(false);
                    SendLine(EndDataAlone, _options.DataBlockTimeoutMs);
                    // Its reply concerns no recipient (each has its refusal already); judged like RSET's.
                    v = Read(SmtpStage.Rset, _options.DataTerminationTimeoutMs, null);
                    if (v == ReplyVerdict.Proceed || Refusal(v)) Reset();
                    else Stop(statuses, v);
                    return;
                }
            }
            else
            {
                if (accepted == 0)
                {
                    Reset();
                    return;
                }
                if (_options.Submission && accepted < recipients.Length)
                {
                    // All or nothing: the accepted recipients get nothing either (SmtpClientOptions.Submission).
                    FillOpen(statuses, DeliveryStatus.LocalTransient("4.0.0", "not sent: another recipient was refused"));
                    Reset();
                    return;
                }
                SendLine(CmdData, _options.DataInitTimeoutMs);
                v = Read(SmtpStage.Data, _options.DataInitTimeoutMs, null);
            }
            if (v != ReplyVerdict.Proceed)
            {
                // A 2xx to DATA is a protocol error here, never a delivery (SmtpReplyTable).
                Stop(statuses, v);
                return;
            }
            // 354 and more in one packet: the server answered a body it has not seen.
            _reader.ExpectNothing(false);
            _stage = "sending message body";
            if (!SendBody(content))
            {
                // Never send the final dot after a short read: that would deliver a truncated message.
                FillOpen(statuses, DeliveryStatus.LocalTransient("4.3.0", "cannot read the queued message"));
                Failure = DeliveryStatus.LocalTransient("4.3.0", "session closed after a queue read error");
                CloseConnection();
                return;
            }
            _stage = "sending end of data -- message may be sent more than once";
            v = Read(SmtpStage.EndOfData, _options.DataTerminationTimeoutMs, null);
            DeliveryStatus final = Judged(v);
            FillOpen(statuses, final);
            // After the final reply the transaction is over either way (RFC 5321 §4.1.1.4): no RSET.
            if (!Refusal(v) && v != ReplyVerdict.Delivered)
            {
                Failure = final;
                CloseConnection();
            }
        }

        /// <summary>Ends a transaction that stopped before the body: every open recipient gets the
        /// verdict's status; a refusal is followed by RSET (§4.1.1.5) so the session can carry the
        /// next message, a 421 or a protocol error closes (RFC 5321 §3.8; SmtpReplyTable).</summary>
        private void Stop(DeliveryStatus[] statuses, ReplyVerdict v)
        {
            DeliveryStatus status = Judged(v);
            FillOpen(statuses, status);
            if (Refusal(v))
            {
                Reset();
                return;
            }
            Failure = status;
            CloseConnection();
        }

        /// <summary>
        /// RSET on a session kept open between deliveries (a cached connection): true when
        /// the server still answers 250 (RFC 5321 §4.1.1.5), so the next transaction can go
        /// on it; otherwise the connection is closed and a new one must be opened. Nothing
        /// was sent for any recipient, so a false here costs no recipient a deferral.
        /// </summary>
        public bool Probe()
        {
            if (!IsReady) return false;
            try
            {
                Reset();
            }
            catch (ConnectionException)
            {
                CloseConnection();
            }
            return IsReady;
        }

        /// <summary>RSET once the outcome is known, waiting EndTimeoutMs at most; a refused or slow
        /// RSET ends the session (the next message opens a new one).</summary>
        private void Reset()
        {
            _stage = "sending RSET";
            SendLine(CmdRset, _options.EndTimeoutMs);
            ReplyVerdict v = Read(SmtpStage.Rset, _options.EndTimeoutMs, null);
            if (v == ReplyVerdict.Proceed) return;
            Failure = DeliveryStatus.LocalTransient("4.4.2", "RSET refused by " + ServerName + "[" + RemoteAddress + "]");
            if (Refusal(v)) Quit();
            CloseConnection();
        }

        /// <summary>
        /// Streams the message through the dot-stuffer and sends ".CRLF". False when the queue could not be read.
        /// The message is read from flash into the tail of the send buffer and stuffed forward into
        /// the same buffer (RFC 5321 §4.5.2): no third buffer (ARCHITECTURE.md, Memory).
        /// </summary>
        private bool SendBody(IMessageContent content)
        {
            _stuffer.Reset();
            byte[] output = _lines.Output;
            long length = content.Length;
            long position = 0;
            int inStart = 0;   // message bytes read into output[inStart, inEnd), not yet encoded
            int inEnd = 0;
            while (position < length || inStart < inEnd)
            {
                if (inStart == inEnd)
                {
                    // Room behind what waits to be sent, less what one byte may grow to; a small room
                    // is sent first so that reads (and so sends) stay large.
                    int room = output.Length - _lines.OutputLength - DotStuffer.MaxExpansion;
                    if (room < output.Length / 4)
                    {
                        Send(_options.DataBlockTimeoutMs);
                        room = output.Length - DotStuffer.MaxExpansion;
                    }
                    long left = length - position;
                    int want = left < room ? (int)left : room;
                    inStart = output.Length - want;
                    int n;
                    try
                    {
                        n = content.Read(position, output, inStart, want);
                    }
                    catch (StorageException e)
                    {
                        _log.Write(Component, _sessionId, "queue read failed at offset " + position.ToString() + ": " + e.Message);
                        return false;
                    }
                    if (n <= 0)
                    {
                        _log.Write(Component, _sessionId, "queued message ended at " + position.ToString() + " of " + length.ToString() + " bytes");
                        return false;
                    }
                    position += n;
                    inEnd = inStart + n;
                }
                int consumed;
                _lines.Advance(_stuffer.Encode(output, inStart, inEnd - inStart, output, _lines.OutputLength, _lines.Room, out consumed));
                inStart += consumed;
                // The output caught up with the input still to encode: send it; the input stays where it is.
                if (inStart < inEnd) Send(_options.DataBlockTimeoutMs);
            }
            if (_lines.Room < DotStuffer.MaxFinishBytes) Send(_options.DataBlockTimeoutMs);
            // A reply before the final dot answers content the server has not all seen: never a delivery.
            _reader.ExpectNothing(true);
            _lines.Advance(_stuffer.Finish(output, _lines.OutputLength));
            Send(_options.DataBlockTimeoutMs);
            return true;
        }

        /// <summary>True when MAIL and every RCPT fit with their DSN parameters: within the longer
        /// lines a DSN server must read (RFC 3461 §3) and within the send buffer.</summary>
        private bool DsnFits(Envelope envelope, EnvelopeRecipient[] recipients, long size)
        {
            int buffer = _lines.Output.Length;
            int mailLimit = buffer < SmtpLineLimits.DsnMailLine ? buffer : SmtpLineLimits.DsnMailLine;
            int rcptLimit = buffer < SmtpLineLimits.DsnRcptLine ? buffer : SmtpLineLimits.DsnRcptLine;
            if (MailLineLength(envelope, size) + MailDsnParameters(envelope).Length > mailLimit) return false;
            for (int i = 0; i < recipients.Length; i++)
            {
                if (RcptLineLength(recipients[i]) + RcptDsnParameters(recipients[i]).Length > rcptLimit) return false;
            }
            return true;
        }

        /// <summary>MAIL FROM:&lt;sender&gt; with SIZE and BODY as the server allows, and RET and ENVID
        /// when <paramref name="dsn"/>.</summary>
        private void AppendMail(Envelope envelope, long size, bool dsn)
        {
            string? dsnParameters = dsn ? MailDsnParameters(envelope) : null;
            _lines.EnsureRoom(MailLineLength(envelope, size) + (dsnParameters != null ? dsnParameters.Length : 0), Cap(_options.MailTimeoutMs));
            _lines.Append(CmdMailFrom);
            _lines.Append(envelope.Sender);
            _lines.Append(CloseBracket);
            if (_extensions.Has(SmtpCapabilities.Size))
            {
                _lines.Append(ParamSize);              // RFC 1870 §6
                _lines.AppendDecimal(size);
            }
            if (SendsEightBit(envelope)) _lines.Append(ParamBody8Bit);
            if (dsnParameters != null) _lines.Append(dsnParameters);
            _lines.EndLine();
        }

        /// <summary>Octets of the MAIL line without DSN parameters, CRLF included (what AppendMail writes).</summary>
        private int MailLineLength(Envelope envelope, long size)
        {
            int n = CmdMailFrom.Length + envelope.Sender.Length + CloseBracket.Length + 2;
            if (_extensions.Has(SmtpCapabilities.Size)) n += ParamSize.Length + size.ToString().Length;
            if (SendsEightBit(envelope)) n += ParamBody8Bit.Length;
            return n;
        }

        private bool SendsEightBit(Envelope envelope)
        {
            return envelope.EightBitMime && _extensions.Has(SmtpCapabilities.EightBitMime);
        }

        /// <summary>" RET=... ENVID=..." of the envelope (RFC 3461 §4.3, §4.4), or "".</summary>
        private static string MailDsnParameters(Envelope envelope)
        {
            string s = envelope.Return == DsnReturn.Full ? ParamRetFull : envelope.Return == DsnReturn.Headers ? ParamRetHdrs : "";
            if (envelope.EnvelopeId != null) s += ParamEnvid + XText.Encode(envelope.EnvelopeId);
            return s;
        }

        /// <summary>RCPT TO:&lt;address&gt;, with NOTIFY and ORCPT when <paramref name="dsn"/>.</summary>
        private void AppendRcpt(EnvelopeRecipient recipient, bool dsn)
        {
            string? dsnParameters = dsn ? RcptDsnParameters(recipient) : null;
            _lines.EnsureRoom(RcptLineLength(recipient) + (dsnParameters != null ? dsnParameters.Length : 0), Cap(_options.RcptTimeoutMs));
            _lines.Append(CmdRcptTo);
            _lines.Append(recipient.Address);
            _lines.Append(CloseBracket);
            if (dsnParameters != null) _lines.Append(dsnParameters);
            _lines.EndLine();
        }

        /// <summary>Octets of the RCPT line without DSN parameters, CRLF included (what AppendRcpt writes).</summary>
        private static int RcptLineLength(EnvelopeRecipient recipient)
        {
            return CmdRcptTo.Length + recipient.Address.Length + CloseBracket.Length + 2;
        }

        /// <summary>" NOTIFY=... ORCPT=..." of the recipient (RFC 3461 §4.1, §4.2), or "".</summary>
        private static string RcptDsnParameters(EnvelopeRecipient recipient)
        {
            string s = "";
            DsnNotify notify = recipient.Notify;
            if ((notify & DsnNotify.Never) != 0)
            {
                s = ParamNotify + NotifyNever;          // RFC 3461 §4.1: NEVER stands alone.
            }
            else if (notify != DsnNotify.Unspecified)
            {
                string list = "";
                if ((notify & DsnNotify.Success) != 0) list = NotifySuccess;
                if ((notify & DsnNotify.Failure) != 0) list += (list.Length > 0 ? Comma : "") + NotifyFailure;
                if ((notify & DsnNotify.Delay) != 0) list += (list.Length > 0 ? Comma : "") + NotifyDelay;
                s = ParamNotify + list;
            }
            string? o = recipient.OriginalRecipient;
            if (o != null)
            {
                // ORCPT = addr-type ";" xtext (RFC 3461 §4.2); the queue keeps it decoded.
                int semi = o.IndexOf(';');
                string type = semi > 0 ? o.Substring(0, semi) : "rfc822";
                s += ParamOrcpt + type + ";" + XText.Encode(semi > 0 ? o.Substring(semi + 1) : o);
            }
            return s;
        }

        /// <summary>Sends one line now (the buffer is empty between non-pipelined commands).</summary>
        private void SendLine(string line, int timeoutMs)
        {
            _lines.Append(line);
            _lines.EndLine();
            Send(timeoutMs);
        }

        /// <summary>Gives every still-open (null) slot <paramref name="status"/>.</summary>
        private static void FillOpen(DeliveryStatus[] statuses, DeliveryStatus status)
        {
            for (int i = 0; i < statuses.Length; i++)
            {
                if (statuses[i] == null) statuses[i] = status;
            }
        }
    }
}
