// IMAP through `nmg run` as a child process, with real clients:
// - a real bounce (python smtplib sends from a local mailbox to a domain dnsmasq answers
//   NXDOMAIN for; the agent files an RFC 3464 report in the sender's mailbox) read back
//   with python imaplib (BODYSTRUCTURE, BODY[n], BODY[n.MIME]) and MailKit's ImapClient
//   (BodyStructure parsed into parts, a part fetched), each part checked against the raw
//   message split at its boundary by the test;
// - neomutt in a detached tmux session: the index shows the messages, Enter opens one and
//   its body shows, q q quits, and the store then holds \Seen for that message only.
// Every wait is bounded; the tmux server (its own socket) and nmg are always torn down.
// NMG_NEOMUTT_CAPTURE=FILE keeps the index's capture (the README's picture is made from it).

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class ImapEndToEndTests : IDisposable
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-imap-e2e-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>nmg run on the S3 profile (IMAP on) with SMTP, POP3 and IMAP on loopback (a trusted network: LOGIN without TLS).</summary>
        private NmgProcess StartNmg(string dnsServers)
        {
            string cfg = Path.Combine(_dir, "imap.cf");
            File.WriteAllLines(cfg, new[]
            {
                "hostname = gw.example", "local_domains = plant.example", "user.postmaster = pm", "user.alerts = al-secret",
                "smtp_listen = 127.0.0.1:0", "pop3_listen = 127.0.0.1:0", "imap_listen = 127.0.0.1:0", "dns_servers = " + dnsServers,
            });
            return NmgProcess.Start(cfg, Path.Combine(_dir, "data"), "esp32-s3");
        }

        private static int Port(string endpoint) => int.Parse(endpoint.Substring(endpoint.LastIndexOf(':') + 1));

        /// <summary>The raw message's parts split at "CRLF--boundary" by hand: (MIME header, body) each.</summary>
        private static (string Mime, string Body)[] SplitParts(string raw, string boundary)
        {
            string[] pieces = raw.Split("\r\n--" + boundary);
            var parts = new (string, string)[pieces.Length - 2];
            for (int k = 1; k < pieces.Length - 1; k++)
            {
                string p = pieces[k].Substring(pieces[k].IndexOf("\r\n", StringComparison.Ordinal) + 2);
                int blank = p.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                parts[k - 1] = (p.Substring(0, blank), p.Substring(blank));
            }
            Assert.StartsWith("--", pieces[^1]);   // the close delimiter
            return parts;
        }

        private static int Lines(string body) => body.Count(ch => ch == '\n') + (body.Length > 0 && !body.EndsWith('\n') ? 1 : 0);

        [SkippableFact]
        public void A_real_bounce_has_its_parts_in_bodystructure_for_imaplib_and_mailkit()
        {
            string python = Peers.RequirePython("imaplib");
            using var dns = new NanoMailGateway.Tests.Core.Dns.DnsmasqFixture();
            dns.EnsureStarted(Peers.Require("dnsmasq"));
            using var nmg = StartNmg(dns.Endpoint);
            string script = @"
import smtplib, imaplib, sys, json, time
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
s.sendmail('alerts@plant.example', ['ops@nowhere.test'], 'From: alerts@plant.example\r\nTo: ops@nowhere.test\r\nSubject: Daily report\r\n\r\nall quiet\r\n', mail_options=['RET=FULL'])
s.quit()
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[2]), timeout=20)
m.login('alerts', 'al-secret')
deadline = time.time() + 30
while int(m.select('INBOX', readonly=True)[1][0]) < 1:
    if time.time() > deadline: sys.exit('no bounce after 30 s')
    time.sleep(0.2)
out = {}
out['bs'] = m.fetch('1', '(BODYSTRUCTURE)')[1][0].decode('latin-1')
for name in ['', '1', '2', '3', '3.MIME']:
    out[name] = m.fetch('1', '(BODY.PEEK[' + name + '])')[1][0][1].decode('latin-1')
m.logout()
print(json.dumps(out))
";
            var r = ProcessRunner.Run(python, new[] { "-c", script, Port(nmg.Smtp).ToString(), Port(nmg.Imap).ToString() }, null, Deadline);
            Assert.True(r.ExitCode == 0, r.StdErr + nmg.Output);
            var o = System.Text.Json.JsonDocument.Parse(r.StdOut).RootElement;
            string raw = o.GetProperty("").GetString()!;
            var mime = MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(raw)));
            var report = Assert.IsAssignableFrom<Multipart>(mime.Body);
            Assert.True(report.ContentType.IsMimeType("multipart", "report"));
            string boundary = report.Boundary!;
            var parts = SplitParts(raw, boundary);
            Assert.Equal(3, parts.Length);
            Assert.Equal(parts[0].Body, o.GetProperty("1").GetString());
            Assert.Equal(parts[1].Body, o.GetProperty("2").GetString());
            Assert.Equal(parts[2].Body, o.GetProperty("3").GetString());
            Assert.Equal(parts[2].Mime, o.GetProperty("3.MIME").GetString());
            Assert.Contains("Action: failed", parts[1].Body);
            string bs = o.GetProperty("bs").GetString()!;
            Assert.Contains("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL \"Notification\" \"7BIT\" " + parts[0].Body.Length + " " + Lines(parts[0].Body) + ")", bs);
            Assert.Contains("(\"MESSAGE\" \"DELIVERY-STATUS\" NIL NIL \"Delivery report\" \"7BIT\" " + parts[1].Body.Length + ")", bs);
            Assert.EndsWith(" \"REPORT\" (\"REPORT-TYPE\" \"delivery-status\" \"BOUNDARY\" \"" + boundary + "\")))", bs);

            using var client = new ImapClient { Timeout = 20_000 };
            client.Connect("127.0.0.1", Port(nmg.Imap), SecureSocketOptions.None);
            client.Authenticate("alerts", "al-secret");
            client.Inbox.Open(FolderAccess.ReadOnly);
            var summary = client.Inbox.Fetch(0, 0, MessageSummaryItems.UniqueId | MessageSummaryItems.BodyStructure).Single();
            var multipart = Assert.IsType<BodyPartMultipart>(summary.Body);
            Assert.True(multipart.ContentType.IsMimeType("multipart", "report"), multipart.ContentType.MimeType);
            Assert.Equal(boundary, multipart.ContentType.Boundary);
            Assert.Equal("delivery-status", multipart.ContentType.Parameters["report-type"]);
            Assert.Equal(3, multipart.BodyParts.Count);
            var text = Assert.IsType<BodyPartText>(multipart.BodyParts[0]);
            Assert.Equal("1", text.PartSpecifier);
            Assert.Equal((uint)parts[0].Body.Length, text.Octets);
            Assert.Equal((uint)Lines(parts[0].Body), text.Lines);
            Assert.True(multipart.BodyParts[1].ContentType.IsMimeType("message", "delivery-status"));
            Assert.Equal((uint)parts[1].Body.Length, ((BodyPartBasic)multipart.BodyParts[1]).Octets);
            // RET=FULL: the whole original, with its own envelope and body (body-type-msg).
            var returned = Assert.IsType<BodyPartMessage>(multipart.BodyParts[2]);
            Assert.True(returned.ContentType.IsMimeType("message", "rfc822"));
            Assert.Equal((uint)parts[2].Body.Length, returned.Octets);
            Assert.Equal("Daily report", returned.Envelope!.Subject);
            Assert.Equal("ops@nowhere.test", returned.Envelope.To.Mailboxes.Single().Address);
            Assert.Equal((uint)Lines(parts[2].Body), returned.Lines);
            var inner = Assert.IsType<BodyPartText>(returned.Body);
            Assert.True(inner.ContentType.IsMimeType("text", "plain"));
            string innerBody = parts[2].Body.Substring(parts[2].Body.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
            Assert.Equal((uint)innerBody.Length, inner.Octets);
            Assert.Equal((uint)Lines(innerBody), inner.Lines);
            // A part fetched alone (BODY[1]) is what the split says.
            var notification = (TextPart)client.Inbox.GetBodyPart(summary.UniqueId, text);
            Assert.Contains("ops@nowhere.test", notification.Text);
            client.Disconnect(true);
            nmg.StopClean();
        }

        /// <summary>Sends one command and reads to its tagged line; returns every line.</summary>
        private static string[] Imap(LineClient c, string tag, string command)
        {
            c.Send(tag + " " + command + "\r\n");
            var lines = new System.Collections.Generic.List<string>();
            for (string? l = c.ReadLine(); ; l = c.ReadLine())
            {
                Assert.NotNull(l);
                lines.Add(l!);
                if (l!.StartsWith(tag + " ", StringComparison.Ordinal)) return lines.ToArray();
            }
        }

        private static void Deliver(string smtp, string subject, string body)
        {
            using var c = new LineClient(smtp);
            c.ReadReply();
            c.Command("EHLO sensor");
            Assert.StartsWith("250", c.Command("MAIL FROM:<boiler@sensors.plant.example>"));
            Assert.StartsWith("250", c.Command("RCPT TO:<alerts@plant.example>"));
            Assert.StartsWith("354", c.Command("DATA"));
            Assert.StartsWith("250", c.Command("From: boiler@sensors.plant.example\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n."));
            c.Command("QUIT");
        }

        [SkippableFact]
        public void Neomutt_in_tmux_lists_opens_and_marks_a_message_seen()
        {
            string tmux = Peers.Require("tmux");
            string neomutt = Peers.Require("neomutt");
            using var nmg = StartNmg("127.0.0.1:9");
            Deliver(nmg.Smtp, "Boiler pressure high", "pressure 3.1 bar");
            Deliver(nmg.Smtp, "Door 4 open", "door 4 opened at 20:05");
            using var imap = new LineClient(nmg.Imap);
            imap.ReadLine();
            Assert.StartsWith("a1 OK", Imap(imap, "a1", "LOGIN alerts al-secret")[^1]);
            var sw = Stopwatch.StartNew();
            while (!Imap(imap, "a2", "STATUS INBOX (MESSAGES)")[0].Contains("MESSAGES 2"))
            {
                Assert.True(sw.ElapsedMilliseconds < 20000, "the two messages are not in the mailbox after 20 s");
                Thread.Sleep(100);
            }

            string home = Path.Combine(_dir, "home");
            Directory.CreateDirectory(home);
            string rc = Path.Combine(home, "muttrc");
            File.WriteAllLines(rc, new[]
            {
                "set folder = \"imap://alerts@127.0.0.1:" + Port(nmg.Imap) + "/\"",
                "set spoolfile = \"+INBOX\"",
                "set imap_user = \"alerts\"", "set imap_pass = \"al-secret\"",
                "set ssl_starttls = no", "set ssl_force_tls = no",   // loopback is a trusted network: LOGIN without TLS
                "set header_cache = \"\"", "set message_cachedir = \"\"", "set record = \"\"", "set postponed = \"\"",
                "set sort = date", "set move = no", "set quit = yes", "set wait_key = no", "set mail_check = 60",
            });
            string socket = "nmg-imap-" + Environment.ProcessId;
            string[] Tmux(params string[] args)
            {
                var r = ProcessRunner.Run(tmux, new[] { "-L", socket, "-f", "/dev/null" }.Concat(args).ToArray(), null, TimeSpan.FromSeconds(10), home);
                return new[] { r.ExitCode.ToString(), r.StdOut, r.StdErr };
            }
            string WaitForScreen(Func<string, bool> ready, string what)
            {
                var wait = Stopwatch.StartNew();
                while (true)
                {
                    string screen = Tmux("capture-pane", "-p", "-t", "mutt")[1];
                    if (ready(screen)) return screen;
                    Assert.True(wait.ElapsedMilliseconds < 20000, what + " not on the screen after 20 s:\n" + screen + nmg.Output);
                    Thread.Sleep(200);
                }
            }
            try
            {
                var started = Tmux("new-session", "-d", "-s", "mutt", "-x", "100", "-y", "24",
                    "HOME='" + home + "' TERM=screen " + neomutt + " -n -F '" + rc + "'");
                Assert.True(started[0] == "0", started[2]);
                string index = WaitForScreen(x => x.Contains("Boiler pressure high") && x.Contains("Door 4 open"), "the index");
                File.WriteAllText(Path.Combine(_dir, "index.txt"), index);
                string? shot = Environment.GetEnvironmentVariable("NMG_NEOMUTT_CAPTURE");
                if (!string.IsNullOrEmpty(shot)) File.WriteAllText(shot, index);

                Tmux("send-keys", "-t", "mutt", "Enter");
                string pager = WaitForScreen(x => x.Contains("pressure 3.1 bar") || x.Contains("door 4 opened at 20:05"), "a message's body");
                string opened = pager.Contains("pressure 3.1 bar") ? "Boiler pressure high" : "Door 4 open";
                Assert.Contains("Subject: " + opened, pager);
                Tmux("send-keys", "-t", "mutt", "q");
                WaitForScreen(x => x.Contains("Door 4 open") && x.Contains("Boiler pressure high") && !x.Contains("Subject: "), "the index again");
                Tmux("send-keys", "-t", "mutt", "q");
                // neomutt syncs the flags as it quits; its session then ends and tmux with it.
                var gone = Stopwatch.StartNew();
                while (Tmux("has-session", "-t", "mutt")[0] == "0")
                {
                    Assert.True(gone.ElapsedMilliseconds < 20000, "neomutt did not quit");
                    Thread.Sleep(100);
                }

                // The store saw \Seen for the opened message only.
                Imap(imap, "a3", "EXAMINE INBOX");
                var flags = Imap(imap, "a4", "FETCH 1:2 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
                string all = string.Join("\n", flags);
                Assert.Equal("a4 OK completed", flags[^1]);
                string[] fetches = all.Split("* ").Where(x => x.Contains("FETCH")).ToArray();
                Assert.Equal(2, fetches.Length);
                foreach (string f in fetches)
                {
                    bool seen = f.Contains("\\Seen");
                    Assert.True(seen == f.Contains("Subject: " + opened), f);
                }
            }
            finally
            {
                Tmux("kill-server");
            }
            nmg.StopClean();
        }
    }
}
