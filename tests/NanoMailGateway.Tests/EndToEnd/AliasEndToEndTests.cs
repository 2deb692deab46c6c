// Aliases (README, Aliases) through `nmg run` with real peers: swaks sends to an alias
// whose targets are a local account and a remote address; the local target's copy shows
// up over POP3, the remote one at the relayhost (Postfix's smtp-sink) with the alias as
// its original recipient (RFC 3461 §4.2, ORCPT), and the listener logs the expansion.
// An alias that would pass max_recipients is refused whole with 452 4.5.3 (RFC 5321
// §4.5.3.1.10) while the transaction goes on.

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NanoMailGateway.Tests.Core.SmtpClient;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class AliasEndToEndTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-alias-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        private string Config(int relayPort)
        {
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg,
                "hostname = gw.example\nlocal_domains = plant.example\n" +
                "smtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" +
                "relayhost = [127.0.0.1]:" + relayPort + "\nmax_recipients = 2\n" +
                "user.postmaster = pm\nuser.alerts = al-secret\n" +
                "alias.oncall = alerts, pager@remote.example\nalias.root = postmaster\n");
            return cfg;
        }

        [SkippableFact]
        public void MailToAnAliasReachesALocalMailboxAndARemoteAddress()
        {
            string swaks = Peers.Require("swaks");
            using var sink = new SmtpSinkPeer();
            using var nmg = NmgProcess.Start(Config(sink.Port), Path.Combine(_dir, "data"), "esp32-s3");
            int colon = nmg.Smtp.LastIndexOf(':');
            var r = ProcessRunner.Run(swaks, new[]
            {
                "--server", nmg.Smtp.Substring(0, colon), "--port", nmg.Smtp.Substring(colon + 1),
                "--helo", "boiler.plant.example", "--from", "boiler@plant.example", "--to", "OnCall@plant.example",
                "--header", "Subject: boiler pressure high", "--body", "pressure 3.1 bar",
            }, null, TimeSpan.FromSeconds(30));
            Assert.True(r.ExitCode == 0, "swaks failed: " + r.StdOut + r.StdErr);
            Assert.Contains("<-  250 2.1.5 Ok", r.StdOut);   // the RCPT, answered for the alias as a whole

            string local = Assert.Single(Pop3Mailbox.WaitFor(nmg.Pop3, "alerts", "al-secret", 1));
            Assert.Contains("Subject: boiler pressure high", local);
            Assert.Single(sink.Messages(1, 10000));
            string remote = File.ReadAllText(Assert.Single(Directory.GetFiles(sink.DumpDir)));   // with smtp-sink's envelope lines
            Assert.Contains("Subject: boiler pressure high", remote);
            // Only the remote target travels to the relayhost, naming the address the sender used.
            Assert.Equal(new[] { "X-Rcpt-Args: <pager@remote.example> ORCPT=rfc822;OnCall@plant.example" },
                Regex.Matches(remote, "X-Rcpt-Args:[^\n]*").Select(m => m.Value).ToArray());
            Assert.True(nmg.WaitForOutput("alias: <OnCall@plant.example> -> <alerts@gw.example>, <pager@remote.example>", 5000), nmg.Output);
            nmg.StopClean();
        }

        [SkippableFact]
        public void AnAliasPastMaxRecipientsIsRefusedWholeAndTheTransactionGoesOn()
        {
            using var sink = new SmtpSinkPeer();
            using var nmg = NmgProcess.Start(Config(sink.Port), Path.Combine(_dir, "data"), "esp32-s3");
            using var c = new LineClient(nmg.Smtp);
            Assert.StartsWith("220", c.ReadReply());
            Assert.StartsWith("250", c.Command("EHLO sensor"));
            Assert.StartsWith("250", c.Command("MAIL FROM:<boiler@plant.example>"));
            Assert.StartsWith("250", c.Command("RCPT TO:<alerts@plant.example>"));
            // Two targets on top of one recipient would make three of max_recipients = 2.
            Assert.StartsWith("452 4.5.3 ", c.Command("RCPT TO:<oncall@plant.example>"));
            Assert.StartsWith("550 5.1.1 ", c.Command("RCPT TO:<nobody@plant.example>"));
            Assert.StartsWith("250", c.Command("RCPT TO:<root@plant.example>"));
            Assert.StartsWith("354", c.Command("DATA"));
            string queued = c.Command("Subject: two recipients\r\n\r\nboiler pressure low\r\n.");
            Assert.StartsWith("250", queued);
            Assert.StartsWith("221", c.Command("QUIT"));
            Assert.Single(Pop3Mailbox.WaitFor(nmg.Pop3, "alerts", "al-secret", 1));
            // The refused alias added none of its targets: two recipients, both local.
            string id = Regex.Match(queued, @"queued as (\S+)").Groups[1].Value;
            Assert.True(nmg.WaitForOutput(id + ": from=<boiler@plant.example>, size=", 5000), nmg.Output);
            Assert.Matches(Regex.Escape(id) + @": from=<boiler@plant\.example>, size=\d+, nrcpt=2\n", nmg.Output);
            Assert.True(nmg.WaitForOutput(id + ": to=<postmaster@gw.example>, relay=local", 5000), nmg.Output);
            Assert.Contains("reject: RCPT from [127.0.0.1]: 452 4.5.3 <oncall@plant.example>: alias of 2 would pass max_recipients; from=<boiler@plant.example>", nmg.Output);
            Assert.DoesNotContain("pager@remote.example", nmg.Output);
            nmg.StopClean();
        }
    }
}
