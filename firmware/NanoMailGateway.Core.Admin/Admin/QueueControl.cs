// The operator's queue actions (README, "Admin endpoint"), in the spirit of Postfix's
// postqueue -f / postqueue -i ID, postsuper -d ID and postsuper -h / -H:
//   retry   every Deferred recipient (and every report waiting to be queued, Bouncing)
//           of one message or of all becomes due now: a new Status record with the same
//           state and attempt count and a next attempt of now, then the runner wakes;
//   delete  silently: every recipient not yet final is marked Failed (5.0.0, "deleted by
//           the postmaster") and the message is removed; with a bounce: they become
//           Bouncing, due now, so the runner sends one RFC 3464 report as for any other
//           failure and removes the message after it (never lost: the sender learns);
//   hold    every Queued and Deferred recipient becomes Held: delivery skips it (no
//           attempts, no delay notices) until it is released; reports already owed
//           (Bouncing) still go, since the sender was promised them;
//   release every Held recipient becomes Queued again when it was never tried, else
//           Deferred and due now, and the runner wakes. The queue lifetime still counts
//           from arrival, so a message held past it bounces at its next failed attempt.
// Statuses are records in the log like the runner's own (ARCHITECTURE.md, Flash format),
// one commit per message acted on. The delivery agent is not asked anything but to wake:
// a message under delivery at that moment gets the runner's outcome after the
// operator's (a retry then costs nothing; a held recipient whose attempt fails for the
// moment stays held, one delivered is delivered; a message deleted while it was being
// sent may still arrive, and the runner's late status for it is refused because it was
// removed). A destination found unreachable stays suspended for DeadDestinationMs (at
// most retry_min, 5 min) after its last failure, retry or not.
// Left out on purpose: editing envelopes, requeueing delivered recipients; recipients
// in a local mailbox are POP3's and IMAP's.

using System;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Operator actions on the queue. Thread-safe (the store and the agent lock).</summary>
    public sealed class QueueControl
    {
        /// <summary>Result of an action: nothing matched.</summary>
        public const int NotFound = -1;

        /// <summary>The enhanced status code a deleted recipient fails with (RFC 3463 §3.1: other, permanent).</summary>
        public const string DeletedCode = "5.0.0";

        /// <summary>The reason a deleted recipient fails with (in the log and in the report).</summary>
        public const string DeletedText = "message deleted by the postmaster";

        private readonly MessageStore _store;
        private readonly DeliveryAgent _agent;
        private readonly IClock _clock;
        private readonly ILog _log;

        /// <summary>Acts on <paramref name="store"/> beside the running <paramref name="agent"/>.</summary>
        public QueueControl(MessageStore store, DeliveryAgent agent, IClock clock, ILog log)
        {
            _store = store;
            _agent = agent;
            _clock = clock;
            _log = log;
        }

        /// <summary>
        /// Makes the waiting recipients of message <paramref name="queueId"/> (null = every
        /// message) due now. Returns the recipients made due or <see cref="NotFound"/>.
        /// </summary>
        /// <exception cref="StorageException">the queue failed.</exception>
        public int Retry(string? queueId)
        {
            return Change(queueId, Retrying, "retry requested");
        }

        /// <summary>
        /// Holds the recipients still to be tried of message <paramref name="queueId"/> (null =
        /// every message). Returns the recipients held or <see cref="NotFound"/>.
        /// </summary>
        /// <exception cref="StorageException">the queue failed.</exception>
        public int Hold(string? queueId)
        {
            return Change(queueId, Holding, "held");
        }

        /// <summary>
        /// Releases the held recipients of message <paramref name="queueId"/> (null = every
        /// message). Returns the recipients released or <see cref="NotFound"/>.
        /// </summary>
        /// <exception cref="StorageException">the queue failed.</exception>
        public int Release(string? queueId)
        {
            return Change(queueId, Releasing, "released");
        }

        // The three actions that only change states, one Status record per recipient changed
        // and one commit per message; the runner wakes after them (a hold needs no wake, and
        // one costs nothing).
        private const int Retrying = 0;
        private const int Holding = 1;
        private const int Releasing = 2;

        private int Change(string? queueId, int action, string done)
        {
            QueuedMessage[] targets;
            if (queueId == null) targets = _store.GetMessages();
            else
            {
                QueuedMessage? m = _store.Find(queueId);
                if (m == null) return NotFound;
                targets = new QueuedMessage[] { m };
            }
            DateTime now = _clock.UtcNow;
            int n = 0;
            for (int i = 0; i < targets.Length; i++)
            {
                QueuedMessage m = targets[i];
                int made = 0;
                for (int r = 0; r < m.RecipientCount && !m.IsRemoved; r++)
                {
                    RecipientStatus? to = Changed(m.GetStatus(r), action, now);
                    if (to == null) continue;
                    _store.SetStatus(m, r, to, false);
                    made++;
                }
                if (made > 0)
                {
                    _store.Flush();
                    _log.Write("admin", 0, m.QueueId + ": " + done + " for " + made.ToString() + " recipient(s)");
                }
                n += made;
            }
            _agent.Wake();
            return n;
        }

        /// <summary>The status <paramref name="s"/> becomes under <paramref name="action"/>, or null when the action leaves it.</summary>
        private static RecipientStatus? Changed(RecipientStatus s, int action, DateTime now)
        {
            RecipientState state = s.State;
            if (action == Retrying)
            {
                if (state != RecipientState.Deferred && state != RecipientState.Bouncing) return null;
                return new RecipientStatus(state, s.Attempts, now, s.Code, s.Text, "", 0);
            }
            if (action == Holding)
            {
                if (state != RecipientState.Queued && state != RecipientState.Deferred) return null;
                return new RecipientStatus(RecipientState.Held, s.Attempts, DateTime.MinValue, s.Code, s.Text, "", 0);
            }
            if (state != RecipientState.Held) return null;
            if (s.Attempts == 0) return new RecipientStatus(RecipientState.Queued, 0, DateTime.MinValue, s.Code, s.Text, "", 0);
            return new RecipientStatus(RecipientState.Deferred, s.Attempts, now, s.Code, s.Text, "", 0);
        }

        /// <summary>
        /// Deletes message <paramref name="queueId"/>: with <paramref name="bounce"/> the sender
        /// gets a report (the runner removes the message after it), else it is removed now.
        /// Returns the recipients ended or <see cref="NotFound"/>.
        /// </summary>
        /// <exception cref="StorageException">the queue failed.</exception>
        public int Delete(string queueId, bool bounce)
        {
            QueuedMessage? m = _store.Find(queueId);
            if (m == null) return NotFound;
            DateTime now = _clock.UtcNow;
            int n = 0;
            for (int r = 0; r < m.RecipientCount && !m.IsRemoved; r++)
            {
                RecipientStatus s = m.GetStatus(r);
                if (s.IsFinal || s.State == RecipientState.InMailbox) continue;
                RecipientState to = bounce ? RecipientState.Bouncing : RecipientState.Failed;
                _store.SetStatus(m, r, new RecipientStatus(to, s.Attempts, bounce ? now : DateTime.MinValue,
                    DeletedCode, DeletedText, "", 0), false);
                n++;
            }
            _store.Flush();
            _log.Write("admin", 0, m.QueueId + ": deleted by the postmaster, " + n.ToString() + " recipient(s), "
                + (bounce ? "report to the sender follows" : "no report"));
            if (!bounce && _store.Remove(m)) _log.Write("admin", 0, m.QueueId + ": removed");
            if (bounce) _agent.Wake();
            return n;
        }
    }
}
