// A bounce (RFC 3464 report) whose writing throws something other than the queue's
// StorageException, as OutOfMemoryException does on a 54-90 KB heap: the writer and its
// write-unit buffer go back, the failed recipient stays recorded as owed a bounce (the
// original is not removed), the bounce is written exactly once on a later run or after a
// restart, and the delivery thread goes on with the next message (RFC 5321 §6.1: after
// 250 the message is delivered or reported, never dropped).
// The exception is injected through the agent's IRandom, which the composer draws the
// MIME boundary from once the report's writer is open.

using System;
using System.Linq;
using System.Text;
using System.Threading;
using MimeKit;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Support;
using Xunit;
using static NanoMailGateway.Tests.Core.Delivery.DeliveryRig;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Delivery
{
    /// <summary>A seeded random that throws <see cref="OutOfMemoryException"/> at its next call once armed.</summary>
    internal sealed class FaultyRandom : IRandom
    {
        private readonly CountingRandom _inner = new CountingRandom(5);
        private int _armed;

        public int Throws { get; private set; }

        public void ThrowOnce() => Interlocked.Exchange(ref _armed, 1);

        public int Next(int maxExclusive)
        {
            Trip();
            return _inner.Next(maxExclusive);
        }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            Trip();
            _inner.NextBytes(buffer, offset, count);
        }

        private void Trip()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 0) return;
            Throws++;
            throw new OutOfMemoryException("injected at the bounce write");
        }
    }

    public class BounceWriteFailureTests
    {
        private static byte[] Body(string subject) => Latin1("Subject: " + subject + "\r\n\r\nhello\r\n");

        private static void RunOnceTolerating(DeliveryRig rig)
        {
            // Before the fix the exception escaped RunOnce; the assertions after it say what went wrong.
            try
            {
                rig.Agent.RunOnce();
            }
            catch (OutOfMemoryException)
            {
            }
        }

        private static void AssertWritersIdle(MessageStore store)
        {
            Assert.Equal(0, store.OpenWriters);
            Assert.Equal(0, store.WriterBuffersInUse);
        }

        private static void AssertOneBounceFor(byte[] bounce, string recipient, string status)
        {
            var msg = MimeMessage.Load(new System.IO.MemoryStream(bounce));
            var report = Assert.IsType<MultipartReport>(msg.Body);
            var groups = report.OfType<MessageDeliveryStatus>().Single().StatusGroups;
            var group = Assert.Single(groups.Skip(1));
            Assert.Equal("rfc822; " + recipient, group["Final-Recipient"]);
            Assert.Equal("failed", group["Action"]);
            Assert.Equal(status, group["Status"]);
        }

        [Fact]
        public void An_OutOfMemoryException_at_the_bounce_write_keeps_the_failure_and_a_later_run_bounces_once()
        {
            var random = new FaultyRandom();
            var rig = new DeliveryRig(null, 25, random: random);
            QueuedMessage m = rig.Put("alerts@gw.test", Body("original"), "nobody@gw.test", "postmaster@gw.test");
            random.ThrowOnce();
            RunOnceTolerating(rig);
            Assert.Equal(1, random.Throws);
            AssertWritersIdle(rig.Store);
            Assert.False(m.IsRemoved, rig.AllLog);                       // not gone without its bounce
            Assert.Equal(RecipientState.Bouncing, m.GetStatus(0).State);  // the failure, with its bounce owed
            Assert.Equal("5.1.1", m.GetStatus(0).Code);
            Assert.Equal(RecipientState.InMailbox, m.GetStatus(1).State);
            Assert.Empty(rig.MailboxMessages("alerts"));
            Assert.True(rig.Log.Contains(m.QueueId + ": cannot queue the delivery status notification for <alerts@gw.test>: injected at the bounce write"), rig.AllLog);

            rig.Agent.RunOnce();                                         // not due yet: nothing changes
            Assert.False(m.IsRemoved, rig.AllLog);
            Assert.Empty(rig.MailboxMessages("alerts"));

            rig.Clock.Advance(TimeSpan.FromSeconds(61));                 // retry_min later
            rig.Agent.RunOnce();
            AssertOneBounceFor(Assert.Single(rig.MailboxMessages("alerts")), "nobody@gw.test", "5.1.1");
            Assert.Equal(RecipientState.Failed, m.GetStatus(0).State);
            Assert.Single(rig.MailboxMessages("postmaster"));
            AssertWritersIdle(rig.Store);

            rig.Clock.Advance(TimeSpan.FromSeconds(600));
            rig.Agent.RunOnce();
            Assert.Single(rig.MailboxMessages("alerts"));                // exactly once
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_bounce_that_could_not_be_written_is_written_once_after_a_restart(bool powerCut)
        {
            var random = new FaultyRandom();
            var rig = new DeliveryRig(null, 25, random: random);
            QueuedMessage m = rig.Put("alerts@gw.test", Body("original"), "nobody@gw.test");
            random.ThrowOnce();
            RunOnceTolerating(rig);
            AssertWritersIdle(rig.Store);
            // Other traffic goes on (its Commit flushes whatever statuses were buffered), then the board restarts.
            rig.Put("sensor@lan.test", Body("later"), "postmaster@gw.test");
            if (powerCut) rig.Flash.CutPowerNow();
            else rig.Store.Close();
            rig.Flash.Reboot();

            MessageStore store = MessageStore.Open(rig.Flash, rig.Store.Options, rig.Clock);
            QueuedMessage again = Assert.Single(store.GetMessages(), q => q.Id == m.Id);
            Assert.Equal(RecipientState.Bouncing, again.GetStatus(0).State);
            var mailboxes = new MailboxStore(store);
            var agent = rig.NewAgent(store, mailboxes, new CountingRandom(9));
            rig.Clock.Advance(TimeSpan.FromSeconds(61));
            agent.RunOnce();
            agent.RunOnce();
            Assert.True(again.IsRemoved, rig.AllLog);
            QueuedMessage bounce = Assert.Single(store.GetMessages(), q => q.Envelope.Sender.Length == 0);
            Assert.Equal("alerts", bounce.GetStatus(0).Mailbox);
            Assert.Equal(RecipientState.InMailbox, bounce.GetStatus(0).State);
            AssertWritersIdle(store);
        }

        [Fact]
        public void The_delivery_thread_survives_a_failed_bounce_write_and_delivers_the_next_message()
        {
            var random = new FaultyRandom();
            var rig = new DeliveryRig(null, 25, random: random);
            random.ThrowOnce();
            QueuedMessage m;
            rig.Agent.Start();
            try
            {
                m = rig.Put("alerts@gw.test", Body("original"), "nobody@gw.test");
                Assert.True(WaitUntil(() => random.Throws == 1 && m.GetStatus(0).State != RecipientState.Queued), rig.AllLog);
                QueuedMessage next = rig.Put("sensor@lan.test", Body("next"), "postmaster@gw.test");
                Assert.True(WaitUntil(() => next.GetStatus(0).State == RecipientState.InMailbox), rig.AllLog);
            }
            finally
            {
                rig.Agent.Stop(5000);
            }
            AssertWritersIdle(rig.Store);
            Assert.False(m.IsRemoved, rig.AllLog);
            Assert.Empty(rig.MailboxMessages("alerts"));

            rig.Clock.Advance(TimeSpan.FromSeconds(61));
            rig.Agent.Start();
            try
            {
                rig.Agent.Wake();
                Assert.True(WaitUntil(() => m.IsRemoved), rig.AllLog);
            }
            finally
            {
                rig.Agent.Stop(5000);
            }
            AssertOneBounceFor(Assert.Single(rig.MailboxMessages("alerts")), "nobody@gw.test", "5.1.1");
            AssertWritersIdle(rig.Store);
        }

        // A log whose first line about a failure throws, as building it can on a board with
        // no heap left: the handlers that write those lines must not take the thread down.
        private sealed class OutOfHeapOnFailureLog : ILog
        {
            public readonly QuietLog Inner = new QuietLog(true);
            public int Throws;
            public void Write(string component, int session, string text)
            {
                if ((text.Contains("cannot queue", StringComparison.Ordinal) || text.Contains("delivery pass failed", StringComparison.Ordinal))
                    && Interlocked.Increment(ref Throws) <= 2)
                {
                    throw new OutOfMemoryException("no heap for a log line");
                }
                Inner.Write(component, session, text);
            }
        }

        [Fact]
        public void The_delivery_thread_survives_when_even_the_error_handling_runs_out_of_heap()
        {
            var random = new FaultyRandom();
            var rig = new DeliveryRig(null, 25, random: random);
            var log = new OutOfHeapOnFailureLog();
            var agent = new DeliveryAgent(rig.Store, rig.Mailboxes, rig.Local, rig.Options, rig.Network, null, rig.Resolver, rig.Pool,
                rig.Clock, random, log);
            random.ThrowOnce();
            agent.Start();
            try
            {
                QueuedMessage m = rig.Put("alerts@gw.test", Body("original"), "nobody@gw.test");
                Assert.True(WaitUntil(() => log.Throws >= 1 && m.GetStatus(0).State != RecipientState.Queued), string.Join("\n", log.Inner.Lines));
                QueuedMessage next = rig.Put("sensor@lan.test", Body("next"), "postmaster@gw.test");
                Assert.True(WaitUntil(() => next.GetStatus(0).State == RecipientState.InMailbox), string.Join("\n", log.Inner.Lines));
                // The bounce owed is written on a later pass (the fault was one-off), once.
                Assert.True(WaitUntil(() => m.IsRemoved), string.Join("\n", log.Inner.Lines));
            }
            finally
            {
                agent.Stop(5000);
            }
            Assert.Equal(2, log.Throws);
            AssertOneBounceFor(Assert.Single(rig.MailboxMessages("alerts")), "nobody@gw.test", "5.1.1");
            AssertWritersIdle(rig.Store);
        }

        [Fact]
        public void A_delay_notice_that_could_not_be_written_is_tried_again_at_the_next_attempt()
        {
            var random = new FaultyRandom();
            // No DNS server: the remote recipient is deferred at every attempt.
            var rig = new DeliveryRig(null, 25, o => o.Retry.DelayWarningMs = 1, random: random);
            QueuedMessage m = rig.Put("alerts@gw.test", Body("slow"), DsnNotify.Delay, "ops@remote.test");
            rig.Clock.Advance(TimeSpan.FromSeconds(1));
            random.ThrowOnce();
            RunOnceTolerating(rig);
            Assert.Equal(1, random.Throws);
            AssertWritersIdle(rig.Store);
            Assert.Equal(RecipientState.Deferred, m.GetStatus(0).State);
            Assert.Empty(rig.MailboxMessages("alerts"));

            rig.Clock.Advance(TimeSpan.FromSeconds(61));
            rig.Agent.RunOnce();
            string notice = Encoding.Latin1.GetString(Assert.Single(rig.MailboxMessages("alerts")));
            Assert.Contains("Action: delayed", notice);
            rig.Clock.Advance(TimeSpan.FromSeconds(200));
            rig.Agent.RunOnce();
            Assert.Single(rig.MailboxMessages("alerts"));                // still one notice per message
        }

        private static bool WaitUntil(Func<bool> done)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!done())
            {
                if (DateTime.UtcNow > deadline) return false;
                Thread.Sleep(10);
            }
            return true;
        }
    }
}
