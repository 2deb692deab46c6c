// The IMAP server on a real loopback socket (Core's ConnectionListener) over the real
// mailbox store, against real clients: python3 imaplib, curl (imap://), MailKit's
// ImapClient with its IDLE, and fetchmail over IMAP. Bounded: every peer has a deadline.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Imap
{
    public sealed class ImapInteropTests
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

        private static ImapHarness Filled(out long uid1, out long uid2)
        {
            var h = new ImapHarness();
            uid1 = h.Deliver("alice", ImapServerSessionTests.Alert1);
            uid2 = h.Deliver("alice", ImapServerSessionTests.Alert2);
            return h;
        }

        [SkippableFact]
        public void Python_imaplib_reads_marks_and_expunges()
        {
            string python = Peers.RequirePython("imaplib");
            using var h = Filled(out long uid1, out long uid2);
            int port = h.ListenOnLoopback();
            string script = @"
import imaplib, sys, json
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
out = {'caps': sorted(m.capabilities)}
m.login('alice', 'secret')
typ, data = m.select('INBOX')
out['exists'] = int(data[0])
out['unseen'] = m.search(None, 'UNSEEN')[1][0].decode()
typ, data = m.fetch('1', '(UID RFC822.SIZE BODY.PEEK[])')
out['meta'] = data[0][0].decode()
out['body'] = data[0][1].decode('latin-1')
typ, data = m.uid('FETCH', sys.argv[2], '(FLAGS BODY[HEADER.FIELDS (SUBJECT)])')
out['subject'] = data[0][1].decode('latin-1')
out['store'] = m.store('1', '+FLAGS', '\\Deleted')[1][0].decode()
out['expunge'] = [x.decode() for x in m.expunge()[1] if x]
out['status'] = m.status('INBOX', '(MESSAGES UNSEEN)')[1][0].decode()
m.close()
m.logout()
print(json.dumps(out))
";
            var r = ProcessRunner.Run(python, new[] { "-c", script, port.ToString(), uid2.ToString() }, null, Deadline);
            Assert.True(r.ExitCode == 0, r.StdErr);
            var o = System.Text.Json.JsonDocument.Parse(r.StdOut).RootElement;
            Assert.Contains("IMAP4REV1", o.GetProperty("caps").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(2, o.GetProperty("exists").GetInt32());
            Assert.Equal("1 2", o.GetProperty("unseen").GetString());
            Assert.Equal("1 (UID " + uid1 + " RFC822.SIZE " + ImapServerSessionTests.Alert1.Length + " BODY[] {" + ImapServerSessionTests.Alert1.Length + "}", o.GetProperty("meta").GetString());
            Assert.Equal(ImapServerSessionTests.Alert1, o.GetProperty("body").GetString());
            Assert.Equal("Subject: door open\r\n\r\n", o.GetProperty("subject").GetString());
            Assert.Equal("1 (FLAGS (\\Deleted))", o.GetProperty("store").GetString());
            Assert.Equal(new[] { "1" }, o.GetProperty("expunge").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("INBOX (MESSAGES 1 UNSEEN 0)", o.GetProperty("status").GetString());   // the UID FETCH without PEEK set \Seen
            Assert.Equal(1, h.Mailboxes.OpenView("alice").Count);
        }

        [SkippableFact]
        public void Curl_lists_searches_and_fetches_by_uid()
        {
            string curl = Peers.Require("curl");
            using var h = Filled(out long uid1, out long uid2);
            int port = h.ListenOnLoopback();
            string url = "imap://alice:secret@127.0.0.1:" + port + "/";
            var list = ProcessRunner.Run(curl, new[] { "-sS", url }, null, Deadline);
            Assert.True(list.ExitCode == 0, list.StdErr);
            Assert.Equal("* LIST () \"/\" INBOX", list.StdOut.Trim());
            var fetch = ProcessRunner.Run(curl, new[] { "-sS", url + "INBOX;UID=" + uid2 }, null, Deadline);
            Assert.True(fetch.ExitCode == 0, fetch.StdErr);
            Assert.Equal(ImapServerSessionTests.Alert2.Replace("\r\n", "\n"), fetch.StdOut.Replace("\r\n", "\n"));
            var search = ProcessRunner.Run(curl, new[] { "-sS", url + "INBOX?UNSEEN" }, null, Deadline);
            Assert.True(search.ExitCode == 0, search.StdErr);
            Assert.Equal("* SEARCH 1", search.StdOut.Trim());
            var bad = ProcessRunner.Run(curl, new[] { "-sS", "imap://alice:wrong@127.0.0.1:" + port + "/" }, null, Deadline);
            Assert.NotEqual(0, bad.ExitCode);
        }

        [Fact]
        public void MailKit_fetches_summaries_sets_flags_and_idle_sees_a_delivery_within_a_second()
        {
            using var h = Filled(out long uid1, out long uid2);
            int port = h.ListenOnLoopback();
            using var client = new ImapClient();
            client.Timeout = 20_000;
            client.Connect("127.0.0.1", port, SecureSocketOptions.None);
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle));
            client.Authenticate("alice", "secret");
            IMailFolder inbox = client.Inbox;
            inbox.Open(FolderAccess.ReadWrite);
            Assert.Equal(2, inbox.Count);
            Assert.Equal(1u, inbox.UidValidity);
            var summaries = inbox.Fetch(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags
                | MessageSummaryItems.Size | MessageSummaryItems.BodyStructure | MessageSummaryItems.InternalDate);
            Assert.Equal(new[] { (uint)uid1, (uint)uid2 }, summaries.Select(s => s.UniqueId.Id));
            Assert.Equal("boiler pressure high", summaries[0].Envelope!.Subject);
            Assert.Equal("sensor7@plant.example", summaries[0].Envelope!.From.Mailboxes.Single().Address);
            Assert.Equal("Ops, Night", summaries[0].Envelope!.To.Mailboxes.Last().Name);
            Assert.Equal((uint)ImapServerSessionTests.Alert1.Length, summaries[0].Size);
            Assert.True(summaries[0].Body!.ContentType.IsMimeType("text", "plain"), summaries[0].Body!.ContentType.MimeType);
            var msg = inbox.GetMessage(new UniqueId((uint)uid2));
            Assert.Equal("door open", msg.Subject);
            inbox.AddFlags(new UniqueId((uint)uid1), MessageFlags.Seen, true);
            Assert.Equal(new[] { new UniqueId((uint)uid2) }, inbox.Search(SearchQuery.NotSeen).ToArray());
            Assert.Equal(RecipientStatus.FlagSeen, h.Mailboxes.OpenView("alice").Flags(0));

            // IDLE: a message filed into the mailbox reaches the idle client as EXISTS.
            var arrived = new ManualResetEventSlim();
            inbox.CountChanged += (s, e) => { if (inbox.Count == 3) arrived.Set(); };
            using var done = new CancellationTokenSource();
            var idle = new Thread(() => { try { client.Idle(done.Token); } catch (OperationCanceledException) { } }) { IsBackground = true };
            idle.Start();
            Thread.Sleep(300);   // let IDLE reach the server
            var sw = Stopwatch.StartNew();
            h.Deliver("alice", "Subject: alarm\r\n\r\nfire in hall 2\r\n");
            Assert.True(arrived.Wait(5000), "no EXISTS in IDLE");
            Assert.True(sw.ElapsedMilliseconds < 1000, "EXISTS after " + sw.ElapsedMilliseconds + " ms");
            done.Cancel();
            Assert.True(idle.Join(5000));
            inbox.AddFlags(new UniqueId((uint)uid2), MessageFlags.Deleted, true);
            inbox.Expunge();
            Assert.Equal(2, inbox.Count);
            client.Disconnect(true);
        }

        [SkippableFact]
        public void Fetchmail_over_imap_fetches_every_message_and_keeps_them()
        {
            string fetchmail = Peers.Require("fetchmail");
            using var h = Filled(out _, out _);
            int port = h.ListenOnLoopback();
            string home = Directory.CreateTempSubdirectory("nmg-fetchmail-imap-").FullName;
            try
            {
                string got = Fetchmail.FetchAll(fetchmail, home, port, "alice", "secret", keep: true, Deadline, "IMAP");
                Assert.Contains("Subject: boiler pressure high", got);
                Assert.Contains("door 4 open", got);
                Assert.Equal(2, h.Mailboxes.OpenView("alice").Count);   // keep: nothing deleted
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }
    }
}
