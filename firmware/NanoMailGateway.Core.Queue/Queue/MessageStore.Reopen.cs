// Recovery in place (README, Storage faults): after a failed write the log refuses
// everything (ARCHITECTURE.md, Device rules: an append cut short leaves the medium in an
// unknown state). Reopen closes the files and runs the recovery of a start again on a new
// SegmentLog, so the store goes on without a restart: what was committed (every message
// that got 250) is found again with its latest durable status, the torn tail is ignored
// and writing continues in a new segment.
//  - Index entries that callers hold (delivery batches, POP3 snapshots) stay the same
//    objects: each takes the recovered state (QueuedMessage.Adopt); one that recovery did
//    not find (its Remove was durable, its Commit was not) is marked removed.
//  - Sequence numbers continue from the higher of the old counter and what recovery saw,
//    so ids and UIDs handed out before the fault are never reused.
//  - Writers begun before the reopen fail at their next append or commit (451 4.3.0 at
//    the listener, nothing was acknowledged): their pieces were in the old log's state.
// Who calls it and how often is the queue runner's business (DeliveryAgent: backoff, and
// the board's reboot only after several failed reopens).

using System;
using System.Collections;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Queue
{
    public sealed partial class MessageStore
    {
        private int _generation;   // reopen attempts since open: a writer from an older log may not commit
        private int _reopens;      // successful reopens
        private long _sequenceFloor;   // highest next sequence any log of this store had: a failed reopen's log knows none

        /// <summary>True after a failed write until <see cref="Reopen"/> succeeds: new mail gets 452 4.3.1.</summary>
        public bool IsBroken
        {
            get { lock (_gate) { return _log.IsBroken; } }
        }

        /// <summary>Reopens made since open.</summary>
        public int Reopens
        {
            get { lock (_gate) { return _reopens; } }
        }

        /// <summary>
        /// When a failed write broke the store, closes its files and recovers it in place, as
        /// at start. Returns true when the store is usable (it was not broken, or it is again).
        /// </summary>
        /// <exception cref="StorageException">the medium failed again during recovery: the store stays broken; try later.</exception>
        public bool Reopen()
        {
            lock (_gate)
            {
                if (_readOnly) return false;
                if (!_log.IsBroken) return true;
                try
                {
                    _log.Close();
                }
                catch (Exception)
                {
                    // The handles of a failed medium may fail to close: recovery opens its own.
                }
                long next = _log.NextSequence > _sequenceFloor ? _log.NextSequence : _sequenceFloor;
                _sequenceFloor = next;
                QueuedMessage[] held = new QueuedMessage[_messages.Count];
                _messages.CopyTo(held);
                _messages.Clear();
                _generation++;
                _log = new SegmentLog(_files, _options.SegmentSize, _options.CapacityBytes, _options.WriteUnit);
                _fields = new RecordReader(_log);
                try
                {
                    Recover();
                }
                catch (Exception)
                {
                    _log.Close();   // broken again: the next Reopen starts over
                    RestoreIndex(held);
                    throw;
                }
                if (_log.NextSequence < next) _log.NextSequence = next;
                Merge(held);
                _reopens++;
                return true;
            }
        }

        /// <summary>Puts the held entries back in the index (recovery failed: nothing is known about the medium).</summary>
        private void RestoreIndex(QueuedMessage[] held)
        {
            _messages.Clear();
            for (int i = 0; i < held.Length; i++) _messages.Add(held[i]);
        }

        /// <summary>Replaces each recovered entry by the entry callers hold for the same message.</summary>
        private void Merge(QueuedMessage[] held)
        {
            for (int i = 0; i < held.Length; i++)
            {
                QueuedMessage old = held[i];
                int at = IndexOfLocked(old.Id);
                if (at < 0)
                {
                    old.IsRemoved = true;
                    continue;
                }
                old.Adopt((QueuedMessage)_messages[at]!);
                _messages[at] = old;
            }
        }

        private int IndexOfLocked(long id)
        {
            for (int i = 0; i < _messages.Count; i++) if (((QueuedMessage)_messages[i]!).Id == id) return i;
            return -1;
        }
    }
}
