// A test double of the queue (IMessageStore) that keeps committed messages in memory
// with their envelopes, and can play a full store, a failing medium or a failing
// commit. Tests about durability use the real queue over the storage simulator instead.

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Tests.Support
{
    public sealed class StoredMessage
    {
        public StoredMessage(string queueId, Envelope envelope, byte[] data)
        {
            QueueId = queueId;
            Envelope = envelope;
            Data = data;
        }

        public string QueueId { get; }
        public Envelope Envelope { get; }
        public byte[] Data { get; }

        /// <summary>The data as Latin-1 text (one char per byte).</summary>
        public string Text => System.Text.Encoding.Latin1.GetString(Data);

        /// <summary>The data after our Received: field (which always comes first, three lines).</summary>
        public string TextAfterReceived
        {
            get
            {
                string t = Text;
                int i = t.IndexOf("\r\n", StringComparison.Ordinal);
                i = t.IndexOf("\r\n", i + 2, StringComparison.Ordinal);
                i = t.IndexOf("\r\n", i + 2, StringComparison.Ordinal);
                return t.Substring(i + 2);
            }
        }
    }

    public sealed class RecordingMessageStore : IMessageStore
    {
        private readonly object _gate = new object();
        private readonly List<StoredMessage> _committed = new List<StoredMessage>();
        private int _next;
        private int _aborted;
        private int _begun;

        /// <summary>HasRoomFor answers false and BeginMessage returns null.</summary>
        public bool Full { get; set; }

        /// <summary>BeginMessage throws StorageException.</summary>
        public bool FailBegin { get; set; }

        /// <summary>Commit throws StorageException.</summary>
        public bool FailCommit { get; set; }

        /// <summary>Write returns false once a message would pass this many bytes (0 = no limit).</summary>
        public long WriteLimit { get; set; }

        /// <summary>Size of each writer's own buffer that the listener fills (IMessageWriter.GetBuffer), like the queue's write unit.</summary>
        public int UnitSize { get; set; } = 2048;

        /// <summary>Largest size HasRoomFor accepts (0 = any).</summary>
        public long RoomFor { get; set; }

        public StoredMessage[] Committed { get { lock (_gate) return _committed.ToArray(); } }
        public int Aborted { get { lock (_gate) return _aborted; } }
        public int Begun { get { lock (_gate) return _begun; } }

        public bool HasRoomFor(long size) => !Full && (RoomFor == 0 || size <= RoomFor);

        public IMessageWriter? BeginMessage(Envelope envelope)
        {
            if (FailBegin) throw new StorageException("simulated medium failure");
            if (Full) return null;
            lock (_gate)
            {
                _begun++;
                _next++;
                return new Writer(this, "T" + _next.ToString("X6", System.Globalization.CultureInfo.InvariantCulture), envelope);
            }
        }

        /// <summary>Waits until <paramref name="count"/> messages are committed (interop tests: the 250 may race the check).</summary>
        public bool WaitFor(int count, TimeSpan timeout)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (sw.Elapsed < timeout)
            {
                lock (_gate) if (_committed.Count >= count) return true;
                Thread.Sleep(10);
            }
            lock (_gate) return _committed.Count >= count;
        }

        private sealed class Writer : IMessageWriter
        {
            private readonly RecordingMessageStore _store;
            private readonly Envelope _envelope;
            private readonly MemoryStream _data = new MemoryStream();
            private bool _done;
            private byte[]? _unit;

            public Writer(RecordingMessageStore store, string id, Envelope envelope)
            {
                _store = store;
                QueueId = id;
                _envelope = envelope;
            }

            public string QueueId { get; }
            public long Length => _data.Length;

            public bool Write(byte[] buffer, int offset, int count)
            {
                if (_done) throw new InvalidOperationException("write after commit/abort");
                if (_store.WriteLimit > 0 && _data.Length + count > _store.WriteLimit) return false;
                _data.Write(buffer, offset, count);
                return true;
            }

            public byte[] GetBuffer(out int offset, out int count)
            {
                if (_done) throw new InvalidOperationException("write after commit/abort");
                _unit ??= new byte[_store.UnitSize];
                offset = 0;
                count = _unit.Length;
                return _unit;
            }

            public bool Advance(int count) => Write(_unit!, 0, count);

            public void Commit()
            {
                if (_done) throw new InvalidOperationException("commit twice");
                if (_store.FailCommit) throw new StorageException("simulated commit failure");
                _done = true;
                lock (_store._gate) _store._committed.Add(new StoredMessage(QueueId, _envelope, _data.ToArray()));
            }

            public void Abort()
            {
                if (_done) return;
                _done = true;
                lock (_store._gate) _store._aborted++;
            }
        }
    }
}
