// An in-memory IMaildropStore: the test double for the flash mailbox store until that
// lands. It honours the IMaildrop contract: sizes are the exact stored octets, messages
// must end with CRLF, unique ids are assigned at delivery and never reused, Open takes a
// snapshot, and Commit removes exactly the marked messages (all-or-nothing per message).
// Knobs for tests: ReadChunkLimit (short reads, to cross chunk boundaries) and FailCommit.

using System;
using System.Collections.Generic;
using System.Text;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Tests.Support
{
    public sealed class MemoryMaildropStore : IMaildropStore
    {
        private sealed class Message
        {
            public Message(string uid, byte[] data) { Uid = uid; Data = data; }
            public string Uid { get; }
            public byte[] Data { get; }
        }

        private readonly object _gate = new object();
        private readonly Dictionary<string, List<Message>> _boxes = new Dictionary<string, List<Message>>(StringComparer.OrdinalIgnoreCase);
        private long _nextUid = 1;
        private int _commits;
        private int _open;

        /// <summary>Largest count one Read returns (forces the session to stream in small pieces).</summary>
        public int ReadChunkLimit { get; set; } = int.MaxValue;

        /// <summary>When true, Commit removes nothing and returns false.</summary>
        public bool FailCommit { get; set; }

        /// <summary>Commit calls so far.</summary>
        public int Commits { get { lock (_gate) return _commits; } }

        /// <summary>Maildrops opened and not yet closed.</summary>
        public int OpenMaildrops { get { lock (_gate) return _open; } }

        public void AddMailbox(string name)
        {
            lock (_gate) if (!_boxes.ContainsKey(name)) _boxes[name] = new List<Message>();
        }

        /// <summary>Stores a message (text as Latin-1 bytes, must end with CRLF); returns its unique id.</summary>
        public string Deliver(string mailbox, string message)
        {
            return Deliver(mailbox, Encoding.Latin1.GetBytes(message));
        }

        public string Deliver(string mailbox, byte[] message)
        {
            if (message.Length < 2 || message[^2] != '\r' || message[^1] != '\n')
            {
                throw new ArgumentException("IMaildrop contract: a stored message ends with CRLF");
            }
            lock (_gate)
            {
                AddMailbox(mailbox);
                string uid = "nmg-" + _nextUid.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
                _nextUid++;
                _boxes[mailbox].Add(new Message(uid, (byte[])message.Clone()));
                return uid;
            }
        }

        public string[] Uids(string mailbox)
        {
            lock (_gate) return _boxes.TryGetValue(mailbox, out var l) ? l.ConvertAll(m => m.Uid).ToArray() : Array.Empty<string>();
        }

        public byte[][] Messages(string mailbox)
        {
            lock (_gate) return _boxes.TryGetValue(mailbox, out var l) ? l.ConvertAll(m => m.Data).ToArray() : Array.Empty<byte[]>();
        }

        public IMaildrop? Open(string mailbox)
        {
            lock (_gate)
            {
                if (!_boxes.TryGetValue(mailbox, out var list)) return null;
                _open++;
                return new Snapshot(this, mailbox, list.ToArray());
            }
        }

        private sealed class Snapshot : IMaildrop
        {
            private readonly MemoryMaildropStore _store;
            private readonly string _mailbox;
            private readonly Message[] _messages;
            private bool _closed;

            public Snapshot(MemoryMaildropStore store, string mailbox, Message[] messages)
            {
                _store = store;
                _mailbox = mailbox;
                _messages = messages;
            }

            public int Count => _messages.Length;

            public long SizeOf(int index) => _messages[index].Data.Length;

            public string UniqueId(int index) => _messages[index].Uid;

            public int Read(int index, long position, byte[] buffer, int offset, int count)
            {
                if (_closed) throw new InvalidOperationException("maildrop closed");
                byte[] d = _messages[index].Data;
                if (position >= d.Length) return 0;
                int n = (int)Math.Min(Math.Min(count, d.Length - position), _store.ReadChunkLimit);
                Array.Copy(d, position, buffer, offset, n);
                return n;
            }

            public bool Commit(bool[] deleted)
            {
                if (deleted.Length != _messages.Length) throw new ArgumentException("deleted.Length != Count");
                lock (_store._gate)
                {
                    _store._commits++;
                    if (_store.FailCommit) return false;
                    var list = _store._boxes[_mailbox];
                    for (int i = 0; i < deleted.Length; i++)
                    {
                        if (deleted[i]) list.Remove(_messages[i]);
                    }
                    return true;
                }
            }

            public void Close()
            {
                if (_closed) throw new InvalidOperationException("maildrop closed twice");
                _closed = true;
                lock (_store._gate) _store._open--;
            }
        }
    }
}
