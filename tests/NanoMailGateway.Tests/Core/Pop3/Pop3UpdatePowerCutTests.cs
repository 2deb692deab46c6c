// UPDATE under power loss: a mailbox of five messages in the flash queue, a
// real POP3 session (Pop3Server over an in-memory connection, MailboxStore over
// MessageStore over the flash simulator) marks three with DELE and sends QUIT; the power
// is cut at every single write the UPDATE makes, each time with a clean cut, a torn
// write and a garbage tail. After each recovery every message is either wholly present
// with its old UID and its exact content, or gone; only DELE'd messages may be gone;
// the others keep their UIDs; and a new POP3 session sees a consistent maildrop.

using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public sealed class Pop3UpdatePowerCutTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _out;

        public Pop3UpdatePowerCutTests(Xunit.Abstractions.ITestOutputHelper output) { _out = output; }

        private static readonly int[] Deleted = { 1, 3, 4 };   // POP3 message numbers (1-based)

        private static QueueOptions Options() => QueueOptions.ForCapacity(192 * 1024, 32);

        private static string Body(int i) => "Subject: alert " + i + "\r\n\r\n" + new string((char)('a' + i), 100 + 700 * i) + "\r\n.dot line\r\n";

        /// <summary>Fresh flash with five messages in mailbox "alerts"; returns their UIDs in order.</summary>
        private static string[] Prepare(FlashSimulator sim)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            for (int i = 0; i < 5; i++)
            {
                var env = new Envelope("sensor@plant.example");
                env.AddRecipient(new EnvelopeRecipient("alerts@plant.example", true, DsnNotify.Never, null));
                IMessageWriter w = s.BeginLocalMessage(env)!;
                byte[] b = Encoding.ASCII.GetBytes(Body(i));
                w.Write(b, 0, b.Length);
                w.Commit();
                s.SetStatus(s.Find(w.QueueId)!, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "alerts", 0));
            }
            IMaildrop d = new MailboxStore(s).Open("alerts")!;
            var uids = new string[d.Count];
            for (int i = 0; i < uids.Length; i++) uids[i] = d.UniqueId(i);
            d.Close();
            s.Close();
            sim.Reboot();
            return uids;
        }

        /// <summary>Logs in, DELEs, then arms the cut (if any) and sends QUIT; returns the transcript.</summary>
        private static string DeleteAndQuit(FlashSimulator sim, long cutAt, CutMode mode)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            var accounts = new AccountDirectory();
            accounts.Add("alerts", "pw");
            var clock = new StepClock();
            var server = new Pop3Server(new Pop3ServerOptions(), new MailboxStore(s), accounts, new AuthThrottle(clock), null,
                new BufferPool("pop3", 1024, 2), clock, new QuietLog(true));
            MemoryConnection.CreatePair("192.0.2.10", "192.0.2.1", out MemoryConnection client, out MemoryConnection serverEnd);
            var t = new Thread(() => server.Serve(serverEnd)) { IsBackground = true };
            t.Start();
            var text = new StringBuilder();
            Read(client, text, 1);
            string cmds = "USER alerts\r\nPASS pw\r\n";
            foreach (int n in Deleted) cmds += "DELE " + n + "\r\n";
            MemoryWire.Send(client, cmds);
            Read(client, text, 1 + 2 + Deleted.Length);
            Assert.DoesNotContain("-ERR", text.ToString());
            if (cutAt > 0) sim.CutPowerAt(cutAt, mode);
            MemoryWire.Send(client, "QUIT\r\n");
            ReadToClose(client, text);
            Assert.True(t.Join(10000), "session did not end");
            return text.ToString();
        }

        private static void Read(MemoryConnection c, StringBuilder text, int lines)
        {
            MemoryWire.ReceiveUntil(c, text, () => CountLines(text) >= lines);
        }

        private static void ReadToClose(MemoryConnection c, StringBuilder text)
        {
            var buf = new byte[4096];
            while (true)
            {
                int n = c.Receive(buf, 0, buf.Length, 5000);
                Assert.True(n >= 0, "server did not close");
                if (n == 0) return;
                text.Append(Encoding.ASCII.GetString(buf, 0, n));
            }
        }

        private static int CountLines(StringBuilder s)
        {
            int n = 0;
            for (int i = 0; i < s.Length; i++) if (s[i] == '\n') n++;
            return n;
        }

        /// <summary>After recovery: each message wholly there with its UID, or gone and DELE'd.</summary>
        private static int Verify(FlashSimulator sim, string[] uids, string context)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            IMaildrop d = new MailboxStore(s).Open("alerts")!;
            var present = new Dictionary<string, int>();
            for (int i = 0; i < d.Count; i++) present[d.UniqueId(i)] = i;
            Assert.True(d.Count <= uids.Length, context + ": more messages than before");
            for (int i = 0; i < uids.Length; i++)
            {
                bool deleted = Array.IndexOf(Deleted, i + 1) >= 0;
                if (present.TryGetValue(uids[i], out int at))
                {
                    Assert.Equal(Body(i), MaildropText.Read(d, at, 333));
                    Assert.Equal(Body(i).Length, d.SizeOf(at));
                }
                else
                {
                    Assert.True(deleted, context + ": message " + (i + 1) + " (" + uids[i] + ") vanished without DELE");
                }
            }
            foreach (string uid in present.Keys) Assert.Contains(uid, uids);   // no new or changed UIDs
            int count = d.Count;
            d.Close();
            s.Close();
            sim.Reboot();
            return count;
        }

        [Fact]
        public void UncutUpdateDeletesExactlyTheMarkedMessages()
        {
            var sim = new FlashSimulator(192 * 1024, 1);
            string[] uids = Prepare(sim);
            string t = DeleteAndQuit(sim, 0, CutMode.Clean);
            Assert.Contains("+OK", t.Substring(t.LastIndexOf("\r\n", t.Length - 3, StringComparison.Ordinal)));
            sim.Reboot();
            Assert.Equal(5 - Deleted.Length, Verify(sim, uids, "no cut"));
        }

        [Fact]
        public void PowerCutAtEveryWriteOfTheUpdateLeavesEachMessageWholeOrGone()
        {
            // Count the writes of an uncut UPDATE: those are the cut points.
            var probe = new FlashSimulator(192 * 1024, 1);
            Prepare(probe);
            long before = probe.WriteCount;
            DeleteAndQuit(probe, 0, CutMode.Clean);
            long writes = probe.WriteCount - before;
            Assert.True(writes >= Deleted.Length, "UPDATE wrote only " + writes + " times");

            int runs = 0, partial = 0;
            foreach (CutMode mode in new[] { CutMode.Clean, CutMode.Torn, CutMode.Garbage })
            {
                for (long k = 1; k <= writes; k++)
                {
                    var sim = new FlashSimulator(192 * 1024, (int)k);
                    string[] uids = Prepare(sim);
                    DeleteAndQuit(sim, k, mode);
                    Assert.True(sim.PoweredOff, "the cut at write " + k + " did not happen");
                    sim.Reboot();
                    int left = Verify(sim, uids, "cut " + mode + " at write " + k + " of " + writes);
                    if (left > 5 - Deleted.Length && left < 5) partial++;
                    // The recovered store still works: a second session deletes the rest of the marked ones.
                    DeleteAndQuitWhatIsLeft(sim, uids);
                    runs++;
                }
            }
            Assert.Equal(3 * writes, runs);
            _out.WriteLine(writes + " writes in the UPDATE, " + runs + " cuts, " + partial + " left a partial UPDATE");
            Assert.True(partial > 0, "no cut landed between two deletions: the test proves less than it says");
        }

        /// <summary>After a cut: log in again, DELE the marked messages still there, QUIT; then only the unmarked remain.</summary>
        private static void DeleteAndQuitWhatIsLeft(FlashSimulator sim, string[] uids)
        {
            MessageStore s = MessageStore.Open(sim, Options(), new StepClock());
            IMaildrop d = new MailboxStore(s).Open("alerts")!;
            var marks = new bool[d.Count];
            for (int i = 0; i < d.Count; i++)
            {
                int original = Array.IndexOf(uids, d.UniqueId(i));
                marks[i] = Array.IndexOf(Deleted, original + 1) >= 0;
            }
            Assert.True(d.Commit(marks));
            d.Close();
            s.Close();
            sim.Reboot();
            Assert.Equal(5 - Deleted.Length, Verify(sim, uids, "second session"));
        }
    }
}
