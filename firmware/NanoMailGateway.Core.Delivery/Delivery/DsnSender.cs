// Queues the RFC 3464 report of one message's batch: one report per
// message listing all its recipients to report (failed, delayed, delivered/relayed),
// with the null reverse-path (RFC 5321 §4.5.5) to the original sender, through
// BeginLocalMessage so that it may use the queue's reserve. The new message is ordinary
// queue work: a local sender gets it in the mailbox, a remote one by SMTP; being from
// <> it is never bounced itself (OutcomeRecorder sends it to the postmaster instead).
// One composer for the agent, under a lock: reports are rare. It has no buffer of its own:
// it writes into the queue writer's write unit (the one kept for local mail).
// A report that cannot be queued now (queue full, or an exception other than the queue's
// StorageException, such as OutOfMemoryException on a 54-90 KB heap) returns false with
// a log line and its writer aborted: the caller keeps the failed recipients Bouncing so
// that the report is tried again (RFC 5321 §6.1: after 250 we deliver or report).

using System;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Writes and queues delivery status notifications. Thread-safe.</summary>
    internal sealed class DsnSender
    {
        private readonly MessageStore _store;
        private readonly LocalRecipientMap _local;
        private readonly ILog _log;
        private readonly DsnComposer _composer;

        public DsnSender(MessageStore store, LocalRecipientMap local, DsnComposerOptions options, IClock clock, IRandom random, ILog log)
        {
            _store = store;
            _local = local;
            _log = log;
            _composer = new DsnComposer(options, clock, random);
        }

        /// <summary>
        /// Queues the report of <paramref name="work"/> (its Reports must not be empty). True
        /// when it is committed (or none is owed: a message from &lt;&gt;); false, logged, when it
        /// could not be queued now and must be tried again later.
        /// </summary>
        /// <exception cref="StorageException">the queue failed while writing or committing it.</exception>
        public bool Send(MessageWork work, int session)
        {
            QueuedMessage m = work.Message;
            string sender = m.Envelope.Sender;
            if (sender.Length == 0) return true;   // RFC 5321 §6.1: never a report about a report
            lock (_composer)
            {
                IMessageWriter? w = null;
                bool committed = false;
                try
                {
                    DsnRecipient[] list = work.ReportArray();
                    Envelope env = new Envelope("");
                    env.AddRecipient(new EnvelopeRecipient(sender, _local.IsLocal(sender), DsnNotify.Never, null));
                    w = _store.BeginLocalMessage(env);
                    if (w == null || !_composer.Compose(w, m.Envelope, list, _store.OpenReader(m)))
                    {
                        CannotQueue(m, sender, "queue full", session);
                        return false;
                    }
                    w.Commit();
                    committed = true;
                    _log.Write("bounce", session, m.QueueId + ": sender " + Kind(list) + " notification: " + w.QueueId);
                    return true;
                }
                catch (StorageException)
                {
                    throw;   // the medium: the worker stops and the board reboots (DeliveryAgent)
                }
                catch (Exception e)
                {
                    // Only the log line after the Commit failed: the report is queued, say so
                    // (false would queue it a second time).
                    if (committed) return true;
                    // Not the medium (OutOfMemoryException while composing, a bug): the queue is
                    // intact, so the report is only late, never lost.
                    CannotQueue(m, sender, e.Message, session);
                    return false;
                }
                finally
                {
                    // Every path that did not commit gives the writer slot and its write-unit
                    // buffer back, whatever was thrown; Abort after a failed Commit is a no-op.
                    if (w != null && !committed) w.Abort();
                }
            }
        }

        private void CannotQueue(QueuedMessage m, string sender, string why, int session)
        {
            _log.Write("bounce", session, m.QueueId + ": cannot queue the delivery status notification for <" + sender + ">: " + why);
        }

        private static string Kind(DsnRecipient[] list)
        {
            DsnAction worst = DsnAction.Delivered;
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i].Action == DsnAction.Failed) return "non-delivery";
                if (list[i].Action == DsnAction.Delayed) worst = DsnAction.Delayed;
            }
            return worst == DsnAction.Delayed ? "delay" : "delivery status";
        }
    }
}
