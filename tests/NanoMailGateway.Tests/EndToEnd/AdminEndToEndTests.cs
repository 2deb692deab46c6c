// The admin endpoint of `nmg run` as an operator uses it, with real peers:
//   - Debian's chromium (headless) loads the status page with a deferred message: the DOM
//     holds the queue id and its retry form, the screenshot is not blank; the form from
//     that DOM, submitted as the browser submits it, makes the message go to smtp-sink
//     at once (the relayhost said 4xx before, now it takes mail);
//   - /metrics passes promtool check metrics and its counters match what was sent;
//   - a table of malformed and oversized requests over raw sockets, each answered with
//     its status, and mail still accepted afterwards;
//   - curl deletes a message silently and another with a report to the sender;
//   - nmg queue holds, lists, deletes, flushes and releases, and nmg status reads /metrics.

using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class AdminEndToEndTests : IDisposable
    {
        private const string Password = "pm-secret-7";
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-admin-").FullName;
        private readonly int _relayPort = FreePort.Tcp();

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private NmgProcess StartGateway(out string admin)
        {
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\nadmin_listen = 127.0.0.1:0\n" +
                "relayhost = [127.0.0.1]:" + _relayPort + "\nretry_min = 30m\n" +
                "user.postmaster = " + Password + "\nuser.alerts = al-secret\n");
            NmgProcess nmg = NmgProcess.Start(cfg, Path.Combine(_dir, "data"));
            admin = Regex.Match(nmg.Output, @"admin listening on http://(\S+)/").Groups[1].Value;
            Assert.NotEqual("", admin);
            return nmg;
        }

        private static string Send(NmgProcess nmg, string from, string to)
        {
            using var c = new LineClient(nmg.Smtp);
            Assert.StartsWith("220", c.ReadReply());
            Assert.StartsWith("250", c.Command("EHLO sensor"));
            Assert.StartsWith("250", c.Command("MAIL FROM:<" + from + ">"));
            Assert.StartsWith("250", c.Command("RCPT TO:<" + to + ">"));
            Assert.StartsWith("354", c.Command("DATA"));
            string reply = c.Command("Subject: admin test\r\n\r\nboiler pressure low\r\n.");
            Assert.StartsWith("250", reply);
            Assert.StartsWith("221", c.Command("QUIT"));
            return Regex.Match(reply, @"queued as (\S+)").Groups[1].Value;
        }

        private static void WaitFor(NmgProcess nmg, string text, int count = 1)
        {
            var sw = Stopwatch.StartNew();
            while (Regex.Matches(nmg.Output, Regex.Escape(text)).Count < count)
            {
                Assert.True(sw.ElapsedMilliseconds < 20000, "no '" + text + "' in the log:\n" + nmg.Output);
                Thread.Sleep(50);
            }
        }

        private static ProcessResult Curl(params string[] args)
        {
            ProcessResult r = ProcessRunner.Run(Peers.Require("curl"), args, null, TimeSpan.FromSeconds(30));
            Assert.False(r.TimedOut, "curl timed out");
            return r;
        }

        [SkippableFact]
        public void TheStatusPageInChromiumShowsTheDeferredMessageAndItsRetryFormDeliversAtOnce()
        {
            string chromium = Peers.Require("chromium");
            Peers.Require("smtp-sink");
            using var nmg = StartGateway(out string admin);
            string id;
            // The relayhost answers RCPT with 4xx: deferred for retry_min (30 min).
            using (var soft = new SmtpSinkPeer("127.0.0.1", _relayPort, "-r", "RCPT"))
            {
                id = Send(nmg, "alerts@plant.example", "ops@remote.example");
                WaitFor(nmg, "status=deferred");
            }

            string url = "http://postmaster:" + Password + "@" + admin + "/";
            string profile = Path.Combine(_dir, "chromium");
            string[] flags = { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=412,915" };
            ProcessResult dom = ProcessRunner.Run(chromium, flags.Concat(new[] { "--dump-dom", url }).ToArray(), null, TimeSpan.FromSeconds(90));
            Assert.False(dom.TimedOut, "chromium timed out");
            Assert.Contains("<tr id=\"q-" + id + "\">", dom.StdOut);
            Assert.Contains("deferred", dom.StdOut);
            Assert.Contains("&lt;alerts@plant.example&gt;", dom.StdOut);
            Assert.Contains("id=\"hold-" + id + "\"", dom.StdOut);

            string png = Path.Combine(_dir, "status.png");
            ProcessResult shot = ProcessRunner.Run(chromium, flags.Concat(new[] { "--screenshot=" + png, "--hide-scrollbars", url }).ToArray(), null, TimeSpan.FromSeconds(90));
            Assert.False(shot.TimedOut, "chromium timed out");
            Assert.True(File.Exists(png), "no screenshot: " + shot.StdErr);
            Assert.True(DistinctPixelBytes(File.ReadAllBytes(png)) > 16, "the screenshot is blank");
            string? keep = Environment.GetEnvironmentVariable("NMG_SCREENSHOT");
            if (!string.IsNullOrEmpty(keep)) File.Copy(png, keep, true);

            // The message's retry form, exactly as the browser read it from the page.
            Match form = Regex.Match(dom.StdOut, "<form method=\"post\" action=\"(/queue/retry)\"><input type=\"hidden\" name=\"token\" value=\"([0-9a-f]+)\"><input type=\"hidden\" name=\"id\" value=\"" + id + "\">");
            Assert.True(form.Success, "no retry form for " + id);
            using var sink = new SmtpSinkPeer("127.0.0.1", _relayPort);
            var sw = Stopwatch.StartNew();
            ProcessResult post = Curl("-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-u", "postmaster:" + Password,
                "-H", "Origin: http://" + admin, "-H", "Sec-Fetch-Site: same-origin",
                "--data", "token=" + form.Groups[2].Value + "&id=" + id, "http://" + admin + form.Groups[1].Value);
            // See Other, back to the page (curl puts the -u credentials into the URL it prints).
            Assert.Matches(@"^303 http://\S*" + Regex.Escape(admin) + "/$", post.StdOut);
            byte[] got = Assert.Single(sink.Messages(1, 5000));
            Assert.True(sw.ElapsedMilliseconds < 5000, "retry took " + sw.ElapsedMilliseconds + " ms");
            Assert.Contains("boiler pressure low", Encoding.Latin1.GetString(got));
            WaitFor(nmg, id + ": removed");
        }

        [SkippableFact]
        public void MetricsPassPromtoolAndCountWhatWasSent()
        {
            string promtool = Peers.Require("promtool");
            using var nmg = StartGateway(out string admin);
            Send(nmg, "alerts@plant.example", "ops@remote.example");
            Send(nmg, "alerts@plant.example", "ops@remote.example");
            WaitFor(nmg, "status=deferred", 2);
            using (var c = new LineClient(nmg.Smtp))
            {
                c.ReadReply();
                c.Command("EHLO sensor");
                c.Command("MAIL FROM:<x@outside.example>");
                Assert.StartsWith("550", c.Command("RCPT TO:<nobody@plant.example>"));
            }
            WaitFor(nmg, "reject: RCPT");

            ProcessResult m = Curl("-s", "-f", "-u", "postmaster:" + Password, "http://" + admin + "/metrics");
            Assert.Equal(0, m.ExitCode);
            ProcessResult check = ProcessRunner.Run(promtool, new[] { "check", "metrics" }, m.StdOut, TimeSpan.FromSeconds(30));
            Assert.True(check.ExitCode == 0, "promtool: " + check.StdOut + check.StdErr + "\n" + m.StdOut);
            Assert.Contains("\nnmg_messages_accepted_total 2\n", m.StdOut);
            Assert.Contains("\nnmg_recipients_deferred_total 2\n", m.StdOut);
            Assert.Contains("\nnmg_recipients_delivered_total 0\n", m.StdOut);
            Assert.Contains("\nnmg_smtp_rejects_total{reason=\"no_mailbox\"} 1\n", m.StdOut);
            Assert.Contains("\nnmg_queue_messages 2\n", m.StdOut);
            Assert.Contains("\nnmg_queue_recipients{state=\"deferred\"} 2\n", m.StdOut);

            // The fleet's alert rules (README, Many boards) name only series a gateway serves
            // (the free heap only on a board), and only states it reports.
            string rules = File.ReadAllText(Path.Combine(NanoMailGateway.Tests.Guard.BuildOutput.RepoRoot(), "docs", "fleet", "nmg-alerts.yml"));
            string[] names = Regex.Matches(rules, @"\bnmg_[a-z_]+").Select(x => x.Value).Distinct().ToArray();
            Assert.Contains("nmg_queue_used_bytes", names);
            foreach (string name in names.Where(n => n != "nmg_heap_free_bytes")) Assert.Contains("\n# TYPE " + name + " ", m.StdOut);
            foreach (Match st in Regex.Matches(rules, @"state=~""([a-z|]+)""")) foreach (string state in st.Groups[1].Value.Split('|')) Assert.Contains("{state=\"" + state + "\"}", m.StdOut);
        }

        public static TheoryData<string, string, int> BadRequests()
        {
            string auth = "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("postmaster:" + Password)) + "\r\n";
            string wrong = "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("postmaster:guess")) + "\r\n";
            return new TheoryData<string, string, int>
            {
                { "no Host", "GET / HTTP/1.1\r\n\r\n", 400 },
                { "two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
                { "HTTP/2 request line", "GET / HTTP/2.0\r\nHost: gw\r\n\r\n", 505 },
                { "unknown method", "BREW / HTTP/1.1\r\nHost: gw\r\n\r\n", 501 },
                { "binary garbage", "\u0001\u0002\u00ff\u0000 x\r\n\r\n", 400 },
                { "bare CR in a field", "GET / HTTP/1.1\r\nHost: gw\rX: y\r\n\r\n", 400 },
                { "long target", "GET /" + new string('a', 300) + " HTTP/1.1\r\nHost: gw\r\n\r\n", 414 },
                { "request line over the buffer", "GET /" + new string('a', 5000) + " HTTP/1.1\r\nHost: gw\r\n\r\n", 414 },
                { "field line over the buffer", "GET / HTTP/1.1\r\nHost: gw\r\nX-Big: " + new string('b', 5000) + "\r\n\r\n", 431 },
                { "too many fields", "GET / HTTP/1.1\r\nHost: gw\r\n" + string.Concat(Enumerable.Repeat("X-A: 1\r\n", 70)) + "\r\n", 431 },
                { "obs-fold", "GET / HTTP/1.1\r\nHost: gw\r\n folded\r\n\r\n", 400 },
                { "space before colon", "GET / HTTP/1.1\r\nHost : gw\r\n\r\n", 400 },
                { "POST without length", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\n" + auth + "\r\n", 411 },
                { "huge body", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n", 413 },
                { "chunked", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501 },
                { "chunked and length", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc", 400 },
                { "no credentials", "GET / HTTP/1.1\r\nHost: gw\r\n\r\n", 401 },
                { "wrong password", "GET / HTTP/1.1\r\nHost: gw\r\n" + wrong + "\r\n", 401 },
                { "POST to the page", "POST / HTTP/1.1\r\nHost: gw\r\n" + auth + "Content-Length: 0\r\n\r\n", 405 },
                { "GET of an action", "GET /queue/retry HTTP/1.1\r\nHost: gw\r\n" + auth + "\r\n", 405 },
                { "unknown path", "GET /etc/passwd HTTP/1.1\r\nHost: gw\r\n" + auth + "\r\n", 404 },
                { "action without token or header", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\n" + auth + "Content-Length: 0\r\n\r\n", 403 },
                { "action with a wrong token", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\n" + auth + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\ntoken=abc", 403 },
                { "action from another origin", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\n" + auth + "X-Requested-By: x\r\nOrigin: http://evil.example\r\nContent-Length: 0\r\n\r\n", 403 },
                { "action cross-site", "POST /queue/retry HTTP/1.1\r\nHost: gw\r\n" + auth + "X-Requested-By: x\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 0\r\n\r\n", 403 },
                { "delete of no message", "POST /queue/delete HTTP/1.1\r\nHost: gw\r\n" + auth + "X-Requested-By: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 19\r\n\r\nid=zzzzzz&bounce=no", 404 },
                { "delete without bounce choice", "POST /queue/delete HTTP/1.1\r\nHost: gw\r\n" + auth + "X-Requested-By: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nid=00000001", 400 },
                { "a good request", "GET /metrics HTTP/1.1\r\nHost: gw\r\n" + auth + "\r\n", 200 },
                { "silence", "", 408 },
            };
        }

        [SkippableFact]
        public void MalformedAndOversizedRequestsGetTheirStatusAndMailStillFlows()
        {
            using var nmg = StartGateway(out string admin);
            var failures = new StringBuilder();
            foreach (object[] row in BadRequests())
            {
                string name = (string)row[0];
                int want = (int)row[2];
                string got = Exchange(admin, Encoding.Latin1.GetBytes((string)row[1]));
                if (!got.StartsWith("HTTP/1.1 " + want + " ", StringComparison.Ordinal)) failures.Append(name + ": wanted " + want + ", got '" + got + "'\n");
                if (want == 401 && !got.Contains("WWW-Authenticate: Basic realm=\"nmg\"")) failures.Append(name + ": no WWW-Authenticate\n");
            }
            Assert.True(failures.Length == 0, failures.ToString());
            Assert.NotEqual("", Send(nmg, "alerts@plant.example", "ops@remote.example"));
        }

        [SkippableFact]
        public void CurlDeletesOneMessageSilentlyAndAnotherWithAReportToTheSender()
        {
            using var nmg = StartGateway(out string admin);
            string quiet = Send(nmg, "alerts@plant.example", "ops@remote.example");
            string loud = Send(nmg, "alerts@plant.example", "ops@remote.example");
            WaitFor(nmg, "status=deferred", 2);
            string[] common = { "-s", "-u", "postmaster:" + Password, "-H", "X-Requested-By: test" };
            ProcessResult d1 = Curl(common.Concat(new[] { "--data", "id=" + quiet + "&bounce=no", "http://" + admin + "/queue/delete" }).ToArray());
            Assert.Equal("deleted 1 recipient(s)\n", d1.StdOut);
            ProcessResult d2 = Curl(common.Concat(new[] { "--data", "id=" + loud + "&bounce=yes", "http://" + admin + "/queue/delete" }).ToArray());
            Assert.Equal("deleted 1 recipient(s), report to the sender\n", d2.StdOut);
            WaitFor(nmg, loud + ": removed");
            ProcessResult list = Curl("-s", "-u", "postmaster:" + Password, "http://" + admin + "/queue");
            // Left: only the report, in alerts' mailbox.
            Assert.DoesNotContain(quiet + " ", list.StdOut);
            Assert.DoesNotContain(loud + " ", list.StdOut);
            Assert.Matches(@"(?m)^\S+ \d+ \S+ <>\n    alerts@plant\.example mailbox\b", list.StdOut);
            Assert.EndsWith(" Kbytes in 1 Requests.\n", list.StdOut);
        }

        // nmg queue and nmg status against the running gateway, as an operator types them
        // (in process: the same parser and HTTP client as the nmg binary).
        private (int code, string stdout, string stderr) Nmg(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = NanoMailGateway.Emulator.Cli.CommandLine.Run(args, o, e);
            return (code, o.ToString(), e.ToString());
        }

        [SkippableFact]
        public void NmgQueueHoldsReleasesFlushesAndDeletesAndNmgStatusReadsTheMetrics()
        {
            Peers.Require("smtp-sink");
            using var nmg = StartGateway(out string admin);
            string pw = Path.Combine(_dir, "pw");
            File.WriteAllText(pw, Password + "\n");
            string[] at = { "--gateway", "http://" + admin, "--password-file", pw };
            string held, other, doomed;
            using (var soft = new SmtpSinkPeer("127.0.0.1", _relayPort, "-r", "RCPT"))
            {
                held = Send(nmg, "alerts@plant.example", "ops@remote.example");
                other = Send(nmg, "alerts@plant.example", "ops@remote.example");
                doomed = Send(nmg, "alerts@plant.example", "ops@remote.example");
                WaitFor(nmg, "status=deferred", 3);
            }

            Assert.Equal((0, "held 1 recipient(s)\n", ""), Nmg(new[] { "queue", "hold", held }.Concat(at).ToArray()));
            var list = Nmg(new[] { "queue", "list" }.Concat(at).ToArray());
            Assert.Equal(0, list.code);
            Assert.Matches(@"(?m)^" + held + @" \d+ \S+ <alerts@plant\.example>\n    ops@remote\.example held \(4\.", list.stdout);
            Assert.Equal((0, "deleted 1 recipient(s)\n", ""), Nmg(new[] { "queue", "delete", doomed }.Concat(at).ToArray()));

            using var sink = new SmtpSinkPeer("127.0.0.1", _relayPort);
            // flush (postqueue -f): the deferred message goes at once, the held one stays.
            Assert.Equal((0, "retried 1 recipient(s)\n", ""), Nmg(new[] { "queue", "flush" }.Concat(at).ToArray()));
            Assert.Single(sink.Messages(1, 5000));
            WaitFor(nmg, other + ": removed");
            Thread.Sleep(1000);
            Assert.Single(sink.Messages(1, 100));
            Assert.Contains(held + " ", Nmg(new[] { "queue", "list" }.Concat(at).ToArray()).stdout);

            var sw = Stopwatch.StartNew();
            Assert.Equal((0, "released 1 recipient(s)\n", ""), Nmg(new[] { "queue", "release", "ALL" }.Concat(at).ToArray()));
            Assert.Equal(2, sink.Messages(2, 5000).Count);
            Assert.True(sw.ElapsedMilliseconds < 5000, "release took " + sw.ElapsedMilliseconds + " ms");
            WaitFor(nmg, held + ": removed");

            var status = Nmg(new[] { "status" }.Concat(at).ToArray());
            Assert.Equal(0, status.code);
            Assert.Matches(@"^gateway     http://" + Regex.Escape(admin) + @"/, up \d+s\n", status.stdout);
            Assert.Contains("\nsince start 3 accepted, 2 delivered, 3 deferred, 0 bounced\n", status.stdout);
            Assert.Contains("\nrecipients  none\n", status.stdout);

            // What goes wrong, each with its sysexits code and one line.
            var missing = Nmg(new[] { "queue", "delete", "0000zzzz" }.Concat(at).ToArray());
            Assert.Equal((66, "", "nmg queue: no message 0000zzzz in the queue\n"), missing);
            File.WriteAllText(pw, "wrong\n");
            var refused = Nmg(new[] { "status" }.Concat(at).ToArray());
            Assert.Equal(77, refused.code);
            Assert.StartsWith("nmg status: the gateway refused the password (401)", refused.stderr);
            var closed = Nmg("queue", "list", "--gateway", "127.0.0.1:" + FreePort.Tcp(), "--password-file", pw);
            Assert.Equal(69, closed.code);
            Assert.StartsWith("nmg queue: cannot reach the gateway at http://127.0.0.1:", closed.stderr);
            Assert.Equal(64, Nmg(new[] { "queue", "hold" }.Concat(at).ToArray()).code);
            Assert.Equal("nmg queue: delete needs one queue ID (see nmg queue --help)\n", Nmg(new[] { "queue", "delete", "ALL" }.Concat(at).ToArray()).stderr);
        }

        // Sends a raw request and returns the status line and the header fields of the answer.
        private static string Exchange(string endpoint, byte[] request)
        {
            int colon = endpoint.LastIndexOf(':');
            using var tcp = new TcpClient(endpoint.Substring(0, colon), int.Parse(endpoint.Substring(colon + 1)));
            tcp.ReceiveTimeout = 30000;
            NetworkStream s = tcp.GetStream();
            try
            {
                if (request.Length > 0) s.Write(request, 0, request.Length);
            }
            catch (IOException)
            {
                // The server may answer and close before it read everything.
            }
            var answer = new MemoryStream();
            byte[] b = new byte[4096];
            try
            {
                int n;
                while ((n = s.Read(b, 0, b.Length)) > 0) answer.Write(b, 0, n);
            }
            catch (IOException e)
            {
                if (answer.Length == 0) return "reset: " + e.Message;
            }
            string text = Encoding.Latin1.GetString(answer.ToArray());
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return end < 0 ? text : text.Substring(0, end);
        }

        // The distinct byte values of a PNG's decompressed image data: a blank page is one
        // colour (a handful of values once filtered), a page with text and tables many.
        private static int DistinctPixelBytes(byte[] png)
        {
            var idat = new MemoryStream();
            for (int i = 8; i + 8 <= png.Length;)
            {
                int len = (png[i] << 24) | (png[i + 1] << 16) | (png[i + 2] << 8) | png[i + 3];
                string type = Encoding.ASCII.GetString(png, i + 4, 4);
                if (type == "IDAT") idat.Write(png, i + 8, len);
                i += 12 + len;
            }
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            var raw = new MemoryStream();
            z.CopyTo(raw);
            return raw.ToArray().Distinct().Count();
        }
    }
}
