// One mail transaction of SmtpClientSession (RFC 5321 §3.3): MAIL, RCPT per recipient,
// DATA, the message streamed with dot-stuffing, the final reply; RSET after a
// transaction that did not reach the final dot, so the session can carry the next.
//   - SIZE (RFC 1870): a message over the server's limit is failed (5.3.4) without a
//     single command; SIZE= is declared when the server offers SIZE.
//   - BODY=8BITMIME (RFC 6152 §3) when the envelope says so and the server offers it.
//   - DSN (RFC 3461 §4): RET, ENVID, NOTIFY, ORCPT only when the server offers DSN.
//   - PIPELINING (RFC 2920 §3.1): MAIL, every RCPT and DATA go in one batch; the replies
//     are read back in the same order.
//   - A connection that breaks before the final reply defers everything still open;
//     the server may have the message already (a duplicate is acceptable, RFC 1047).
// Left out on purpose: downgrading 8-bit content for servers without 8BITMIME (the
// message goes as it is, as most MTAs do), BDAT, SMTPUTF8.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
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
            DeliveryResult result = new DeliveryResult(recipients.Length, ServerName, _connection.RemoteAddress, _connection.RemotePort);
            DeliveryStatus[] statuses = result.Statuses;
            if (!IsReady)
            {
                FillOpen(statuses, Failure ?? DeliveryStatus.LocalTransient("4.4.2", "no open session with " + ServerName));
                return result;
            }
            result.DsnPassedOn = _extensions.Has(SmtpCapabilities.Dsn);
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
                Transact(envelope, recipients, content, statuses);
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

        /// <summary>The transaction proper; statuses left null are still open.</summary>
        private void Transact(Envelope envelope, EnvelopeRecipient[] recipients, IMessageContent content, DeliveryStatus[] statuses)
        {
            bool pipelining = _extensions.Has(SmtpCapabilities.Pipelining);
            int accepted = 0;
            int code;
            _stage = "sending MAIL FROM";
            AppendMail(envelope, content.Length);
            if (!pipelining)
            {
                _writer.Flush(_options.MailTimeoutMs);
                code = _reader.ReadReply(_options.MailTimeoutMs, null);
                if (code / 100 != 2)
                {
                    FillOpen(statuses, FromReply());
                    EndWithoutData(code);
                    return;
                }
            }
            _stage = "sending RCPT TO";
            for (int i = 0; i < recipients.Length; i++)
            {
                AppendRcpt(recipients[i]);
                if (pipelining) continue;
                _writer.Flush(_options.RcptTimeoutMs);
                code = _reader.ReadReply(_options.RcptTimeoutMs, null);
                if (code == 421)
                {
                    FillOpen(statuses, FromReply());
                    EndWithoutData(code);
                    return;
                }
                if (code / 100 == 2) accepted++;
                else statuses[i] = FromReply();
            }
            _stage = "sending DATA";
            if (pipelining)
            {
                _writer.Append(CmdData);
                _writer.EndLine();
                _writer.Flush(_options.MailTimeoutMs);
                // RFC 2920 §3.1: the replies come in the order of the commands.
                _stage = "sending MAIL FROM";
                code = _reader.ReadReply(_options.MailTimeoutMs, null);
                DeliveryStatus? mailRefused = code / 100 == 2 ? null : FromReply();
                if (code == 421)
                {
                    FillOpen(statuses, mailRefused!);
                    EndWithoutData(code);
                    return;
                }
                _stage = "sending RCPT TO";
                for (int i = 0; i < recipients.Length; i++)
                {
                    code = _reader.ReadReply(_options.RcptTimeoutMs, null);
                    if (code == 421)
                    {
                        FillOpen(statuses, FromReply());
                        EndWithoutData(code);
                        return;
                    }
                    if (mailRefused != null) continue;
                    if (code / 100 == 2) accepted++;
                    else statuses[i] = FromReply();
                }
                if (mailRefused != null) FillOpen(statuses, mailRefused);
                _stage = "sending DATA";
                code = _reader.ReadReply(_options.DataInitTimeoutMs, null);
                if (code == 354 && accepted == 0)
                {
                    // RFC 2920 §3.1: DATA accepted with no valid recipient: end the empty message.
                    SendLine(EndDataAlone, _options.DataBlockTimeoutMs);
                    code = _reader.ReadReply(_options.DataTerminationTimeoutMs, null);
                    EndWithoutData(code);
                    return;
                }
            }
            else
            {
                if (accepted == 0)
                {
                    EndWithoutData(0);
                    return;
                }
                SendLine(CmdData, _options.DataInitTimeoutMs);
                code = _reader.ReadReply(_options.DataInitTimeoutMs, null);
            }
            if (code != 354)
            {
                if (accepted > 0) FillOpen(statuses, FromReply());
                EndWithoutData(code);
                return;
            }
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
            code = _reader.ReadReply(_options.DataTerminationTimeoutMs, null);
            FillOpen(statuses, FromReply());
            if (code == 421) EndWithoutData(code);
            // After the final reply the transaction is over either way (RFC 5321 §4.1.1.4): no RSET.
        }

        /// <summary>Ends a transaction that did not complete: close on 421 (RFC 5321 §3.8), else RSET
        /// (§4.1.1.5) so that the next message starts clean; a refused RSET closes the session.</summary>
        private void EndWithoutData(int code)
        {
            if (code == 421)
            {
                Failure = FromReply();
                CloseConnection();
                return;
            }
            _stage = "sending RSET";
            SendLine(CmdRset, _options.CommandTimeoutMs);
            int rset = _reader.ReadReply(_options.CommandTimeoutMs, null);
            if (rset / 100 != 2)
            {
                Failure = FromReply();
                Quit();
            }
        }

        /// <summary>
        /// Streams the message through the dot-stuffer and sends ".CRLF". False when the queue could not be read.
        /// The message is read from flash into the tail of the send buffer and stuffed forward into
        /// the same buffer (RFC 5321 §4.5.2): no third buffer (ARCHITECTURE.md, Memory).
        /// </summary>
        private bool SendBody(IMessageContent content)
        {
            _stuffer.Reset();
            byte[] output = _writer.Buffer;
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
                    int room = output.Length - _writer.Length - DotStuffer.MaxExpansion;
                    if (room < output.Length / 4)
                    {
                        _writer.Flush(_options.DataBlockTimeoutMs);
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
                _writer.Advance(_stuffer.Encode(output, inStart, inEnd - inStart, output, _writer.Length, _writer.Room, out consumed));
                inStart += consumed;
                // The output caught up with the input still to encode: send it; the input stays where it is.
                if (inStart < inEnd) _writer.Flush(_options.DataBlockTimeoutMs);
            }
            if (_writer.Room < DotStuffer.MaxFinishBytes) _writer.Flush(_options.DataBlockTimeoutMs);
            _writer.Advance(_stuffer.Finish(output, _writer.Length));
            _writer.Flush(_options.DataBlockTimeoutMs);
            return true;
        }

        /// <summary>MAIL FROM:&lt;sender&gt; with SIZE, BODY, RET and ENVID as the server allows.</summary>
        private void AppendMail(Envelope envelope, long size)
        {
            bool dsn = _extensions.Has(SmtpCapabilities.Dsn);
            string? envid = dsn && envelope.EnvelopeId != null ? XText.Encode(envelope.EnvelopeId) : null;
            int needed = 64 + envelope.Sender.Length + (envid != null ? envid.Length : 0);
            if (!_writer.EnsureRoom(needed, _options.MailTimeoutMs))
            {
                envid = null;   // ENVID is advisory (RFC 3461 §4.4): drop it rather than the message.
                _writer.EnsureRoom(64 + envelope.Sender.Length, _options.MailTimeoutMs);
            }
            _writer.Append(CmdMailFrom);
            _writer.Append(envelope.Sender);
            _writer.Append(CloseBracket);
            if (_extensions.Has(SmtpCapabilities.Size))
            {
                _writer.Append(ParamSize);              // RFC 1870 §6
                _writer.AppendDecimal(size);
            }
            if (envelope.EightBitMime && _extensions.Has(SmtpCapabilities.EightBitMime)) _writer.Append(ParamBody8Bit);
            if (dsn)
            {
                if (envelope.Return == DsnReturn.Full) _writer.Append(ParamRetFull);
                else if (envelope.Return == DsnReturn.Headers) _writer.Append(ParamRetHdrs);
                if (envid != null)
                {
                    _writer.Append(ParamEnvid);
                    _writer.Append(envid);
                }
            }
            _writer.EndLine();
        }

        /// <summary>RCPT TO:&lt;address&gt; with NOTIFY and ORCPT when the server offers DSN (RFC 3461 §4.1, §4.2).</summary>
        private void AppendRcpt(EnvelopeRecipient recipient)
        {
            bool dsn = _extensions.Has(SmtpCapabilities.Dsn);
            string? orcptType = null;
            string? orcptValue = null;
            if (dsn && recipient.OriginalRecipient != null)
            {
                // ORCPT = addr-type ";" xtext (RFC 3461 §4.2); the queue keeps it decoded.
                string o = recipient.OriginalRecipient;
                int semi = o.IndexOf(';');
                orcptType = semi > 0 ? o.Substring(0, semi) : "rfc822";
                orcptValue = XText.Encode(semi > 0 ? o.Substring(semi + 1) : o);
            }
            int needed = 64 + recipient.Address.Length + (orcptValue != null ? orcptValue.Length + orcptType!.Length : 0);
            if (!_writer.EnsureRoom(needed, _options.RcptTimeoutMs))
            {
                orcptValue = null;   // ORCPT is advisory: drop it rather than the recipient.
                _writer.EnsureRoom(64 + recipient.Address.Length, _options.RcptTimeoutMs);
            }
            _writer.Append(CmdRcptTo);
            _writer.Append(recipient.Address);
            _writer.Append(CloseBracket);
            if (dsn && recipient.Notify != DsnNotify.Unspecified)
            {
                _writer.Append(ParamNotify);
                if ((recipient.Notify & DsnNotify.Never) != 0)
                {
                    _writer.Append(NotifyNever);        // RFC 3461 §4.1: NEVER stands alone.
                }
                else
                {
                    bool first = true;
                    if ((recipient.Notify & DsnNotify.Success) != 0) { _writer.Append(NotifySuccess); first = false; }
                    if ((recipient.Notify & DsnNotify.Failure) != 0) { if (!first) _writer.Append(Comma); _writer.Append(NotifyFailure); first = false; }
                    if ((recipient.Notify & DsnNotify.Delay) != 0) { if (!first) _writer.Append(Comma); _writer.Append(NotifyDelay); }
                }
            }
            if (orcptValue != null)
            {
                _writer.Append(ParamOrcpt);
                _writer.Append(orcptType!);
                _writer.Append(";");
                _writer.Append(orcptValue);
            }
            _writer.EndLine();
        }

        /// <summary>Sends one line now (the buffer is empty between non-pipelined commands).</summary>
        private void SendLine(string line, int timeoutMs)
        {
            _writer.Append(line);
            _writer.EndLine();
            _writer.Flush(timeoutMs);
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
