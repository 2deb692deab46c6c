// The queue as the SMTP listener sees it, with one addition: after a message commits,
// the gateway is told, so that the delivery agent starts on it now instead of at its
// next timer tick (a sensor's alert should leave within seconds, not a poll interval).
// Everything else passes through to MessageStore unchanged; the 250 reply still waits
// for the real Commit (DESIGN.md, Storage).

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Gateway
{
    /// <summary>IMessageStore decorator that reports commits to its gateway. Thread-safe as MessageStore is.</summary>
    internal sealed class WakingMessageStore : IMessageStore
    {
        private readonly MessageStore _store;
        private readonly MailGateway _owner;

        internal WakingMessageStore(MessageStore store, MailGateway owner)
        {
            _store = store;
            _owner = owner;
        }

        public bool HasRoomFor(long size)
        {
            return _store.HasRoomFor(size);
        }

        public IMessageWriter? BeginMessage(Envelope envelope)
        {
            IMessageWriter? w = _store.BeginMessage(envelope);
            return w == null ? null : new Writer(w, _owner);
        }

        /// <summary>Passes every call through; Commit reports success to the gateway.</summary>
        private sealed class Writer : IMessageWriter
        {
            private readonly IMessageWriter _inner;
            private readonly MailGateway _owner;

            internal Writer(IMessageWriter inner, MailGateway owner)
            {
                _inner = inner;
                _owner = owner;
            }

            public string QueueId => _inner.QueueId;

            public long Length => _inner.Length;

            public bool Write(byte[] buffer, int offset, int count)
            {
                return _inner.Write(buffer, offset, count);
            }

            public void Commit()
            {
                _inner.Commit(); // throws on a storage failure: then nothing is reported
                _owner.MessageQueued();
            }

            public void Abort()
            {
                _inner.Abort();
            }
        }
    }
}
