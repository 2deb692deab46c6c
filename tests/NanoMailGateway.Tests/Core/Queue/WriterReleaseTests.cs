// The queue's writers are few (smtp_sessions + 1) and each holds a write-unit buffer:
// whatever a commit throws, StorageException or not (OutOfMemoryException on a small
// heap), the writer slot and the buffer go back, and the SMTP session's DATA writer too,
// so that a single failure cannot refuse mail for good.

using System;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;
using NanoMailGateway.Tests.Core.Smtp;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Queue
{
    /// <summary>A test clock whose UtcNow throws <see cref="OutOfMemoryException"/> once armed (the store reads it at Commit).</summary>
    internal sealed class FaultyClock : IClock
    {
        private readonly StepClock _inner = new StepClock();
        private int _armed;

        public void ThrowOnce() => Interlocked.Exchange(ref _armed, 1);

        public long MonotonicMilliseconds => _inner.MonotonicMilliseconds;

        public DateTime UtcNow
        {
            get
            {
                if (Interlocked.Exchange(ref _armed, 0) != 0) throw new OutOfMemoryException("injected at commit");
                return _inner.UtcNow;
            }
        }
    }

    public sealed class WriterReleaseTests
    {
        private const long Capacity = 192 * 1024;
        private const int MaxWriters = 4;

        private static MessageStore Open(FaultyClock clock) =>
            MessageStore.Open(new FlashSimulator(Capacity, 3), new QueueOptions(Capacity, 16384, 2048, 3 * 16384, 64, MaxWriters), clock);

        private static Envelope Env()
        {
            var e = new Envelope("alarm@sensor.lan");
            e.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            return e;
        }

        [Fact]
        public void A_commit_that_throws_a_non_storage_exception_gives_the_writer_and_its_buffer_back()
        {
            var clock = new FaultyClock();
            MessageStore store = Open(clock);
            byte[] body = Encoding.ASCII.GetBytes(new string('x', 5000));
            for (int round = 0; round < MaxWriters + 1; round++)   // a leak would refuse the last rounds
            {
                IMessageWriter w = store.BeginMessage(Env())!;
                Assert.NotNull(w);
                Assert.True(w.Write(body, 0, body.Length));
                clock.ThrowOnce();
                Assert.Throws<OutOfMemoryException>(() => w.Commit());
                Assert.Equal(0, store.OpenWriters);
                Assert.Equal(0, store.WriterBuffersInUse);
                w.Abort();                                        // still safe, and a no-op
            }
            Assert.Equal(0, store.Count);
            IMessageWriter ok = store.BeginMessage(Env())!;
            Assert.True(ok.Write(body, 0, body.Length));
            ok.Commit();
            Assert.Equal(1, store.Count);
            Assert.Equal(0, store.WriterBuffersInUse);
        }

        [Fact]
        public void An_SMTP_session_whose_DATA_commit_throws_a_non_storage_exception_releases_the_writer_and_its_buffers()
        {
            var clock = new FaultyClock();
            MessageStore store = Open(clock);
            var h = new SmtpHarness();
            var server = new SmtpServer(h.Options, store, h.Pool, null, new SetTrustedNetworks(SmtpHarness.TrustedAddress),
                new AccountDirectory(), h.Throttle, h.Clock, h.Log);
            var toServer = new MemoryPipe(MemoryConnection.DefaultCapacity);
            var toClient = new MemoryPipe(MemoryConnection.DefaultCapacity);
            var serverEnd = new MemoryConnection(toServer, toClient, SmtpHarness.TrustedAddress, 40000, "192.0.2.1", false);
            SmtpServerSession session = server.CreateSession(serverEnd, 1)!;
            Exception? escaped = null;
            var thread = new Thread(() =>
            {
                // On the board the listener's slot runner catches it ("session crashed"); here the test does.
                try { session.Run(); } catch (Exception e) { escaped = e; }
            }) { IsBackground = true };
            thread.Start();
            using (var client = new SmtpClientEnd(toServer, toClient, thread, session))
            {
                clock.ThrowOnce();
                client.Send("EHLO sensor\r\nMAIL FROM:<alarm@sensor.lan>\r\nRCPT TO:<ops@example.com>\r\nDATA\r\n");
                client.Send("Subject: t\r\n\r\nhello\r\n.\r\n");
                client.EndInput();
                string transcript = client.ReadToEnd();
                Assert.DoesNotContain("250 2.0.0 Ok: queued", transcript);   // never 250 for a message that is not durable
            }
            Assert.True(thread.Join(10000));
            Assert.IsType<OutOfMemoryException>(escaped);
            Assert.Equal(0, store.OpenWriters);
            Assert.Equal(0, store.WriterBuffersInUse);
            Assert.Equal(0, h.Pool.InUse);
            Assert.Equal(0, store.Count);
        }
    }
}
