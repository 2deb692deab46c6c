using System;
using System.Linq;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Queue
{
    public sealed class MailboxStoreTests
    {
        private static QueueOptions Options() => QueueOptions.ForCapacity(192 * 1024, 64);

        private static QueuedMessage Deliver(MessageStore s, string text, params string[] mailboxes)
        {
            var env = new Envelope("");
            foreach (string mb in mailboxes) env.AddRecipient(new EnvelopeRecipient(mb + "@gw.lan", true, DsnNotify.Never, null));
            var w = s.BeginLocalMessage(env)!;
            byte[] b = System.Text.Encoding.ASCII.GetBytes(text);
            w.Write(b, 0, b.Length);
            w.Commit();
            var m = s.Find(w.QueueId)!;
            for (int i = 0; i < mailboxes.Length; i++)
            {
                s.SetStatus(m, i, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", mailboxes[i], 0));
            }
            return m;
        }

        [Fact]
        public void Mailbox_messages_keep_their_uid_across_restarts_and_dele_removes_them()
        {
            var sim = new FlashSimulator(192 * 1024, 1);
            var s = MessageStore.Open(sim, Options(), new StepClock());
            Deliver(s, "Subject: one\r\n\r\nfirst\r\n", "postmaster");
            Deliver(s, "Subject: two\r\n\r\nsecond\r\n", "postmaster", "sensor7");
            var drop = new MailboxStore(s).Open("postmaster")!;
            Assert.Equal(2, drop.Count);
            Assert.Equal(23, drop.SizeOf(0));
            Assert.Equal("Subject: one\r\n\r\nfirst\r\n", MaildropText.Read(drop, 0, 7));
            string uid0 = drop.UniqueId(0), uid1 = drop.UniqueId(1);
            Assert.NotEqual(uid0, uid1);
            Assert.Equal(0, new MailboxStore(s).Open("nobody")!.Count);
            drop.Close();

            s.Close();
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            drop = new MailboxStore(s).Open("postmaster")!;
            Assert.Equal(new[] { uid0, uid1 }, new[] { drop.UniqueId(0), drop.UniqueId(1) });
            Assert.True(drop.Commit(new[] { true, true }));
            drop.Close();
            Assert.Equal(0, new MailboxStore(s).Open("postmaster")!.Count);
            Assert.Equal(1, s.Count);                            // message two still sits in sensor7's mailbox
            var other = new MailboxStore(s).Open("sensor7")!;
            Assert.Equal(1, other.Count);
            Assert.True(other.Commit(new[] { true }));
            Assert.Equal(0, s.Count);

            var again = Deliver(s, "Subject: three\r\n\r\nthird\r\n", "postmaster");
            drop = new MailboxStore(s).Open("postmaster")!;
            Assert.DoesNotContain(drop.UniqueId(0), new[] { uid0, uid1 });
            s.Close();
            sim.Reboot();
            s = MessageStore.Open(sim, Options(), new StepClock());
            Assert.Equal(again.QueueId, s.GetMessages().Single().QueueId);
        }
    }
}
