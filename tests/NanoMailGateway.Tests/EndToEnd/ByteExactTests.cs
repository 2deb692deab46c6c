// Every message arrives in the queue byte-exact: real clients (swaks, Postfix's
// smtp-source) talk to `nmg run` as a child process; afterwards the test opens the data
// directory the way `nmg mailq` does (HostFileStore read-only + MessageStore.OpenReadOnly)
// and reads the stored messages back: swaks's message is our content after one prepended
// Received: header (dot-unstuffed, nothing else touched, Date: and Message-ID: present so
// none is added); smtp-source's 200 messages over 5 sessions are all there.

using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class ByteExactTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-exact-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>A config whose mail stays queued: remote recipients, DNS on a dead port.</summary>
        internal static string HoldingConfig(string dir, string extra = "")
        {
            string cfg = Path.Combine(dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" +
                "dns_servers = 127.0.0.1:" + FreePort.Udp() + "\nuser.postmaster = pm\n" + extra);
            return cfg;
        }

        internal static QueuedMessage[] ReadQueue(string data, out MessageStore store)
        {
            store = MessageStore.OpenReadOnly(new HostFileStore(data, true), new SystemClock());
            return store.GetMessages();
        }

        internal static string Content(MessageStore store, QueuedMessage m)
        {
            MessageReader r = store.OpenReader(m);
            var all = new MemoryStream();
            var buf = new byte[777];
            for (long pos = 0; ;)
            {
                int n = r.Read(pos, buf, 0, buf.Length);
                if (n <= 0) break;
                all.Write(buf, 0, n);
                pos += n;
            }
            return Encoding.Latin1.GetString(all.ToArray());
        }

        [SkippableFact]
        public void SwaksMessageIsStoredByteExactAfterTheReceivedHeader()
        {
            string swaks = Peers.Require("swaks");
            string data = Path.Combine(_dir, "data");
            string content =
                "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n" +
                "Message-ID: <swaks-exact-1@plant.example>\r\n" +
                "From: sensor@plant.example\r\n" +
                "To: ops@remote.example\r\n" +
                "Subject: byte exact\r\n" +
                "X-Long: " + new string('h', 900) + "\r\n" +
                "\r\n" +
                "line one\r\n" +
                ".leading dot\r\n" +
                "..two dots\r\n" +
                ".\tdot tab\r\n" +
                "\ttab and trailing space \r\n" +
                new string('x', 998) + "\r\n" +
                "8bit: caf\u00e9 \u00fc\r\n" +
                "\r\n" +
                "last line\r\n";
            string file = Path.Combine(_dir, "message.eml");
            // swaks ends the data with CRLF "." CRLF itself: the file leaves out the last CRLF.
            File.WriteAllBytes(file, Encoding.Latin1.GetBytes(content.Substring(0, content.Length - 2)));

            using (var nmg = NmgProcess.Start(HoldingConfig(_dir), data, "esp32-s3"))
            {
                int colon = nmg.Smtp.LastIndexOf(':');
                var r = ProcessRunner.Run(swaks, new[]
                {
                    "--server", nmg.Smtp.Substring(0, colon), "--port", nmg.Smtp.Substring(colon + 1),
                    "--helo", "sensor.plant.example", "--from", "sensor@plant.example", "--to", "ops@remote.example",
                    "--data", file,
                }, null, TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, "swaks failed: " + r.StdOut + r.StdErr);
                Assert.Matches(@"<-  250 2\.0\.0 Ok: queued as \S+", r.StdOut);
                nmg.StopClean();
            }

            QueuedMessage[] messages = ReadQueue(data, out MessageStore store);
            QueuedMessage m = Assert.Single(messages);
            Assert.Equal("sensor@plant.example", m.Envelope.Sender);
            string stored = Content(store, m);
            Assert.Equal(stored.Length, m.Size);
            Assert.EndsWith(content, stored);
            string trace = stored.Substring(0, stored.Length - content.Length);
            Assert.Matches(@"^Received: from sensor\.plant\.example \(\[127\.0\.0\.1\]\)[^\r\n]*(\r\n[ \t][^\r\n]*)*\r\n$", trace);
            Assert.Contains("by gw.example", trace);
        }

        [SkippableFact]
        public void SmtpSource200MessagesOverFiveSessionsAreAllQueued()
        {
            string smtpSource = Peers.Require("smtp-source");
            string data = Path.Combine(_dir, "data");
            // One client sends it all: its fair share of the queue is lifted (README, Capacity).
            using (var nmg = NmgProcess.Start(HoldingConfig(_dir, "smtpd_client_queue_share = 100\n"), data, "esp32-s3"))
            {
                var r = ProcessRunner.Run(smtpSource, new[]
                {
                    "-s", "5", "-m", "200", "-l", "2000", "-M", "source.plant.example",
                    "-f", "source@plant.example", "-t", "ops@remote.example", nmg.Smtp,
                }, null, TimeSpan.FromSeconds(60));
                Assert.True(r.ExitCode == 0, "smtp-source failed: " + r.StdOut + r.StdErr);
                Assert.DoesNotContain(": refused", nmg.Output);
                nmg.StopClean();
            }

            QueuedMessage[] all = ReadQueue(data, out MessageStore store);
            // 200 of the s3's 256 entries pass 75 %: the postmaster's capacity notice is queued too (README, Capacity).
            Assert.Single(all, m => m.Envelope.Sender == "" && m.Envelope.GetRecipient(0).Address == "postmaster@gw.example");
            QueuedMessage[] messages = all.Where(m => m.Envelope.Sender == "source@plant.example").ToArray();
            Assert.Equal(200, messages.Length);
            Assert.Equal(200, messages.Select(m => m.QueueId).Distinct().Count());
            // smtp-source's body (-l 2000) is the same in every copy: each stored whole, one Received: on top.
            string body0 = "";
            foreach (QueuedMessage m in messages)
            {
                string text = Content(store, m);
                Assert.Equal(m.Size, text.Length);
                Assert.StartsWith("Received: ", text);
                Assert.Single(Regex.Matches(text, "^Received: ", RegexOptions.Multiline));
                string body = text.Substring(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
                Assert.True(body.Length >= 1900, "short body: " + body.Length);
                if (body0.Length == 0) body0 = body;
                Assert.Equal(body0, body);
            }
        }
    }
}
