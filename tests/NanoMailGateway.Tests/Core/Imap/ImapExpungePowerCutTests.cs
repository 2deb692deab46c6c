// \Deleted and EXPUNGE under power loss: a mailbox of five messages in the flash queue,
// a real IMAP session (ImapServer over an in-memory connection, MailboxStore over
// MessageStore over the flash simulator) marks three with STORE +FLAGS (\Deleted) and
// expunges them; the power is cut at every single write those commands make, each time
// clean, torn and with a garbage tail. After each recovery every message is either
// wholly present with its old UID and exact content, or gone; only marked messages may
// be gone or carry \Deleted; and a second session finishes the job on the recovered store.

using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Imap;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Imap
{
    public sealed class ImapExpungePowerCutTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _out;

        public ImapExpungePowerCutTests(Xunit.Abstractions.ITestOutputHelper output) { _out = output; }

        private static readonly int[] Marked = { 1, 3, 4 };   // message numbers (1-based)

        private static QueueOptions Options() => QueueOptions.ForCapacity(192 * 1024, 32);

        private static string Body(int i) => "Subject: alert " + i + "\r\n\r\n" + new string((char)('a' + i), 100 + 500 * i) + "\r\n";

        private static long[] Prepare(FlashSimulator sim)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            var uids = new long[5];
            for (int i = 0; i < 5; i++)
            {
                var env = new Envelope("sensor@plant.example");
                env.AddRecipient(new EnvelopeRecipient("alerts@plant.example", true, DsnNotify.Never, null));
                IMessageWriter w = s.BeginLocalMessage(env)!;
                byte[] b = Encoding.ASCII.GetBytes(Body(i));
                w.Write(b, 0, b.Length);
                w.Commit();
                uids[i] = s.SetStatus(s.Find(w.QueueId)!, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "alerts", 0)).Uid;
            }
            s.Close();
            sim.Reboot();
            return uids;
        }

        /// <summary>One session: SELECT, then (with the cut armed) STORE the marks, EXPUNGE, LOGOUT.</summary>
        private static string MarkAndExpunge(FlashSimulator sim, long cutAt, CutMode mode, string marks)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            var accounts = new AccountDirectory();
            accounts.Add("alerts", "pw");
            var clock = new StepClock();
            var server = new ImapServer(new ImapServerOptions(), new MailboxStore(s), accounts, new AuthThrottle(clock), null,
                NetworkList.Parse(new[] { "192.0.2.0/24" }, out _)!, new BufferPool("imap", 1024, 2), clock, new QuietLog(true));
            MemoryConnection.CreatePair("192.0.2.10", "192.0.2.1", out MemoryConnection client, out MemoryConnection serverEnd);
            var t = new Thread(() => server.Serve(serverEnd)) { IsBackground = true };
            t.Start();
            var text = new StringBuilder();
            MemoryWire.Send(client, "a1 LOGIN alerts pw\r\na2 SELECT INBOX\r\n");
            ReadUntil(client, text, "a2 ");
            Assert.Contains("a2 OK", text.ToString());
            if (cutAt > 0) sim.CutPowerAt(cutAt, mode);
            MemoryWire.Send(client, "a3 STORE " + marks + " +FLAGS.SILENT (\\Deleted)\r\na4 EXPUNGE\r\na5 LOGOUT\r\n");
            ReadUntil(client, text, "a5 ");
            Assert.True(t.Join(10000), "session did not end");
            if (!sim.PoweredOff) s.Close();
            return text.ToString();
        }

        private static void ReadUntil(MemoryConnection c, StringBuilder text, string tag)
        {
            MemoryWire.ReceiveUntil(c, text, () => text.ToString().Contains("\n" + tag));
        }

        /// <summary>After recovery: each message whole with its UID, or gone and marked; returns the numbers (1-based) still there.</summary>
        private static List<int> Verify(FlashSimulator sim, long[] uids, string context)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            MailboxView v = new MailboxStore(s).OpenView("alerts");
            var present = new Dictionary<long, int>();
            for (int i = 0; i < v.Count; i++) present[v.Uid(i)] = i;
            var left = new List<int>();
            for (int i = 0; i < uids.Length; i++)
            {
                bool marked = Array.IndexOf(Marked, i + 1) >= 0;
                if (present.TryGetValue(uids[i], out int at))
                {
                    Assert.Equal(Body(i), MaildropText.Read(v, at, 333));
                    int flags = v.Flags(at);
                    Assert.True(flags == 0 || (marked && flags == RecipientStatus.FlagDeleted), context + ": message " + (i + 1) + " has flags " + flags);
                    left.Add(i + 1);
                }
                else
                {
                    Assert.True(marked, context + ": message " + (i + 1) + " vanished without \\Deleted");
                }
            }
            Assert.Equal(v.Count, left.Count);
            s.Close();
            sim.Reboot();
            return left;
        }

        [Fact]
        public void UncutExpungeRemovesExactlyTheMarkedMessages()
        {
            var sim = new FlashSimulator(192 * 1024, 1);
            long[] uids = Prepare(sim);
            string t = MarkAndExpunge(sim, 0, CutMode.Clean, "1,3:4");
            Assert.Contains("* 4 EXPUNGE\r\n* 3 EXPUNGE\r\n* 1 EXPUNGE\r\na4 OK", t);
            sim.Reboot();
            Assert.Equal(new[] { 2, 5 }, Verify(sim, uids, "no cut"));
        }

        [Fact]
        public void PowerCutAtEveryWriteOfStoreAndExpungeLeavesEachMessageWholeOrGone()
        {
            var probe = new FlashSimulator(192 * 1024, 1);
            Prepare(probe);
            long before = probe.WriteCount;
            MarkAndExpunge(probe, 0, CutMode.Clean, "1,3:4");
            long writes = probe.WriteCount - before;
            Assert.True(writes >= Marked.Length, "STORE and EXPUNGE wrote only " + writes + " times");

            int runs = 0, partial = 0;
            foreach (CutMode mode in new[] { CutMode.Clean, CutMode.Torn, CutMode.Garbage })
            {
                for (long k = 1; k <= writes; k++)
                {
                    var sim = new FlashSimulator(192 * 1024, (int)k);
                    long[] uids = Prepare(sim);
                    MarkAndExpunge(sim, k, mode, "1,3:4");
                    if (!sim.PoweredOff) continue;   // a write of the session's opening (recovery) counted in the probe
                    sim.Reboot();
                    List<int> left = Verify(sim, uids, "cut " + mode + " at write " + k + " of " + writes);
                    if (left.Count > 2 && left.Count < 5) partial++;
                    // The recovered store works: a new session marks and expunges what is left of the three.
                    var again = new List<int>();
                    for (int i = 0; i < left.Count; i++) if (Array.IndexOf(Marked, left[i]) >= 0) again.Add(i + 1);
                    if (again.Count > 0) MarkAndExpunge(sim, 0, CutMode.Clean, string.Join(",", again));
                    sim.Reboot();
                    Assert.Equal(new[] { 2, 5 }, Verify(sim, uids, "after a second session, cut " + mode + " at " + k));
                    runs++;
                }
            }
            _out.WriteLine(writes + " writes in STORE and EXPUNGE, " + runs + " cuts, " + partial + " left a partial expunge");
            Assert.True(runs >= 3 * Marked.Length, "only " + runs + " cuts happened");
            Assert.True(partial > 0, "no cut landed between two expunges: the test proves less than it says");
        }
    }
}
