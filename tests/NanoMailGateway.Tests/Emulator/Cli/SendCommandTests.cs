// `nmg send` as a script runs it: the built nmg in a real /bin/sh pipe (printf | nmg send)
// into Postfix's smtp-sink (its dump shows what arrived, its -r/-f switches refuse commands)
// and into `nmg run` (an unknown local mailbox is refused 550 5.1.1, AUTH as a user); the
// usage and data errors in-process through SendCommand.Run.

using System;
using System.IO;
using System.Linq;
using System.Text;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.EndToEnd;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Cli
{
    public class SendCommandTests
    {
        /// <summary>`printf 'INPUT' | [ENV] dotnet nmg.dll send ARGS` in /bin/sh; INPUT uses printf's escapes (\n, \r).</summary>
        private static ProcessResult Pipe(string printfInput, string args, string environment = "")
        {
            string line = "printf '" + printfInput + "' | " + environment + " dotnet '" + NmgProcess.NmgDll + "' send " + args;
            ProcessResult r = ProcessRunner.Run("/bin/sh", new[] { "-c", line }, null, TimeSpan.FromSeconds(60));
            Assert.False(r.TimedOut, "nmg send did not finish: " + r.StdErr);
            return r;
        }

        private static (int Code, string Out, string Err) InProcess(string input, string? server, params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = SendCommand.Run(args, new MemoryStream(Encoding.UTF8.GetBytes(input)),
                name => name == SendCommand.ServerVariable ? server : null, o, e);
            return (code, o.ToString(), e.ToString());
        }

        /// <summary>smtp-sink's dump files as text (its X-*-Args lines show the envelope).</summary>
        private static string[] Dumps(SmtpSinkPeer sink)
        {
            return Directory.GetFiles(sink.DumpDir).Select(File.ReadAllText).ToArray();
        }

        [SkippableFact]
        public void Piped_message_arrives_with_headers_added_Bcc_removed_and_dots_intact()
        {
            using var sink = new SmtpSinkPeer();
            var r = Pipe("To: Ann <ann@x.test>, \"Doe, J\" (ops) <j@x.test>\\nCc: undisclosed:;\\nBcc: hidden@x.test\\nSubject: nightly\\n\\n.\\n..\\n.lead\\r\\nend\\n",
                "-t -i -f alerts@gw.test --server 127.0.0.1:" + sink.Port + " extra@x.test");
            Assert.Equal("", r.StdErr);
            Assert.Equal(0, r.ExitCode);
            byte[] got = Assert.Single(sink.Messages(1));
            string text = Encoding.ASCII.GetString(got);
            Assert.StartsWith("To: Ann <ann@x.test>, \"Doe, J\" (ops) <j@x.test>\nCc: undisclosed:;\nSubject: nightly\nFrom: alerts@gw.test\nDate: ", text);
            Assert.Matches(@"\nDate: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\nMessage-ID: <[0-9a-f]+\.[0-9a-f]{12}@[^>]+>\n\n", text);
            Assert.EndsWith("\n\n.\n..\n.lead\nend\n", text);   // dot-stuffed on the wire, unstuffed by the sink
            Assert.DoesNotContain("hidden", text);
            string dump = Assert.Single(Dumps(sink));
            Assert.Contains("X-Mail-Args: <alerts@gw.test>\n", dump);
            Assert.Contains("X-Rcpt-Args: <extra@x.test>\nX-Rcpt-Args: <ann@x.test>\nX-Rcpt-Args: <j@x.test>\nX-Rcpt-Args: <hidden@x.test>\n", dump);
        }

        [SkippableFact]
        public void Without_i_a_single_dot_ends_the_input_and_the_server_comes_from_NMG_SERVER()
        {
            using var sink = new SmtpSinkPeer();
            var r = Pipe("Subject: x\\nDate: Fri, 4 Dec 2026 10:00:00 +0000\\n\\nfirst\\n.\\nnever sent\\n", "ops@x.test", "NMG_SERVER=127.0.0.1:" + sink.Port);
            Assert.Equal(0, r.ExitCode);
            string text = Encoding.ASCII.GetString(Assert.Single(sink.Messages(1)));
            Assert.Matches(@"^Subject: x\nDate: Fri, 4 Dec 2026 10:00:00 \+0000\nFrom: \S+@\S+\nMessage-ID: <\S+>\n\nfirst\n$", text);
        }

        [SkippableTheory]
        [InlineData("-r", "RCPT", 75, "nmg send: a@x.test: 450 4.3.0 ")]
        [InlineData("-r", "MAIL", 75, "nmg send: a@x.test: 450 4.3.0 ")]
        [InlineData("-r", "DATA", 75, "nmg send: a@x.test: 450 4.3.0 ")]
        [InlineData("-r", ".", 75, "nmg send: a@x.test: 450 4.3.0 ")]
        [InlineData("-f", "RCPT", 69, "nmg send: a@x.test: 500 5.3.0 ")]
        [InlineData("-f", ".", 69, "nmg send: a@x.test: 500 5.3.0 ")]
        [InlineData("-q", ".", 75, "nmg send: 127.0.0.1:")]
        public void Refusals_exit_with_their_sysexits_code(string fault, string command, int exit, string message)
        {
            using var sink = new SmtpSinkPeer(fault, command);
            var r = Pipe("Subject: refused\\n\\nbody\\n", "-i --timeout 10 --server 127.0.0.1:" + sink.Port + " a@x.test");
            Assert.Equal(exit, r.ExitCode);
            Assert.StartsWith(message, r.StdErr);
            Assert.Single(r.StdErr.TrimEnd().Split('\n'));
            if (command != ".") Assert.Empty(Dumps(sink));   // refused before DATA: nothing went out
        }

        [Fact]
        public void A_closed_port_exits_75()
        {
            var r = Pipe("Subject: x\\n\\nbody\\n", "--server 127.0.0.1:" + FreePort.Tcp() + " a@x.test");
            Assert.Equal(75, r.ExitCode);
            Assert.StartsWith("nmg send: connect to 127.0.0.1:", r.StdErr);
            Assert.Single(r.StdErr.TrimEnd().Split('\n'));
        }

        [SkippableFact]
        public void An_unknown_mailbox_abandons_the_whole_send_and_exits_67_and_AUTH_works()
        {
            string dir = Directory.CreateTempSubdirectory("nmg-send-").FullName;
            try
            {
                string cfg = Path.Combine(dir, "main.cf");
                File.WriteAllText(cfg, "hostname = gw.example\nlocal_domains = plant.example\nsmtp_listen = 127.0.0.1:0\n"
                    + "pop3_listen = 127.0.0.1:0\nuser.postmaster = pm\nuser.alerts = al-secret\n");
                using var gw = NmgProcess.Start(cfg, Path.Combine(dir, "data"));
                var refused = Pipe("Subject: both\\n\\nbody\\n", "--server " + gw.Smtp + " alerts@plant.example nobody@plant.example");
                Assert.Equal(67, refused.ExitCode);
                Assert.StartsWith("nmg send: nobody@plant.example: 550 5.1.1 ", refused.StdErr);
                Assert.Single(refused.StdErr.TrimEnd().Split('\n'));
                Assert.DoesNotContain("nrcpt=", gw.Output);   // alerts@ got nothing either

                File.WriteAllText(Path.Combine(dir, "password"), "al-secret\n");
                var sent = Pipe("Subject: one\\n\\nbody\\n", "--user alerts --password-file '" + Path.Combine(dir, "password") + "' --server " + gw.Smtp + " alerts@plant.example");
                Assert.Equal("", sent.StdErr);
                Assert.Equal(0, sent.ExitCode);
                Assert.True(gw.WaitForOutput("nrcpt=1, sasl_username=alerts", 5000), gw.Output);

                var wrong = Pipe("Subject: one\\n\\nbody\\n", "--user alerts --server " + gw.Smtp + " alerts@plant.example", "NMG_PASSWORD=wrong");
                Assert.Equal(75, wrong.ExitCode);   // a refused login is deferred (SmtpClientSession): the cron job tries again
                Assert.Contains("SASL authentication failed", wrong.StdErr);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void No_recipients_exits_65()
        {
            var (code, o, e) = InProcess("To: undisclosed-recipients:;\r\nSubject: x\r\n\r\nbody\r\n", "127.0.0.1:9", "-t");
            Assert.Equal(65, code);
            Assert.Equal("", o);
            Assert.Equal("nmg send: no recipients (give them as arguments, or use -t with To:, Cc: or Bcc:)" + Environment.NewLine, e);
        }

        [Fact]
        public void A_line_over_998_octets_exits_65()
        {
            var (ok, _, _) = InProcess("Subject: x\n\n" + new string('a', 998) + "\n", "127.0.0.1:" + FreePort.Tcp(), "a@x.test");
            Assert.Equal(75, ok);   // 998 is allowed: it got as far as connecting
            var (code, _, e) = InProcess("Subject: x\n\n" + new string('a', 999) + "\n", "127.0.0.1:9", "a@x.test");
            Assert.Equal(65, code);
            Assert.Equal("nmg send: line 3 is longer than 998 octets (RFC 5322 §2.1.1)" + Environment.NewLine, e);
        }

        [Fact]
        public void A_non_ASCII_address_exits_65()
        {
            var (code, _, e) = InProcess("Subject: x\n\nbody\n", "127.0.0.1:9", "jörg@x.test");
            Assert.Equal(65, code);
            Assert.StartsWith("nmg send: jörg@x.test: address is not ASCII", e);
        }

        [Theory]
        [InlineData(null, new[] { "a@x.test" }, "nmg send: no server: give --server HOST[:PORT] or set NMG_SERVER (see nmg send --help)")]
        [InlineData("", new[] { "a@x.test" }, "nmg send: no server: give --server HOST[:PORT] or set NMG_SERVER (see nmg send --help)")]
        [InlineData("gw:0", new[] { "a@x.test" }, "nmg send: bad server 'gw:0' (want HOST[:PORT]) (see nmg send --help)")]
        [InlineData("gw", new[] { "--user", "u", "a@x.test" }, "nmg send: --user needs --password-file FILE or NMG_PASSWORD (see nmg send --help)")]
        [InlineData(null, new[] { "--server", "gw:x", "a@x.test" }, "nmg send: bad --server value 'gw:x' (want HOST[:PORT]) (see nmg send --help)")]
        [InlineData(null, new[] { "--timeout", "0", "--server", "gw" }, "nmg send: bad --timeout value '0' (want 1..3600 seconds) (see nmg send --help)")]
        public void Usage_errors_exit_64(string? server, string[] args, string message)
        {
            var (code, o, e) = InProcess("Subject: x\n\nbody\n", server, args);
            Assert.Equal(64, code);
            Assert.Equal("", o);
            Assert.Equal(message + Environment.NewLine, e);
        }

        [Fact]
        public void Missing_server_in_a_shell_exits_64()
        {
            var r = Pipe("Subject: x\\n\\nbody\\n", "a@x.test", "env -u NMG_SERVER");
            Assert.Equal(64, r.ExitCode);
            Assert.StartsWith("nmg send: no server:", r.StdErr);
        }

        [Fact]
        public void A_missing_password_file_exits_66()
        {
            var (code, _, e) = InProcess("Subject: x\n\nbody\n", "gw", "--user", "u", "--password-file", "/nonexistent/nmg-password", "a@x.test");
            Assert.Equal(66, code);
            Assert.StartsWith("nmg send: cannot read the password file /nonexistent/nmg-password: ", e);
        }
    }
}
