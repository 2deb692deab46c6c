// POP3 through `nmg run` as a child process, on the real queue files: a mailbox is
// filled on the data directory (as local delivery files mail: recipient InMailbox), then
// real clients read it over POP3: curl (list, retr, dele), python3 poplib (octets ==
// LIST size for every message, lines starting with a dot), fetchmail and MailKit's
// Pop3Client. UIDLs are identical across sessions and across a restart of nmg run;
// DELE + QUIT survives the restart; DELE + a dropped connection deletes nothing.

using System;
using System.IO;
using System.Linq;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class Pop3EndToEndTests : IDisposable
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

        internal static readonly string[] Messages =
        {
            "From: sensor@plant.example\r\nTo: alerts@plant.example\r\nSubject: first\r\n\r\nTemperature 21.5\r\n",
            "From: sensor@plant.example\r\nTo: alerts@plant.example\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n",
            "From: MAILER-DAEMON@gw.example\r\nTo: alerts@plant.example\r\nSubject: third\r\n\r\n"
                + string.Concat(Enumerable.Range(0, 800).Select(i => (i % 5 == 0 ? "." : "") + "line " + i + "\r\n")),
        };

        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-pop3-").FullName;
        private readonly string _data;
        private readonly string _config;

        public Pop3EndToEndTests()
        {
            _data = Path.Combine(_dir, "data");
            _config = ByteExactTests.HoldingConfig(_dir, "user.alerts = al-secret\n");
            Seed(_data);
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>Files the three messages in mailbox "alerts" of the esp32-s3 queue in <paramref name="data"/>.</summary>
        private static void Seed(string data)
        {
            var board = new BoardProfile { StorageCapacity = 1536 * 1024, QueueMaxMessages = 256, SmtpSessions = 6 };
            MessageStore s = MessageStore.Open(new HostFileStore(data, false), MailGateway.QueueOptionsFrom(board), new SystemClock());
            foreach (string text in Messages)
            {
                var env = new Envelope("sensor@plant.example");
                env.AddRecipient(new EnvelopeRecipient("alerts@plant.example", true, DsnNotify.Never, null));
                IMessageWriter w = s.BeginLocalMessage(env)!;
                byte[] b = Encoding.ASCII.GetBytes(text);
                w.Write(b, 0, b.Length);
                w.Commit();
                s.SetStatus(s.Find(w.QueueId)!, 0, new RecipientStatus(RecipientState.InMailbox, 1, DateTime.MinValue, "2.0.0", "", "alerts", 0));
            }
            s.Close();
        }

        private NmgProcess Start() => NmgProcess.Start(_config, _data, "esp32-s3");

        private static string Url(NmgProcess nmg) => "pop3://alerts:al-secret@" + nmg.Pop3 + "/";

        /// <summary>
        /// A logged-in raw session. A session that has just ended may hold the mailbox lock a
        /// moment longer on its own thread: [IN-USE] is retried for up to 2 s.
        /// </summary>
        private static LineClient Login(string endpoint)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var c = new LineClient(endpoint);
                Assert.StartsWith("+OK", c.ReadLine());
                Assert.StartsWith("+OK", c.Command("USER alerts"));
                string pass = c.Command("PASS al-secret");
                if (pass.StartsWith("+OK")) return c;
                c.Dispose();
                Assert.True(pass.StartsWith("-ERR [IN-USE]") && sw.ElapsedMilliseconds < 2000, pass);
                System.Threading.Thread.Sleep(50);
            }
        }

        /// <summary>UIDL over a raw session (ends with QUIT).</summary>
        private static string[] Uidl(string endpoint)
        {
            using var c = Login(endpoint);
            Assert.StartsWith("+OK", c.Command("UIDL"));
            var uids = new System.Collections.Generic.List<string>();
            for (string? line = c.ReadLine(); line != "."; line = c.ReadLine())
            {
                Assert.NotNull(line);
                uids.Add(line!.Substring(line.IndexOf(' ') + 1));
            }
            Assert.StartsWith("+OK", c.Command("QUIT"));
            return uids.ToArray();
        }

        [Fact]
        public void A_login_in_other_case_opens_the_same_mailbox()
        {
            using var nmg = Start();
            using var c = new LineClient(nmg.Pop3);
            Assert.StartsWith("+OK", c.ReadLine());
            Assert.StartsWith("+OK", c.Command("USER Alerts"));
            Assert.StartsWith("+OK", c.Command("PASS al-secret"));
            Assert.Equal("+OK 3 " + Messages.Sum(m => m.Length), c.Command("STAT"));
            Assert.StartsWith("+OK", c.Command("QUIT"));
        }

        [Fact]
        public void A_password_guessed_wrong_over_SMTP_slows_the_next_POP3_guess_from_that_address()
        {
            // One throttle for every protocol (README, Password guessing): SMTP's failure
            // counts for the address, so POP3's first failure waits the second delay (2 s),
            // not the first (1 s) as it did when each protocol counted alone.
            string cfg = ByteExactTests.HoldingConfig(_dir, "user.alerts = al-secret\nsmtp_allow_plaintext_auth = yes\n");
            using var nmg = NmgProcess.Start(cfg, _data, "esp32-s3");
            using (var smtp = new LineClient(nmg.Smtp))
            {
                Assert.StartsWith("220 ", smtp.ReadLine());
                smtp.Command("EHLO sensor.plant.example");
                var sw = System.Diagnostics.Stopwatch.StartNew();
                Assert.StartsWith("535 5.7.8", smtp.Command("AUTH PLAIN " + Convert.ToBase64String(Encoding.ASCII.GetBytes("\0alerts\0guess"))));
                Assert.InRange(sw.ElapsedMilliseconds, 900, 1900);
            }
            using var pop = new LineClient(nmg.Pop3);
            Assert.StartsWith("+OK", pop.ReadLine());
            Assert.StartsWith("+OK", pop.Command("USER alerts"));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.StartsWith("-ERR [AUTH]", pop.Command("PASS guess2"));
            Assert.InRange(watch.ElapsedMilliseconds, 1900, 3900);
            // A good login forgets the address: the next wrong one waits the first delay again.
            Assert.StartsWith("+OK", pop.Command("USER alerts"));
            Assert.StartsWith("+OK", pop.Command("PASS al-secret"));
            Assert.StartsWith("+OK", pop.Command("QUIT"));
            using var again = new LineClient(nmg.Pop3);
            Assert.StartsWith("+OK", again.ReadLine());
            Assert.StartsWith("+OK", again.Command("USER alerts"));
            watch.Restart();
            Assert.StartsWith("-ERR [AUTH]", again.Command("PASS guess3"));
            Assert.InRange(watch.ElapsedMilliseconds, 900, 1900);
        }

        [SkippableFact]
        public void CurlListsRetrievesAndDeletes()
        {
            string curl = Peers.Require("curl");
            using var nmg = Start();
            var list = ProcessRunner.Run(curl, new[] { "-sS", Url(nmg) }, null, Deadline);
            Assert.True(list.ExitCode == 0, list.StdErr);
            string expected = string.Concat(Messages.Select((m, i) => (i + 1) + " " + m.Length + "\n"));
            Assert.Equal(expected, list.StdOut.Replace("\r\n", "\n"));
            var retr = ProcessRunner.Run(curl, new[] { "-sS", Url(nmg) + "2" }, null, Deadline);
            Assert.Equal(0, retr.ExitCode);
            Assert.Equal(Messages[1].Replace("\r\n", "\n"), retr.StdOut.Replace("\r\n", "\n"));
            var dele = ProcessRunner.Run(curl, new[] { "-sS", "-X", "DELE", "-I", Url(nmg) + "1" }, null, Deadline);
            Assert.Equal(0, dele.ExitCode);
            list = ProcessRunner.Run(curl, new[] { "-sS", Url(nmg) }, null, Deadline);
            Assert.Equal("1 " + Messages[1].Length + "\n2 " + Messages[2].Length + "\n", list.StdOut.Replace("\r\n", "\n"));
            nmg.StopClean();
        }

        [SkippableFact]
        public void PythonPoplibOctetsEqualListSizesAndDotLinesSurvive()
        {
            string python = Peers.RequirePython("poplib");
            using var nmg = Start();
            string script = @"
import poplib, sys, json
host, port = sys.argv[1].rsplit(':', 1)
p = poplib.POP3(host, int(port), timeout=20)
p.user('alerts'); p.pass_('al-secret')
out = {'msgs': []}
resp, listing, _ = p.list()
for entry in listing:
    num, size = entry.split()
    r, lines, octets = p.retr(int(num))
    out['msgs'].append({'size': int(size), 'octets': octets,
                        'text': b''.join(l + b'\r\n' for l in lines).decode('latin-1')})
p.quit()
print(json.dumps(out))
";
            var r = ProcessRunner.Run(python, new[] { "-c", script, nmg.Pop3 }, null, Deadline);
            Assert.True(r.ExitCode == 0, r.StdErr);
            using var doc = System.Text.Json.JsonDocument.Parse(r.StdOut);
            var msgs = doc.RootElement.GetProperty("msgs").EnumerateArray().ToArray();
            Assert.Equal(Messages.Length, msgs.Length);
            for (int i = 0; i < msgs.Length; i++)
            {
                Assert.Equal(Messages[i].Length, msgs[i].GetProperty("size").GetInt32());
                Assert.Equal(msgs[i].GetProperty("size").GetInt32(), msgs[i].GetProperty("octets").GetInt32());
                Assert.Equal(Messages[i], msgs[i].GetProperty("text").GetString());
            }
            nmg.StopClean();
        }

        [SkippableFact]
        public void FetchmailFetchesEveryMessage()
        {
            string fetchmail = Peers.Require("fetchmail");
            using var nmg = Start();
            string home = Path.Combine(_dir, "home");
            Directory.CreateDirectory(home);
            int colon = nmg.Pop3.LastIndexOf(':');
            string got = Fetchmail.FetchAll(fetchmail, home, int.Parse(nmg.Pop3.Substring(colon + 1), System.Globalization.CultureInfo.InvariantCulture), "alerts", "al-secret", keep: false, Deadline);
            Assert.Contains("Subject: first", got);
            Assert.Contains("\n.leading dot", got);
            Assert.Contains("\n..two dots", got);
            Assert.Contains("line 799", got);
            // Without "keep" fetchmail deletes what it fetched: the mailbox is empty, also after a restart.
            nmg.StopClean();
            using var again = Start();
            Assert.Empty(Uidl(again.Pop3));
        }

        [Fact]
        public void UidsAreStableAcrossSessionsAndRestartsAndDeleNeedsQuit()
        {
            string[] before;
            using (var nmg = Start())
            {
                string[] first;
                using (var client = new Pop3Client())
                {
                    client.Timeout = 20_000;
                    int colon = nmg.Pop3.LastIndexOf(':');
                    client.Connect("127.0.0.1", int.Parse(nmg.Pop3.Substring(colon + 1)), SecureSocketOptions.None);
                    client.Authenticate("alerts", "al-secret");
                    first = client.GetMessageUids().ToArray();
                    Assert.Equal(Messages.Select(m => m.Length), client.GetMessageSizes());
                    Assert.Equal("dots", client.GetMessage(1).Subject);
                    client.Disconnect(true);
                }
                Assert.Equal(3, first.Length);
                Assert.Equal(first, Uidl(nmg.Pop3));

                // DELE and a dropped connection: nothing deleted (RFC 1939 §6: no QUIT, no UPDATE).
                using (var c = Login(nmg.Pop3))
                {
                    Assert.StartsWith("+OK", c.Command("DELE 1"));
                    Assert.StartsWith("+OK", c.Command("DELE 3"));
                }
                before = Uidl(nmg.Pop3);
                Assert.Equal(first, before);
                nmg.StopClean();
            }

            using (var nmg = Start())
            {
                Assert.Equal(before, Uidl(nmg.Pop3));   // identical across a restart
                using (var c = Login(nmg.Pop3))
                {
                    Assert.StartsWith("+OK", c.Command("DELE 2"));
                    Assert.StartsWith("+OK", c.Command("QUIT"));
                }
                nmg.KillHard();                          // not even a clean stop: the UPDATE was durable at +OK
            }

            using (var nmg = Start())
            {
                Assert.Equal(new[] { before[0], before[2] }, Uidl(nmg.Pop3));
                nmg.StopClean();
            }
        }
    }
}
