// The queue runner: takes due recipients from the MessageStore in
// batches, delivers them locally or by SMTP grouped by destination (one connection
// carries every message of the batch for that destination), records the outcomes,
// sends one RFC 3464 report per message and removes a message once every recipient
// is final.
//   - Threads: delivery_sessions workers. A worker claims a batch: the oldest due
//     message nobody else holds, plus more due messages with a recipient for the same
//     destination (up to MessagesPerBatch). Claims keep two workers off one message.
//   - Waiting: until the next due time (bounded by IdleWaitMs) or the store's commit
//     signal (new mail, a bounce) or Wake().
//   - Expiry: a due recipient of a message older than queue_lifetime is failed with
//     4.4.7 without another attempt (RFC 3463; RFC 5321 §4.5.4.1 give-up time).
//   - Delay notice: once per message after delay_warning, for deferred recipients whose
//     NOTIFY allows it (RFC 3461 §4.1). Which messages were warned is kept in RAM: a
//     reboot may repeat one notice (a duplicate, never a loss).
//   - Never loses mail: statuses are recorded only after an outcome is known. A
//     StorageException (a failed write, a full medium) makes the worker reopen the store
//     in place (MessageStore.Reopen: recovery as at start) after a backoff of 1 s doubling
//     to 1 min, then go on; only after StorageReopenLimit failed reopens in a row does it
//     stop with a log line, and the board reboots as the last resort (README, Storage
//     faults). Any other exception (a bug) is logged and the batch is retried later.
//   - Capacity: after each pass CapacityWatch logs 75 %/90 % warnings and sends
//     notify_to one notice per episode (README, Capacity).
//   - Notices: the agent owns the gateway's LocalSubmission and HealthNotices (README,
//     Notices), made at first use. A reopened store is noted (Defer) in ReopenStore and its
//     notice sent by the next pass (not from inside the worker's catch, a deeper stack);
//     each pass ends with HealthNotices.Poll, which sends what is due.
// Left out on purpose: per-destination concurrency limits beyond the claims, priority
// of new mail over deferred mail (oldest first is fair enough for a few messages).

using System;
using System.Collections;
using System.Threading;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Mailbox;
using NanoMailGateway.Core.Notices;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Smtp;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Runs delivery over a <see cref="MessageStore"/>. Start/Stop/Wake are thread-safe; RunOnce is for tests.</summary>
    public sealed partial class DeliveryAgent
    {
        private const string Component = "qmgr";
        private const string LocalKey = "[local]";

        // Internal for CapacityWatch, which reads them here instead of holding copies (each field is
        // 12 bytes of heap on nanoCLR, ARCHITECTURE.md, Memory).
        internal readonly MessageStore _store;
        internal readonly DeliveryAgentOptions _options;
        private readonly IClock _clock;
        internal readonly ILog _log;
        private readonly OutcomeRecorder _recorder;
        private readonly LocalDelivery _localDelivery;
        private readonly RemoteDelivery _remote;
        private readonly DsnSender _dsn;
        private readonly CapacityWatch _capacity;
        private readonly ArrayList _claimed = new ArrayList();   // ids (long) of messages a worker holds
        private readonly ArrayList _warned = new ArrayList();    // ids (long) that got their delay notice
        private Thread[]? _threads;
        private bool _stopping;   // nanoFramework has no volatile; the wait handles and locks fence it

        /// <summary>Creates the agent; nothing runs until <see cref="Start"/> or <see cref="RunOnce"/>.</summary>
        /// <param name="tls">Client TLS, made with relay_ca_file as its CA; null = no TLS (plaintext MX only).</param>
        /// <param name="pool">Session buffers: two per session (SmtpClientSession.BuffersPerSession: replies in;
        /// commands, DATA out and queue reads), each at least 512 bytes: one reply line and one
        /// command line (RFC 5321 §4.5.3.1.4-5). The client sends DSN parameters only when its lines fit.</param>
        public DeliveryAgent(MessageStore store, MailboxStore mailboxes, LocalRecipientMap local, DeliveryAgentOptions options,
            INetwork network, ITlsProvider? tls, MxResolver resolver, BufferPool pool, IClock clock, IRandom random, ILog log)
        {
            if (pool.BufferSize < SmtpLineLimits.CommandLine) throw new ArgumentException("delivery needs pool buffers of at least 512 bytes");
            _store = store;
            _options = options;
            _clock = clock;
            _log = log;
            RetrySchedule schedule = new RetrySchedule(options.Retry, random);
            _recorder = new OutcomeRecorder(store, mailboxes, local, options, schedule, clock, log);
            _localDelivery = new LocalDelivery(local, _recorder);
            _remote = new RemoteDelivery(store, options, network, tls, resolver, pool, clock, log, _recorder);
            _dsn = new DsnSender(store, local, options.Dsn, clock, random, log);
            _local = local;
            _capacity = new CapacityWatch(this);
        }

        private readonly LocalRecipientMap _local;
        private HealthNotices? _notices;   // made at the first notice: a gateway that never sends one pays nothing (Memory)

        /// <summary>Composes and queues the gateway's own mail (notices; board code's alerts). Thread-safe.</summary>
        public LocalSubmission Submission => Notices.Submission;

        /// <summary>The rate-limited health notices to notify_to. Thread-safe.</summary>
        public HealthNotices Notices
        {
            get
            {
                lock (_claimed)
                {
                    if (_notices == null)
                    {
                        _notices = new HealthNotices(new LocalSubmission(_store, _local, _clock, _log), _clock);
                    }
                    return _notices;
                }
            }
        }

        /// <summary>True after storage failures the store could not recover from stopped the workers (the gateway should reboot).</summary>
        public bool StorageFailed { get; private set; }

        /// <summary>Capacity notices sent to the postmaster since start (one per episode at most).</summary>
        public int CapacityNotices => _capacity.NoticesSent;

        /// <summary>Times a worker went to wait for work (its pass done): lets a caller know the workers are idle.</summary>
        public int IdleWaits => _idleWaits;

        private int _idleWaits;

        /// <summary>Starts delivery_sessions worker threads.</summary>
        public void Start()
        {
            lock (_claimed)
            {
                if (_threads != null) return;
                _stopping = false;
                int n = _options.Sessions < 1 ? 1 : _options.Sessions;
                _threads = new Thread[n];
                for (int i = 0; i < n; i++)
                {
                    Worker w = new Worker(this, i + 1);
                    _threads[i] = new Thread(w.Run);
                    _threads[i].Start();
                }
            }
        }

        /// <summary>Stops the workers: each finishes its current batch (bounded by the client
        /// timeouts) and the call waits up to <paramref name="timeoutMs"/> in all.</summary>
        public void Stop(int timeoutMs)
        {
            Thread[]? threads;
            lock (_claimed)
            {
                threads = _threads;
                _threads = null;
                _stopping = true;
            }
            if (threads == null) return;
            long deadline = _clock.MonotonicMilliseconds + timeoutMs;
            for (int i = 0; i < threads.Length; i++)
            {
                for (int j = 0; j < threads.Length; j++) _store.SignalWork();
                long left = deadline - _clock.MonotonicMilliseconds;
                threads[i].Join(left < 1 ? 1 : (int)left);
            }
        }

        /// <summary>New mail was committed: look at the queue now.</summary>
        public void Wake()
        {
            _store.SignalWork();
        }

        /// <summary>
        /// One synchronous pass over everything due now (including reports queued during the
        /// pass). Returns the recipient attempts made.
        /// </summary>
        /// <exception cref="StorageException">the queue failed (logged).</exception>
        public int RunOnce()
        {
            try
            {
                return Pass(0);
            }
            catch (StorageException e)
            {
                _log.Write(Component, 0, "fatal: queue storage failed: " + e.Message);
                StorageFailed = true;
                throw;
            }
        }

        private int Pass(int session)
        {
            ArrayList seen = new ArrayList();
            int attempts = 0;
            long keepUntil = 0;   // monotonic ms; 0: not waiting with a kept connection
            while (!_stopping || session == 0)
            {
                MessageWork[]? batch = Claim(seen);
                if (batch == null)
                {
                    // A worker that keeps a connection open waits for new mail, up to the
                    // cache time after its last batch, before it lets it go (RemoteDelivery,
                    // connection cache): a trickle of messages to the same destination then
                    // shares one connection. A deadline, not one wait: a signal left from
                    // earlier (any commit or removal sets it) must not cut the wait short.
                    if (!_remote.HasKept(session)) break;
                    if (keepUntil == 0) keepUntil = _clock.MonotonicMilliseconds + _options.ConnectionCacheMs;
                    long left = keepUntil - _clock.MonotonicMilliseconds;
                    if (left <= 0) break;
                    _store.WaitForWork((int)left);
                    continue;
                }
                keepUntil = 0;
                try
                {
                    attempts += Process(batch, session);
                    // Finish is called from here, not from Process: a report is written at the
                    // delivery thread's deepest point, and Process's frame (its many locals are
                    // one heap block on nanoCLR) is gone by then.
                    DateTime now = _clock.UtcNow;
                    for (int b = 0; b < batch.Length; b++) Finish(batch[b], now, session);
                }
                finally
                {
                    Release(batch);
                }
            }
            _remote.ReleaseKept(session);
            RemoveFinished(session);
            _store.Maintain();
            _capacity.Check(session);
            // No local here: every slot of this frame is heap for the whole pass (Memory).
            if (_notices != null) _notices.Poll();
            return attempts;
        }

        /// <summary>Takes a batch of due messages for one destination that no other worker holds.</summary>
        private MessageWork[]? Claim(ArrayList seen)
        {
            DateTime now = _clock.UtcNow;
            QueuedMessage[] due = _store.GetDue(now);
            if (due.Length == 0) return null;   // the usual answer once the queue is drained: no list made for it
            ArrayList picked = new ArrayList();
            lock (_claimed)
            {
                string? key = null;
                for (int i = 0; i < due.Length && picked.Count < _options.MessagesPerBatch; i++)
                {
                    QueuedMessage m = due[i];
                    object id = m.Id;   // boxed once for the lists: each Contains and Add would box it anew
                    if (_claimed.Contains(id) || seen.Contains(id)) continue;
                    if (key == null) key = FirstDueKey(m, now);
                    else if (!HasDueFor(m, key, now)) continue;
                    picked.Add(m);
                    _claimed.Add(id);
                    seen.Add(id);
                }
            }
            if (picked.Count == 0) return null;
            MessageWork[] batch = new MessageWork[picked.Count];
            for (int i = 0; i < batch.Length; i++)
            {
                QueuedMessage m = (QueuedMessage)picked[i]!;
                int n = 0;
                for (int r = 0; r < m.RecipientCount; r++) if (m.GetStatus(r).IsDue(now)) n++;
                int[] idx = new int[n];
                n = 0;
                for (int r = 0; r < m.RecipientCount; r++) if (m.GetStatus(r).IsDue(now)) idx[n++] = r;
                batch[i] = new MessageWork(m, idx);
            }
            return batch;
        }

        private void Release(MessageWork[] batch)
        {
            lock (_claimed)
            {
                for (int i = 0; i < batch.Length; i++) _claimed.Remove(batch[i].Message.Id);
            }
        }

        /// <summary>Removes messages whose recipients are all final but that are still queued
        /// (a power cut between the last status and the removal).</summary>
        private void RemoveFinished(int session)
        {
            QueuedMessage[] all = _store.GetMessages();
            for (int i = 0; i < all.Length; i++)
            {
                QueuedMessage m = all[i];
                if (!m.AllFinal) continue;
                lock (_claimed)
                {
                    if (_claimed.Contains(m.Id)) continue;
                }
                if (_store.Remove(m)) _log.Write(Component, session, m.QueueId + ": removed");
            }
        }

        private string FirstDueKey(QueuedMessage m, DateTime now)
        {
            for (int r = 0; r < m.RecipientCount; r++)
            {
                if (m.GetStatus(r).IsDue(now)) return KeyOf(m.Envelope.GetRecipient(r));
            }
            return LocalKey;
        }

        private bool HasDueFor(QueuedMessage m, string key, DateTime now)
        {
            for (int r = 0; r < m.RecipientCount; r++)
            {
                if (m.GetStatus(r).IsDue(now) && KeyOf(m.Envelope.GetRecipient(r)) == key) return true;
            }
            return false;
        }

        /// <summary>The destination of a recipient: local, the relayhost, or its domain (lower case).</summary>
        private string KeyOf(EnvelopeRecipient r)
        {
            if (r.IsLocal) return LocalKey;
            if (_options.RelayHost != null) return RemoteDelivery.RelayKey;
            int at = r.Address.LastIndexOf('@');
            return at < 0 ? "" : r.Address.Substring(at + 1);
        }

        /// <summary>
        /// Reopens the store after a storage fault, waiting 1 s (StorageRetryMs) before the first
        /// try and twice as long before each next one, at most a minute. False after
        /// StorageReopenLimit failures in a row or when stopping. Several workers may call it:
        /// the first reopen wins, the others find the store usable.
        /// </summary>
        private bool ReopenStore(int session)
        {
            // A fault soon after the last one (a medium that stays full) goes on from the last
            // wait: the store is not reopened, nor mail delivered again, every second.
            long wait;
            lock (_claimed)
            {
                bool recent = _storageWaitMs > 0 && _clock.MonotonicMilliseconds - _storageFaultMs < 2L * MaxStorageRetryMs;
                wait = recent ? _storageWaitMs * 2 : _options.StorageRetryMs;
                if (wait > MaxStorageRetryMs) wait = MaxStorageRetryMs;
                _storageWaitMs = wait;
            }
            for (int attempt = 1; attempt <= _options.StorageReopenLimit && !_stopping; attempt++)
            {
                Thread.Sleep((int)wait);
                lock (_claimed)
                {
                    _storageFaultMs = _clock.MonotonicMilliseconds;
                    _storageWaitMs = wait;
                }
                try
                {
                    if (_store.Reopen())
                    {
                        _log.Write(Component, session, "queue store reopened after a storage fault (attempt " + attempt.ToString() + "): "
                            + _store.Count.ToString() + " messages, " + _store.UsedBytes.ToString() + " bytes");
                        // Sent by the next pass's Poll, not from here: this runs in the worker's catch block.
                        Notices.Defer(HealthNotices.StorageRecovered, attempt);
                        return true;
                    }
                }
                catch (StorageException e)
                {
                    _log.Write(Component, session, "warning: queue store reopen failed (attempt " + attempt.ToString() + "): " + e.Message);
                }
                wait = wait * 2 > MaxStorageRetryMs ? MaxStorageRetryMs : wait * 2;
            }
            return false;
        }

        /// <summary>Longest wait between two reopens of a failed store, ms.</summary>
        private const int MaxStorageRetryMs = 60 * 1000;

        private long _storageWaitMs;    // the last wait before a reopen (under _claimed)
        private long _storageFaultMs;   // when the last reopen was tried, monotonic ms (under _claimed)

        /// <summary>Milliseconds to sleep: until the next due time, at least 1 s, at most IdleWaitMs.</summary>
        private int WaitMs()
        {
            DateTime next = _store.NextDueUtc();
            if (next == DateTime.MaxValue) return _options.IdleWaitMs;
            long ms = (next.Ticks - _clock.UtcNow.Ticks) / TimeSpan.TicksPerMillisecond;
            if (ms < 1000) ms = 1000;   // due work another worker holds, or a batch that could not start
            return ms > _options.IdleWaitMs ? _options.IdleWaitMs : (int)ms;
        }

        /// <summary>One worker thread (a class, because nanoFramework has no closures over generic delegates).</summary>
        private sealed class Worker
        {
            // How long a worker rests when even its error handling failed (no heap), ms.
            private const int RestMs = 1000;

            private readonly DeliveryAgent _agent;
            private readonly int _session;

            public Worker(DeliveryAgent agent, int session)
            {
                _agent = agent;
                _session = session;
            }

            public void Run()
            {
                DeliveryAgent a = _agent;
                // Each round in its own try: on a board even the wait (its due-time scan) or
                // a catch block can run out of heap, and an exception that leaves Run ends
                // delivery silently on the interpreter (ARCHITECTURE.md, Device rules). One
                // method: every stack frame of a waiting thread is heap on nanoCLR.
                while (!a._stopping)
                {
                    try
                    {
                        try
                        {
                            a.Pass(_session);
                        }
                        catch (StorageException e)
                        {
                            LogQuietly("warning: queue storage failed: ", e, false, "; reopening the store");
                            if (!a.ReopenStore(_session))
                            {
                                // Flags first: the log line allocates, and on a board that can fail.
                                a.StorageFailed = true;
                                a._stopping = true;
                                LogQuietly("fatal: queue storage failed: ", e, false, "; delivery stopped");
                                return;
                            }
                            continue;
                        }
                        catch (Exception e)
                        {
                            // A bug, or the heap ran out (OutOfMemoryException on a board): the
                            // batch's recipients keep their last recorded status and come back later.
                            LogQuietly("error: delivery pass failed: ", e, true, "");
                        }
                        if (a._stopping) return;
                        a._idleWaits++;   // an observation only (a lost count under a race is harmless); no call, no frame
                        a._store.WaitForWork(a.WaitMs());
                    }
                    catch (Exception)
                    {
                        // Even the error handling found no heap: rest, then try again.
                        Rest(a);
                    }
                }
            }

            private static void Rest(DeliveryAgent a)
            {
                try
                {
                    a._store.WaitForWork(RestMs);
                }
                catch (Exception)
                {
                    // Not even that: the loop tries again at once.
                }
            }

            // Building the line allocates and can throw inside the handler on a board; an
            // exception leaving Run would end delivery silently.
            // A bug's line names the exception's type too: a NullReferenceException's message says little.
            private void LogQuietly(string what, Exception e, bool bug, string after)
            {
                try
                {
                    _agent._log.Write(Component, _session, what + (bug ? e.GetType().FullName + ": " : "") + e.Message + after);
                }
                catch (Exception)
                {
                    // No heap for the line: delivery goes on without it.
                }
            }
        }
    }
}
