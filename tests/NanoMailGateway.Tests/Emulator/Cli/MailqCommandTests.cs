using System;
using System.IO;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Emulator.Cli
{
    public sealed class MailqCommandTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nmg-mailq-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private static (int code, string stdout, string stderr) Mailq(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = MailqCommand.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        [Fact]
        public void Lists_a_running_queue_like_postqueue_without_touching_it()
        {
            var files = new HostFileStore(_dir, false);
            var clock = new StepClock(new DateTime(2026, 11, 28, 9, 5, 7, DateTimeKind.Utc));
            var store = MessageStore.Open(files, QueueOptions.ForCapacity(192 * 1024, 64), clock);
            var env = new Envelope("alarm@sensor.lan");
            env.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            env.AddRecipient(new EnvelopeRecipient("boss@example.com", false, DsnNotify.Unspecified, null));
            var w = store.BeginMessage(env)!;
            byte[] body = new byte[1500];
            w.Write(body, 0, body.Length);
            w.Commit();
            var m = store.Find(w.QueueId)!;
            store.Defer(m, 0, clock.UtcNow.AddMinutes(30), "4.4.1", "connect to mx.example.com[192.0.2.1]:25: Connection timed out");
            var bounce = store.BeginLocalMessage(new Envelope(""))!;
            bounce.Write(body, 0, 600);
            bounce.Commit();
            var open = store.BeginMessage(env)!;                 // being received: not listed
            open.Write(body, 0, 1000);
            string[] before = Directory.GetFiles(_dir);
            long lengthBefore = new FileInfo(before[0]).Length;

            var (code, stdout, stderr) = Mailq("--data", _dir);

            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            string[] lines = stdout.Replace("\r", "").Split('\n');
            Assert.Equal("-Queue ID- --Size-- ----Arrival Time---- -Sender/Recipient-------", lines[0]);
            Assert.Equal(w.QueueId + "       1500 Sat Nov 28 09:05:07  alarm@sensor.lan", lines[1]);
            Assert.Equal("(deferred, 1 attempt, next Sat Nov 28 09:35:07: 4.4.1 connect to mx.example.com[192.0.2.1]:25: Connection timed out)", lines[2]);
            Assert.Equal(new string(' ', 41) + "ops@example.com", lines[3]);
            Assert.Equal(new string(' ', 41) + "boss@example.com", lines[4]);
            Assert.Contains(bounce.QueueId + "        600 Sat Nov 28 09:05:07  MAILER-DAEMON", stdout);
            Assert.DoesNotContain(open.QueueId, stdout);
            Assert.EndsWith("-- 3 Kbytes in 2 Requests.\n", stdout.Replace("\r", ""));
            Assert.Equal(before, Directory.GetFiles(_dir));
            Assert.Equal(lengthBefore, new FileInfo(before[0]).Length);

            // The gateway goes on after mailq looked.
            open.Commit();
            store.Close();
        }

        [Fact]
        public void A_held_message_is_marked_and_mailbox_mail_is_listed_apart_with_its_own_total()
        {
            var files = new HostFileStore(_dir, false);
            var clock = new StepClock(new DateTime(2026, 11, 28, 9, 5, 7, DateTimeKind.Utc));
            var store = MessageStore.Open(files, QueueOptions.ForCapacity(192 * 1024, 64), clock);
            string Put(string rcpt, int size)
            {
                var env = new Envelope("alarm@sensor.lan");
                env.AddRecipient(new EnvelopeRecipient(rcpt, false, DsnNotify.Unspecified, null));
                var w = store.BeginMessage(env)!;
                w.Write(new byte[size], 0, size);
                w.Commit();
                return w.QueueId;
            }
            string held = Put("ops@example.com", 700);
            string filed = Put("postmaster", 2100);
            store.SetStatus(store.Find(held)!, 0, new RecipientStatus(RecipientState.Held, 0, DateTime.MinValue, "", "", "", 0), false);
            store.SetStatus(store.Find(filed)!, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "filed", "postmaster", 0), false);
            store.Flush();

            var (code, stdout, _) = Mailq("--data", _dir);

            Assert.Equal(0, code);
            string text = stdout.Replace("\r", "");
            string queue = text.Substring(0, text.IndexOf("Mail in local mailboxes", StringComparison.Ordinal));
            string boxes = text.Substring(queue.Length);
            Assert.Contains(held + "!       700 Sat Nov 28 09:05:07  alarm@sensor.lan\n(held)\n", queue);
            Assert.EndsWith("-- 1 Kbytes in 1 Request.\n\n", queue);
            Assert.DoesNotContain(filed, queue);
            Assert.StartsWith("Mail in local mailboxes (read with POP3 or IMAP; nothing left to deliver):\n", boxes);
            Assert.Contains(filed + "       2100 Sat Nov 28 09:05:07  alarm@sensor.lan\n(mailbox, 1 attempt, mailbox postmaster uid ", boxes);
            Assert.EndsWith("-- 3 Kbytes in 1 message in mailboxes.\n", boxes);
            store.Close();
        }

        [Fact]
        public void Empty_queue()
        {
            Directory.CreateDirectory(_dir);
            var (code, stdout, _) = Mailq("--data=" + _dir);
            Assert.Equal(0, code);
            Assert.Equal("Mail queue is empty" + Environment.NewLine, stdout);
        }

        [Theory]
        [InlineData(64, "--bogus")]
        [InlineData(64, "--data")]
        [InlineData(66, "--data", "/nonexistent/nmg-data-dir")]
        [InlineData(0, "--help")]
        public void Usage_and_errors(int expected, params string[] args)
        {
            var (code, stdout, stderr) = Mailq(args);
            Assert.Equal(expected, code);
            if (expected == 0) Assert.Contains("  nmg mailq [options]", stdout);
            else Assert.Single(stderr.Trim().Split('\n'));
        }

        [Fact]
        public void The_queue_survives_a_restart_on_host_files()
        {
            var options = QueueOptions.ForCapacity(192 * 1024, 64);
            var store = MessageStore.Open(new HostFileStore(_dir, false), options, new StepClock());
            var env = new Envelope("alarm@sensor.lan");
            env.AddRecipient(new EnvelopeRecipient("ops@example.com", false, DsnNotify.Unspecified, null));
            var w = store.BeginMessage(env)!;
            byte[] body = new byte[40_000];
            new Random(3).NextBytes(body);
            w.Write(body, 0, body.Length);
            w.Commit();
            store.Close();

            store = MessageStore.Open(new HostFileStore(_dir, false), options, new StepClock());
            var m = store.Find(w.QueueId)!;
            Assert.Equal(body, NanoMailGateway.Tests.Core.Queue.PowerLossTests.Model.ReadAll(store, m));
            store.MarkDelivered(m, 0, "2.0.0", "250 ok");
            Assert.True(store.Remove(m));
            store.Close();
            var (code, stdout, _) = Mailq("--data", _dir);
            Assert.Equal(0, code);
            Assert.StartsWith("Mail queue is empty", stdout);
        }
    }
}
