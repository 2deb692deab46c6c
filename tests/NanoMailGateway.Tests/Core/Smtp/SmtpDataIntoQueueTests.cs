// DATA straight into the queue's write unit (ARCHITECTURE.md, Memory): a session holds
// exactly two pool buffers, also while DATA streams, and a message of several write
// units reaches the real queue byte-exact, in the same Data records as when the same
// bytes are written through IMessageWriter.Write.

using System;
using System.Collections.Generic;
using System.Text;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpDataIntoQueueTests
    {
        private const int Unit = 2048;
        private const string Start = "EHLO x\r\nMAIL FROM:<dev@sensor.example>\r\nRCPT TO:<alerts@gw.example.net>\r\nDATA\r\n";

        private static QueueOptions Options() => new QueueOptions(512 * 1024, 16384, Unit, 3 * 16384, 16, 4);

        /// <summary>A message of about <paramref name="size"/> octets: leading dots, 8-bit octets, 998-octet lines.</summary>
        private static string Message(int size)
        {
            var sb = new StringBuilder("From: dev@sensor.example\r\nDate: Fri, 27 Nov 2026 10:00:00 +0100\r\nMessage-ID: <big@sensor.example>\r\nSubject: big\r\n\r\n");
            var rnd = new Random(7);
            for (int line = 0; sb.Length < size; line++)
            {
                if (line % 5 == 0) sb.Append('.');
                int n = line % 7 == 0 ? 997 : rnd.Next(0, 120);
                for (int i = 0; i < n; i++) sb.Append((char)(line % 3 == 0 ? 0xA0 + rnd.Next(0, 90) : 'a' + rnd.Next(0, 26)));
                sb.Append("\r\n");
            }
            return sb.ToString();
        }

        // RFC 5321 §4.5.2 (the content starts with a header field, never with a dot).
        private static string Stuff(string content) => content.Replace("\r\n.", "\r\n..");

        private static byte[] ReadAll(MessageStore store, QueuedMessage m) => Queue.PowerLossTests.Model.ReadAll(store, m);

        private static int[] PieceLengths(MessageStore store, QueuedMessage m)
        {
            var lengths = new int[m.PieceCount];
            for (int i = 0; i < lengths.Length; i++) store.ReadPiece(m, i, out _, out _, out lengths[i]);
            return lengths;
        }

        [Fact]
        public void ASessionRentsTwoBuffersAndNoMoreDuringData()
        {
            Assert.Equal(2, SmtpServer.BuffersPerSession);
            var h = new SmtpHarness();
            var queue = new WatchingStore(MessageStore.Open(new FlashSimulator(512 * 1024, 1), Options(), new StepClock()), h);
            h.Queue = queue;
            h.Options.MessageSizeLimit = 100_000;
            string t = h.Transcript(Start + Stuff(Message(5 * Unit)) + ".\r\nQUIT\r\n", chunk: 1000);
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            Assert.True(queue.InUseSeen.Count > 5, "the listener handed over several units");
            Assert.All(queue.InUseSeen, n => Assert.Equal(2, n));
            Assert.Equal(2, h.Pool.HighWaterMark);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Theory]
        [InlineData(5 * Unit + 333, 1000)]
        [InlineData(3 * Unit, 1)]             // content and our Received: end off a unit boundary
        [InlineData(9 * Unit + 17, 4096)]
        public void AMessageOfSeveralWriteUnitsArrivesByteExactInFullUnits(int size, int chunk)
        {
            var h = new SmtpHarness();
            var sim = new FlashSimulator(512 * 1024, 1);
            MessageStore store = MessageStore.Open(sim, Options(), new StepClock());
            h.Queue = store;
            h.Options.MessageSizeLimit = 100_000;
            string content = Message(size);
            string t = h.Transcript(Start + Stuff(content) + ".\r\nQUIT\r\n", chunk: chunk);
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));

            QueuedMessage m = Assert.Single(store.GetMessages());
            string stored = Encoding.Latin1.GetString(ReadAll(store, m));
            Assert.StartsWith("Received: from x ", stored);
            Assert.EndsWith(content, stored);
            string received = stored.Substring(0, stored.Length - content.Length);
            Assert.EndsWith("\r\n", received);
            foreach (string line in received.Substring(0, received.Length - 2).Split("\r\n")[1..])
            {
                Assert.True(line.StartsWith(' ') || line.StartsWith('\t'), "only our (folded) Received: field is in front: " + line);
            }

            // Flash: the Data records are those the Write path makes of the same bytes (full
            // write units, split only where a segment ends).
            int[] pieces = PieceLengths(store, m);
            Assert.True(pieces.Length >= stored.Length / Unit);
            Assert.Equal(stored.Length, System.Linq.Enumerable.Sum(pieces));
            MessageStore other = MessageStore.Open(new FlashSimulator(512 * 1024, 1), Options(), new StepClock());
            IMessageWriter w = other.BeginMessage(m.Envelope)!;
            byte[] bytes = Encoding.Latin1.GetBytes(stored);
            Assert.True(w.Write(bytes, 0, bytes.Length));
            w.Commit();
            QueuedMessage copy = Assert.Single(other.GetMessages());
            Assert.Equal(PieceLengths(other, copy), pieces);
            Assert.Equal(bytes, ReadAll(other, copy));
        }

        /// <summary>The real queue, noting the session pool's InUse whenever the listener hands the writer bytes.</summary>
        private sealed class WatchingStore(MessageStore store, SmtpHarness h) : IMessageStore
        {
            public List<int> InUseSeen { get; } = new List<int>();

            public bool HasRoomFor(long size) => store.HasRoomFor(size);

            public IMessageWriter? BeginMessage(Envelope envelope)
            {
                IMessageWriter? w = store.BeginMessage(envelope);
                return w == null ? null : new Writer(w, this, h);
            }

            private sealed class Writer(IMessageWriter w, WatchingStore s, SmtpHarness h) : IMessageWriter
            {
                public string QueueId => w.QueueId;
                public long Length => w.Length;
                public bool Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the listener copies no more");
                public byte[] GetBuffer(out int offset, out int count) => w.GetBuffer(out offset, out count);

                public bool Advance(int count)
                {
                    lock (s.InUseSeen) s.InUseSeen.Add(h.Pool.InUse);
                    return w.Advance(count);
                }

                public void Commit() => w.Commit();
                public void Abort() => w.Abort();
            }
        }
    }
}
