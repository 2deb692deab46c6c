// One batch of the delivery agent (DeliveryAgent.cs): expired and local recipients
// first (no connection needed), then the remote recipients destination by destination
// (RemoteDelivery reuses one session for all messages to that destination). Once
// Process has returned, DeliveryAgent.Pass finishes each message: the delay notice
// (once, after delay_warning, RFC 3461 §4.1 NOTIFY=DELAY), the RFC 3464 report, the
// flush of the buffered statuses and the removal.

using System;
using System.Collections;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    public sealed partial class DeliveryAgent
    {
        private int Process(MessageWork[] batch, int session)
        {
            DateTime now = _clock.UtcNow;
            int attempts = 0;
            // Expired and local recipients first: they need no connection.
            for (int b = 0; b < batch.Length; b++)
            {
                MessageWork w = batch[b];
                bool expired = _recorder.Schedule.IsExpired(w.Message.ArrivalUtc, now);
                for (int i = 0; i < w.Due.Length; i++)
                {
                    int r = w.Due[i];
                    if (expired)
                    {
                        RecipientStatus s = w.Message.GetStatus(r);
                        DeliveryStatus? last = s.Code.Length == 0 ? null : DeliveryStatus.LocalTransient(s.Code, s.Text);
                        _recorder.Apply(w, r, RetrySchedule.Expired(last), OutcomeRecorder.RelayNone, null, false, session);
                    }
                    else if (w.Message.Envelope.GetRecipient(r).IsLocal)
                    {
                        _localDelivery.Deliver(w, r, session);
                        attempts++;
                    }
                }
            }
            // Remote recipients, one destination after the other.
            ArrayList keys = new ArrayList();
            for (int b = 0; b < batch.Length; b++)
            {
                for (int i = 0; i < batch[b].Due.Length; i++)
                {
                    int r = batch[b].Due[i];
                    if (!batch[b].Message.GetStatus(r).IsDue(now)) continue;
                    string key = KeyOf(batch[b].Message.Envelope.GetRecipient(r));
                    if (!keys.Contains(key)) keys.Add(key);
                }
            }
            OtherMail others = new OtherMail(this, keys, _options.DestinationTurnMs);
            for (int k = 0; k < keys.Count && !(_stopping && session != 0); k++)
            {
                others.Current = k;
                attempts += DeliverTo((string)keys[k]!, batch, now, session, others);
            }
            return attempts;
        }

        private int DeliverTo(string key, MessageWork[] batch, DateTime now, int session, WaitLimit limit)
        {
            int n = 0;
            for (int b = 0; b < batch.Length; b++) if (CountFor(batch[b], key, now) > 0) n++;
            MessageWork[] works = new MessageWork[n];
            int[][] rcpts = new int[n][];
            n = 0;
            for (int b = 0; b < batch.Length; b++)
            {
                int c = CountFor(batch[b], key, now);
                if (c == 0) continue;
                int[] idx = new int[c];
                c = 0;
                for (int i = 0; i < batch[b].Due.Length; i++)
                {
                    int r = batch[b].Due[i];
                    if (batch[b].Message.GetStatus(r).IsDue(now) && KeyOf(batch[b].Message.Envelope.GetRecipient(r)) == key) idx[c++] = r;
                }
                works[n] = batch[b];
                rcpts[n] = idx;
                n++;
            }
            return _remote.Deliver(key, works, rcpts, session, limit);
        }

        /// <summary>True when mail for another destination is due: a later destination of this batch,
        /// or a due message no worker holds (head-of-line, WaitLimit).</summary>
        private bool OthersDue(ArrayList keys, int current)
        {
            if (current + 1 < keys.Count) return true;
            QueuedMessage[] due = _store.GetDue(_clock.UtcNow);
            lock (_claimed)
            {
                for (int i = 0; i < due.Length; i++)
                {
                    if (!_claimed.Contains(due[i].Id)) return true;
                }
            }
            return false;
        }

        /// <summary>The batch's answer to "is other mail waiting?" for the destination being served.</summary>
        private sealed class OtherMail : WaitLimit
        {
            private readonly DeliveryAgent _agent;
            private readonly ArrayList _keys;

            public OtherMail(DeliveryAgent agent, ArrayList keys, int limitMs)
                : base(agent._clock, limitMs)
            {
                _agent = agent;
                _keys = keys;
            }

            /// <summary>Index in the batch's destination list of the one being served.</summary>
            public int Current;

            protected override bool AskOthersWaiting()
            {
                return _agent.OthersDue(_keys, Current);
            }
        }

        private int CountFor(MessageWork w, string key, DateTime now)
        {
            int c = 0;
            for (int i = 0; i < w.Due.Length; i++)
            {
                int r = w.Due[i];
                if (w.Message.GetStatus(r).IsDue(now) && KeyOf(w.Message.Envelope.GetRecipient(r)) == key) c++;
            }
            return c;
        }

        /// <summary>End of a message's batch: delay notice, the report, the flush, the removal.</summary>
        private void Finish(MessageWork w, DateTime now, int session)
        {
            QueuedMessage m = w.Message;
            bool warning = AddDelayNotice(w, now);
            _recorder.AddOwedBounces(w, now);
            // The report's Commit flushes the buffered statuses with it: both or neither survive a
            // power cut (a repeated attempt and report at worst, never a lost one). A report that
            // could not be queued leaves its recipients Bouncing, so the message stays and the
            // report is tried again (RFC 5321 §6.1, RFC 3464); the delay notice at the next attempt.
            bool queued = w.Reports.Count == 0 || _dsn.Send(w, session);
            if (queued && warning)
            {
                lock (_warned) _warned.Add(m.Id);
            }
            _recorder.SettleBounces(w, queued, now);
            // One sync for the statuses and the removal where it can (a sync costs a flash
            // block on the board, ARCHITECTURE.md, Flash format): Remove's own sync covers the
            // status records before it.
            bool removed = m.AllFinal && _store.Remove(m);
            if (!removed && w.Dirty) _store.Flush();
            w.Dirty = false;
            if (removed)
            {
                _log.Write(Component, session, m.QueueId + ": removed");
                lock (_warned) _warned.Remove(m.Id);
            }
        }

        /// <summary>Adds the delay notice's entries when it is due; true when it was (remember it once queued).</summary>
        private bool AddDelayNotice(MessageWork w, DateTime now)
        {
            QueuedMessage m = w.Message;
            bool warned;
            lock (_warned) warned = _warned.Contains(m.Id);
            if (!_recorder.Schedule.IsDelayWarningDue(m.ArrivalUtc, now, warned)) return false;
            bool any = false;
            for (int r = 0; r < m.RecipientCount; r++)
            {
                RecipientStatus s = m.GetStatus(r);
                if (s.State != RecipientState.Deferred) continue;
                any = true;
                EnvelopeRecipient rcpt = m.Envelope.GetRecipient(r);
                if (!DsnPolicy.ShouldNotify(m.Envelope.Sender, rcpt.Notify, DsnAction.Delayed, true)) continue;
                w.Reports.Add(new DsnRecipient(rcpt, DsnAction.Delayed, DeliveryStatus.LocalTransient(s.Code.Length == 0 ? "4.0.0" : s.Code, s.Text),
                    null, now, _recorder.Schedule.GiveUpTime(m.ArrivalUtc)));
            }
            return any;
        }
    }
}
