// An in-memory IMaildropStore in the device subset (ArrayList, byte[], no generics), for
// the self-test's POP3 scenario and the tests' POP3 sessions. It keeps the IMaildrop
// contract (Core.Queue's Queue/IMaildrop.cs): sizes are the exact stored octets,
// messages end with CRLF, unique ids are assigned at delivery and never reused, Open
// takes a snapshot, Commit removes exactly the marked messages (or, with FailCommit,
// none). Reads are short (ReadChunkLimit) so that RETR must stream across chunk
// boundaries. Left out on purpose: persistence (the flash mailbox store has its own tests).

using System.Collections;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Text;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Mailboxes in RAM. Thread-safe.</summary>
    public sealed class TinyMaildropStore : IMaildropStore
    {
        private readonly object _gate = new object();
        private readonly ArrayList _names = new ArrayList();     // string
        private readonly ArrayList _boxes = new ArrayList();     // ArrayList of StoredMessage
        private int _nextUid = 1;
        private int _open;
        private int _commits;

        /// <summary>Maildrops opened and not yet closed.</summary>
        public int OpenMaildrops { get { lock (_gate) { return _open; } } }

        /// <summary>Largest count one Read returns.</summary>
        public int ReadChunkLimit = 7;

        /// <summary>When true, Commit removes nothing and returns false.</summary>
        public bool FailCommit;

        /// <summary>Commit calls so far.</summary>
        public int Commits { get { lock (_gate) { return _commits; } } }

        /// <summary>Makes an empty mailbox (Open then finds it).</summary>
        public void AddMailbox(string mailbox)
        {
            lock (_gate) { Box(mailbox, true); }
        }

        /// <summary>Stores <paramref name="message"/> (one octet per char, must end with CRLF) and returns its unique id.</summary>
        public string Deliver(string mailbox, string message)
        {
            return Deliver(mailbox, Ascii.GetBytes(message));
        }

        /// <summary>Stores a copy of <paramref name="message"/> (must end with CRLF) and returns its unique id.</summary>
        public string Deliver(string mailbox, byte[] message)
        {
            byte[] data = new byte[message.Length];
            System.Array.Copy(message, data, data.Length);
            if (data.Length < 2 || data[data.Length - 2] != Ascii.CR || data[data.Length - 1] != Ascii.LF)
            {
                throw new System.ArgumentException("IMaildrop contract: a stored message ends with CRLF");
            }
            lock (_gate)
            {
                string uid = "st-" + _nextUid.ToString();
                _nextUid++;
                Box(mailbox, true)!.Add(new StoredMessage(uid, data));
                return uid;
            }
        }

        /// <summary>Messages now in <paramref name="mailbox"/>.</summary>
        public int CountOf(string mailbox)
        {
            lock (_gate)
            {
                ArrayList? box = Box(mailbox, false);
                return box == null ? 0 : box.Count;
            }
        }

        /// <summary>Unique id of message <paramref name="index"/> (0-based) now in <paramref name="mailbox"/>.</summary>
        public string UidOf(string mailbox, int index)
        {
            lock (_gate)
            {
                return ((StoredMessage)Box(mailbox, false)![index]!).Uid;
            }
        }

        /// <summary>Octets of message <paramref name="index"/> (0-based) now in <paramref name="mailbox"/>.</summary>
        public byte[] MessageOf(string mailbox, int index)
        {
            lock (_gate)
            {
                return ((StoredMessage)Box(mailbox, false)![index]!).Data;
            }
        }

        /// <inheritdoc/>
        public IMaildrop? Open(string mailbox)
        {
            lock (_gate)
            {
                ArrayList? box = Box(mailbox, false);
                if (box == null) return null;
                StoredMessage[] snapshot = new StoredMessage[box.Count];
                for (int i = 0; i < snapshot.Length; i++) snapshot[i] = (StoredMessage)box[i]!;
                _open++;
                return new Snapshot(this, box, snapshot);
            }
        }

        private ArrayList? Box(string mailbox, bool create)
        {
            for (int i = 0; i < _names.Count; i++)
            {
                if (Ascii.EqualsIgnoreCase((string)_names[i]!, mailbox)) return (ArrayList)_boxes[i]!;
            }
            if (!create) return null;
            ArrayList box = new ArrayList();
            _names.Add(mailbox);
            _boxes.Add(box);
            return box;
        }

        private sealed class StoredMessage
        {
            public StoredMessage(string uid, byte[] data)
            {
                Uid = uid;
                Data = data;
            }

            public string Uid { get; }

            public byte[] Data { get; }
        }

        private sealed class Snapshot : IMaildrop
        {
            private readonly TinyMaildropStore _store;
            private readonly ArrayList _box;
            private readonly StoredMessage[] _messages;
            private bool _closed;

            public Snapshot(TinyMaildropStore store, ArrayList box, StoredMessage[] messages)
            {
                _store = store;
                _box = box;
                _messages = messages;
            }

            public int Count => _messages.Length;

            public long SizeOf(int index) { return _messages[index].Data.Length; }

            public string UniqueId(int index) { return _messages[index].Uid; }

            public int Read(int index, long position, byte[] buffer, int offset, int count)
            {
                if (_closed) throw new System.InvalidOperationException("maildrop closed");
                byte[] d = _messages[index].Data;
                if (position >= d.Length) return 0;
                int n = d.Length - (int)position;
                if (n > count) n = count;
                if (n > _store.ReadChunkLimit) n = _store.ReadChunkLimit;
                System.Array.Copy(d, (int)position, buffer, offset, n);
                return n;
            }

            public bool Commit(bool[] deleted)
            {
                if (deleted.Length != _messages.Length) throw new System.ArgumentException("deleted.Length != Count");
                lock (_store._gate)
                {
                    _store._commits++;
                    if (_store.FailCommit) return false;
                    for (int i = 0; i < deleted.Length; i++)
                    {
                        if (deleted[i]) _box.Remove(_messages[i]);
                    }
                }
                return true;
            }

            public void Close()
            {
                if (_closed) throw new System.InvalidOperationException("maildrop closed twice");
                _closed = true;
                lock (_store._gate) { _store._open--; }
            }
        }
    }
}
