// The POP3 server on a real loopback socket against real clients: curl, python3 poplib,
// fetchmail and MailKit's Pop3Client. Bounded: every peer runs with a deadline.

using System;
using System.IO;
using System.Linq;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3InteropTests
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

        private static readonly string[] Messages =
        {
            "From: sensor@lan\r\nTo: alice@gw\r\nSubject: first\r\n\r\nTemperature 21.5\r\n",
            "From: sensor@lan\r\nTo: alice@gw\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n",
            "From: MAILER-DAEMON@gw\r\nTo: alice@gw\r\nSubject: third\r\n\r\n" + string.Concat(Enumerable.Range(0, 800).Select(i => (i % 5 == 0 ? "." : "") + "line " + i + "\r\n")),
        };

        private static Pop3Harness Filled(out string[] uids)
        {
            var h = new Pop3Harness();
            uids = Messages.Select(m => h.Store.Deliver("alice", m)).ToArray();
            return h;
        }

        [SkippableFact]
        public void Curl_lists_retrieves_and_deletes()
        {
            string curl = Peers.Require("curl");
            var h = Filled(out string[] uids);
            using var server = new LoopbackPop3Server(h);
            string url = "pop3://alice:secret@127.0.0.1:" + server.Port + "/";

            var list = ProcessRunner.Run(curl, new[] { "-sS", url }, null, Deadline);
            Assert.Equal(0, list.ExitCode);
            string expected = string.Concat(Messages.Select((m, i) => (i + 1) + " " + m.Length + "\r\n"));
            Assert.Equal(expected.Replace("\r\n", "\n"), list.StdOut.Replace("\r\n", "\n"));

            var retr = ProcessRunner.Run(curl, new[] { "-sS", url + "2" }, null, Deadline);
            Assert.Equal(0, retr.ExitCode);
            Assert.Equal(Messages[1].Replace("\r\n", "\n"), retr.StdOut.Replace("\r\n", "\n"));

            var dele = ProcessRunner.Run(curl, new[] { "-sS", "-X", "DELE", "-I", url + "1" }, null, Deadline);
            Assert.Equal(0, dele.ExitCode);
            Assert.Equal(new[] { uids[1], uids[2] }, h.Store.Uids("alice"));

            var bad = ProcessRunner.Run(curl, new[] { "-sS", "pop3://alice:wrong@127.0.0.1:" + server.Port + "/" }, null, Deadline);
            Assert.NotEqual(0, bad.ExitCode);
        }

        [SkippableFact]
        public void Python_poplib_octets_equal_LIST_sizes_and_dot_lines_survive()
        {
            string python = Peers.RequirePython("poplib");
            var h = Filled(out string[] uids);
            using var server = new LoopbackPop3Server(h);
            string script = @"
import poplib, sys, json
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
p.user('alice'); p.pass_('secret')
out = {'stat': list(p.stat()), 'capa': sorted(p.capa().keys()), 'msgs': []}
resp, listing, _ = p.list()
for entry in listing:
    num, size = entry.split()
    r, lines, octets = p.retr(int(num))
    out['msgs'].append({'num': int(num), 'size': int(size), 'octets': octets,
                        'text': b''.join(l + b'\r\n' for l in lines).decode('latin-1')})
out['uidl'] = [u.decode() for u in p.uidl()[1]]
out['top'] = [l.decode('latin-1') for l in p.top(2, 1)[1]]
p.dele(3)
p.quit()
print(json.dumps(out))
";
            var r = ProcessRunner.Run(python, new[] { "-c", script, server.Port.ToString() }, null, Deadline);
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
            var root = doc.RootElement;
            Assert.Equal(3, root.GetProperty("stat")[0].GetInt32());
            Assert.Equal(Messages.Sum(m => m.Length), root.GetProperty("stat")[1].GetInt32());
            Assert.Contains("UIDL", root.GetProperty("capa").EnumerateArray().Select(e => e.GetString()));
            var msgs = root.GetProperty("msgs").EnumerateArray().ToArray();
            Assert.Equal(3, msgs.Length);
            for (int i = 0; i < 3; i++)
            {
                // poplib's octets: every received line with its CRLF, minus one per
                // un-stuffed dot. It must equal the LIST size and the stored size.
                Assert.Equal(Messages[i].Length, msgs[i].GetProperty("size").GetInt32());
                Assert.Equal(Messages[i], msgs[i].GetProperty("text").GetString());
                Assert.Equal(msgs[i].GetProperty("size").GetInt32(), msgs[i].GetProperty("octets").GetInt32());
            }
            Assert.Equal(uids.Select((u, i) => (i + 1) + " " + u), root.GetProperty("uidl").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(new[] { "From: sensor@lan", "To: alice@gw", "Subject: dots", "", ".leading dot" }, root.GetProperty("top").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(new[] { uids[0], uids[1] }, h.Store.Uids("alice"));
        }

        [SkippableFact]
        public void Fetchmail_fetches_every_message_and_keeps_them()
        {
            string fetchmail = Peers.Require("fetchmail");
            var h = Filled(out string[] uids);
            using var server = new LoopbackPop3Server(h);
            string home = Directory.CreateTempSubdirectory("nmg-fetchmail-").FullName;
            try
            {
                string got = Fetchmail.FetchAll(fetchmail, home, server.Port, "alice", "secret", keep: true, Deadline);
                Assert.Contains("Subject: first", got);
                Assert.Contains("\n.leading dot", got);
                Assert.Contains("\n..two dots", got);
                Assert.Contains("line 799", got);
                Assert.Equal(uids, h.Store.Uids("alice"));   // --keep: nothing deleted
            }
            finally
            {
                Directory.Delete(home, true);
            }
        }

        [Fact]
        public void MailKit_sees_identical_UIDs_across_sessions_and_exact_sizes()
        {
            var h = Filled(out string[] uids);
            using var server = new LoopbackPop3Server(h);
            string[] first;
            using (var client = new Pop3Client())
            {
                client.Timeout = 20_000;
                client.Connect("127.0.0.1", server.Port, SecureSocketOptions.None);
                Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
                Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Pipelining));
                client.Authenticate("alice", "secret");
                first = client.GetMessageUids().ToArray();
                Assert.Equal(Messages.Select(m => m.Length), client.GetMessageSizes());
                var msg = client.GetMessage(1);
                Assert.Equal("dots", msg.Subject);
                Assert.StartsWith(".leading dot\r\n..two dots\r\n.\r\n", (msg.TextBody ?? "").Replace("\n", "\r\n").Replace("\r\r\n", "\r\n"), StringComparison.Ordinal);
                client.DeleteMessage(0);
                client.Disconnect(true);
            }
            Assert.Equal(uids, first);
            using (var client = new Pop3Client())
            {
                client.Timeout = 20_000;
                client.Connect("127.0.0.1", server.Port, SecureSocketOptions.None);
                client.Authenticate("alice", "secret");
                Assert.Equal(first.Skip(1), client.GetMessageUids());
                client.Disconnect(true);
            }
        }
    }
}
