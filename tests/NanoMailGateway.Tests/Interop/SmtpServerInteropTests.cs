// Interop of the SMTP listener with real clients over loopback: MailKit, python3
// smtplib (which never pipelines) and a pipelining python client, swaks (with
// PIPELINING), curl, and Postfix's smtp-source (200 messages over 5 sessions).
// Every message must arrive byte-exact: what the client meant to send (after
// unstuffing), behind our Received: field.

using System;
using System.IO;
using System.Linq;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.Tests.Emulator.Host;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Interop
{
    public class SmtpServerInteropTests
    {
        // A message with everything that tends to break: a leading dot, a lone dot line,
        // long-ish lines, 8-bit text, an empty line in the body.
        private static readonly string Message =
            "From: sensor@plant.example\r\nTo: alerts@gw.example.net\r\nSubject: boiler 3 over temperature\r\n"
            + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <t1@plant.example>\r\n\r\n"
            + "temperature 97.5 C\r\n.leading dot\r\n.\r\n..two dots\r\n\r\n"
            + new string('x', 900) + "\r\nend\r\n";

        private static string TempFile(string content)
        {
            string path = Path.Combine(Path.GetTempPath(), "nmg-smtpd-" + Guid.NewGuid().ToString("N") + ".eml");
            File.WriteAllBytes(path, Encoding.Latin1.GetBytes(content));
            return path;
        }

        [Fact]
        public void MailKit()
        {
            using var server = new LoopbackSmtpServer();
            var msg = new MimeMessage();
            msg.From.Add(MailboxAddress.Parse("sensor@plant.example"));
            msg.To.Add(MailboxAddress.Parse("alerts@gw.example.net"));
            msg.Subject = "MailKit";
            msg.Body = new TextPart("plain") { Text = "line one\n.dot line\n.\nlast\n" };
            using (var client = new SmtpClient())
            {
                client.Connect("127.0.0.1", server.Port, SecureSocketOptions.None);
                Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
                Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Dsn));
                Assert.Equal(5_000_000u, client.MaxSize);
                client.Send(msg);
                client.Send(msg);
                client.Disconnect(true);
            }
            Assert.True(server.Store.WaitFor(2, TimeSpan.FromSeconds(5)));
            using var expected = new MemoryStream();
            msg.WriteTo(FormatOptions.Default.Clone(), expected);
            string exp = Encoding.Latin1.GetString(expected.ToArray()).Replace("\r\n", "\n").Replace("\n", "\r\n");
            foreach (var m in server.Store.Committed())
            {
                Assert.Equal(exp, m.TextAfterReceived);
                Assert.Equal("sensor@plant.example", m.Envelope.Sender);
            }
        }

        [SkippableFact]
        public void PythonSmtplib()
        {
            string python = Peers.RequirePython("smtplib");
            using var server = new LoopbackSmtpServer();
            string file = TempFile(Message);
            try
            {
                string script = "import smtplib,sys\n"
                    + "data=open(sys.argv[2],'rb').read()\n"
                    + "s=smtplib.SMTP('127.0.0.1',int(sys.argv[1]),local_hostname='pyclient')\n"
                    + "s.ehlo()\n"
                    + "assert s.has_extn('pipelining') and s.has_extn('8bitmime') and s.has_extn('dsn')\n"
                    + "s.sendmail('sensor@plant.example',['alerts@gw.example.net','ops@gw.example.net'],data,rcpt_options=['NOTIFY=FAILURE'])\n"
                    + "try:\n  s.sendmail('sensor@plant.example',['x@remote.example'],data)\n  print('relayed!')\nexcept smtplib.SMTPRecipientsRefused as e:\n  print('refused', e.recipients['x@remote.example'][0])\n"
                    + "s.quit()\n";
                var r = ProcessRunner.Run(python, new[] { "-c", script, server.Port.ToString(), file }, null, TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, r.StdErr);
                Assert.Equal("refused 554", r.StdOut.Trim());
            }
            finally { File.Delete(file); }
            var m = Assert.Single(server.Store.Committed());
            Assert.Equal(Message, m.TextAfterReceived);
            Assert.Equal(2, m.Envelope.RecipientCount);
            Assert.Equal(NanoMailGateway.Core.Queue.DsnNotify.Failure, m.Envelope.GetRecipient(1).Notify);
            Assert.StartsWith("Received: from pyclient ([127.0.0.1])\r\n", m.Text);
        }

        [SkippableFact]
        public void PythonSmtplibAuthOverStartTls()
        {
            string python = Peers.RequirePython("ssl");
            using var pki = new TestPki();
            using var server = new LoopbackSmtpServer(tls: new HostTlsProvider(pki.ServerCertFile, pki.ServerKeyFile, null));
            string file = TempFile(Message);
            try
            {
                string script = "import smtplib,ssl,sys\n"
                    + "data=open(sys.argv[2],'rb').read()\n"
                    + "ctx=ssl.create_default_context(cafile=sys.argv[3])\n"
                    + "s=smtplib.SMTP('localhost',int(sys.argv[1]),local_hostname='tlsclient')\n"
                    + "s.ehlo()\n"
                    + "assert s.has_extn('starttls') and not s.has_extn('auth'), 'AUTH offered in plaintext'\n"
                    + "s.starttls(context=ctx)\n"
                    + "s.ehlo()\n"
                    + "assert s.has_extn('auth') and not s.has_extn('starttls')\n"
                    + "try:\n  s.login('alice','wrong')\nexcept smtplib.SMTPAuthenticationError as e:\n  print('bad', e.smtp_code)\n"
                    + "s.login('alice','s3cret')\n"
                    + "s.sendmail('alice@gw.example.net',['friend@remote.example'],data)\n"
                    + "s.quit()\n";
                var r = ProcessRunner.Run(python, new[] { "-c", script, server.Port.ToString(), file, pki.CaFile }, null, TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
                Assert.Equal("bad 535", r.StdOut.Trim());
            }
            finally { File.Delete(file); }
            var m = Assert.Single(server.Store.Committed());
            Assert.Equal(Message, m.TextAfterReceived);
            Assert.Equal("alice", m.Envelope.AuthenticatedUser);
            Assert.False(m.Envelope.GetRecipient(0).IsLocal);
            Assert.Contains(" with ESMTPSA id ", m.Text);
        }

        [Fact]
        public void MailKitAuthOverStartTls()
        {
            using var pki = new TestPki();
            using var server = new LoopbackSmtpServer(tls: new HostTlsProvider(pki.ServerCertFile, pki.ServerKeyFile, null));
            var msg = new MimeMessage();
            msg.From.Add(MailboxAddress.Parse("alice@gw.example.net"));
            msg.To.Add(MailboxAddress.Parse("friend@remote.example"));
            msg.Subject = "over TLS";
            msg.Body = new TextPart("plain") { Text = "secret\n" };
            using (var client = new SmtpClient())
            {
                client.ServerCertificateValidationCallback = (_, _, _, _) => true;
                client.Connect("127.0.0.1", server.Port, SecureSocketOptions.StartTls);
                Assert.True(client.IsSecure);
                client.Authenticate("alice", "s3cret");
                client.Send(msg);
                client.Disconnect(true);
            }
            Assert.True(server.Store.WaitFor(1, TimeSpan.FromSeconds(5)));
            Assert.Equal("alice", server.Store.Committed()[0].Envelope.AuthenticatedUser);
        }

        [SkippableFact]
        public void PythonPipelinedClient()
        {
            string python = Peers.RequirePython("socket");
            using var server = new LoopbackSmtpServer();
            string file = TempFile(Message.Replace("\r\n.", "\r\n.."));
            try
            {
                // One send for the envelope, one for data + QUIT: RFC 2920 batches.
                string script = "import socket,sys\n"
                    + "data=open(sys.argv[2],'rb').read()\n"
                    + "c=socket.create_connection(('127.0.0.1',int(sys.argv[1])))\n"
                    + "f=c.makefile('rb')\n"
                    + "def reply():\n  out=[]\n  while True:\n    l=f.readline().decode()\n    out.append(l[:3])\n    if l[3]==' ': return out[-1]\n"
                    + "codes=[reply()]\n"
                    + "c.sendall(b'EHLO pipe\\r\\n'); codes.append(reply())\n"
                    + "c.sendall(b'MAIL FROM:<sensor@plant.example>\\r\\nRCPT TO:<alerts@gw.example.net>\\r\\nRCPT TO:<x@remote.example>\\r\\nDATA\\r\\n')\n"
                    + "codes += [reply() for i in range(4)]\n"
                    + "c.sendall(data+b'.\\r\\nQUIT\\r\\n')\n"
                    + "codes += [reply(), reply()]\n"
                    + "print(' '.join(codes))\n";
                var r = ProcessRunner.Run(python, new[] { "-c", script, server.Port.ToString(), file }, null, TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, r.StdErr);
                Assert.Equal("220 250 250 250 554 354 250 221", r.StdOut.Trim());
            }
            finally { File.Delete(file); }
            Assert.Equal(Message, Assert.Single(server.Store.Committed()).TextAfterReceived);
        }

        [SkippableFact]
        public void Swaks()
        {
            string swaks = Peers.Require("swaks");
            using var server = new LoopbackSmtpServer();
            // swaks always sends "<data>\r\n.\r\n": the file leaves out the last CRLF.
            string file = TempFile(Message.Substring(0, Message.Length - 2));
            try
            {
                var r = ProcessRunner.Run(swaks, new[] { "--server", "127.0.0.1", "--port", server.Port.ToString(), "--from", "sensor@plant.example",
                    "--to", "alerts@gw.example.net", "--pipeline", "--data", file, "--helo", "swaks-client" }, null, TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
                Assert.Contains("250 2.0.0 Ok: queued as", r.StdOut);
            }
            finally { File.Delete(file); }
            Assert.Equal(Message, Assert.Single(server.Store.Committed()).TextAfterReceived);
        }

        [SkippableFact]
        public void Curl()
        {
            string curl = Peers.Require("curl");
            using var server = new LoopbackSmtpServer();
            string file = TempFile(Message);
            try
            {
                var r = ProcessRunner.Run(curl, new[] { "-sS", "smtp://127.0.0.1:" + server.Port + "/curl-client", "--mail-from", "sensor@plant.example",
                    "--mail-rcpt", "alerts@gw.example.net", "--upload-file", file }, null, TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
            }
            finally { File.Delete(file); }
            Assert.True(server.Store.WaitFor(1, TimeSpan.FromSeconds(5)));
            var m = Assert.Single(server.Store.Committed());
            Assert.Equal(Message, m.TextAfterReceived);
            Assert.Equal("curl-client", m.Envelope.ClientHelo);
        }

        [SkippableFact]
        public void PostfixSmtpSource200MessagesOver5Sessions()
        {
            string source = Peers.Require("smtp-source");
            using var server = new LoopbackSmtpServer(sessions: 6);
            var r = ProcessRunner.Run(source, new[] { "-s", "5", "-m", "200", "-l", "2000", "-f", "sensor@plant.example", "-t", "alerts@gw.example.net",
                "-S", "smtp-source", "127.0.0.1:" + server.Port }, null, TimeSpan.FromSeconds(90));
            Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
            Assert.True(server.Store.WaitFor(200, TimeSpan.FromSeconds(5)));
            var all = server.Store.Committed();
            Assert.Equal(200, all.Length);
            Assert.Equal(200, all.Select(m => m.QueueId).Distinct().Count());
            foreach (var m in all)
            {
                string t = m.TextAfterReceived;
                // smtp-source: its own headers, then -l 2000 octets of body in lines (all of which must arrive intact).
                Assert.StartsWith("From: <sensor@plant.example>\r\nTo: <alerts@gw.example.net>\r\n", t);
                Assert.Contains("Subject: smtp-source\r\n", t);
                Assert.Equal(Expected(all[0].TextAfterReceived), Expected(t));
                Assert.DoesNotContain("\n", t.Replace("\r\n", ""));
            }
            Assert.Equal(0, server.Listener.Refused);
        }

        // smtp-source reconnects the moment it has read 221; with a single slot that races the
        // previous session's closing. The listener's short slot grace must absorb it.
        [SkippableFact]
        public void ImmediateReconnectsFitInOneSlot()
        {
            string source = Peers.Require("smtp-source");
            using var server = new LoopbackSmtpServer(sessions: 1);
            var r = ProcessRunner.Run(source, new[] { "-s", "1", "-m", "100", "-l", "100", "-f", "sensor@plant.example", "-t", "alerts@gw.example.net",
                "127.0.0.1:" + server.Port }, null, TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
            Assert.Equal(100, server.Store.Committed().Length);
            Assert.Equal(0, server.Listener.Refused);
        }

        // Everything but the fields that differ per message (Date:, Message-Id:).
        private static string Expected(string t)
        {
            return string.Join("\r\n", t.Split("\r\n").Where(l => !l.StartsWith("Date:", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase)));
        }
    }
}
