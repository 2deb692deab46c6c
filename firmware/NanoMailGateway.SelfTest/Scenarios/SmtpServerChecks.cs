// Scenario: SMTP listener transcripts (Core/Smtp, RFC 5321) over an in-memory connection
// into TinyMessageStore, every command pipelined (RFC 2920):
// - a whole transaction with dot-stuffing undone (§4.5.2) and the queue id in the 250;
// - pipelined batches answered in order, a bad RCPT inside a batch refused alone;
// - every non-standard end-of-data sequence is content, never an end (SMTP smuggling,
//   CVE-2023-51764): the smuggled commands end up inside the one queued message;
// - an over-long command line (§4.5.3.1.4) and an over-long text line (§4.5.3.1.6);
// - bad syntax and bad sequence (§4.2.4, RFC 3463 codes), the error limit (421 4.7.0);
// - no open relay: a foreign domain from an untrusted address is refused;
// - a session that cannot rent its buffers is refused with 421 4.3.2 (ARCHITECTURE.md, Memory).
// - STARTTLS (RFC 3207 §4.2): plaintext pipelined behind it is discarded, never obeyed
//   (CVE-2011-0411), on MemoryTlsProvider's pretend TLS;
// - AUTH PLAIN (RFC 4954, RFC 4616): refused without TLS from an untrusted address
//   (538 5.7.11), accepted over TLS, and then relaying is allowed; a wrong password is
//   535 5.7.8.
// Left out on purpose: real TLS (no certificates on the board for a test; the host's
// xunit tests run STARTTLS with real certificates).

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Core.Smtp;

namespace NanoMailGateway.SelfTest
{
    /// <summary>SMTP server transcript checks.</summary>
    public static class SmtpServerChecks
    {
        private const string Untrusted = "198.51.100.7";
        private const string Trusted = "192.0.2.10";
        // The longest transcript here is about 620 octets (smtp.error-limit); a server that
        // sends more blocks until its send deadline and the check fails.
        private const int ReplyCapacity = 768;
        private const string Hello = "EHLO sensor.example.org\r\n";
        private const string Envelope = "MAIL FROM:<sensor@example.org>\r\nRCPT TO:<ops@gw.example.org>\r\nDATA\r\n";
        private const string Smuggled = "MAIL FROM:<evil@example.net>\r\nRCPT TO:<victim@gw.example.org>\r\nDATA\r\nsmuggled\r\n";

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("smtp.transaction-dot-stuffing", new Check(TransactionWithDotStuffing));
            r.Run("smtp.pipelining", new Check(Pipelining));
            r.Run("smtp.end-of-data.lf-dot-lf", new Check(EndLfDotLf));
            r.Run("smtp.end-of-data.lf-dot-crlf", new Check(EndLfDotCrLf));
            r.Run("smtp.end-of-data.cr-dot-cr", new Check(EndCrDotCr));
            r.Run("smtp.end-of-data.crlf-dot-lf", new Check(EndCrLfDotLf));
            r.Run("smtp.end-of-data.cr-dot-crlf", new Check(EndCrDotCrLf));
            r.Run("smtp.end-of-data.crlf-dot-cr", new Check(EndCrLfDotCr));
            r.Run("smtp.long-command-line", new Check(LongCommandLine));
            r.Run("smtp.long-text-line", new Check(LongTextLine));
            r.Run("smtp.bad-syntax", new Check(BadSyntax));
            r.Run("smtp.error-limit", new Check(ErrorLimit));
            r.Run("smtp.no-open-relay", new Check(NoOpenRelay));
            r.Run("smtp.no-buffers-421", new Check(NoBuffers421));
            r.Run("smtp.starttls-discards-plaintext", new Check(StartTlsDiscardsPlaintext));
            r.Run("smtp.auth-only-over-tls", new Check(AuthOnlyOverTls));
            r.Run("smtp.auth-wrong-password", new Check(AuthWrongPassword));
        }

        private sealed class Fixture
        {
            public readonly TinyMessageStore Store = new TinyMessageStore(2048);
            public readonly BufferPool Pool = new BufferPool("smtp", SmtpServer.MinBufferSize, SmtpServer.BuffersPerSession);
            public readonly SmtpServer Server;
            private int _sessions;

            public Fixture()
            {
                AccountDirectory accounts = new AccountDirectory();
                accounts.Add("sensor7", "pump-secret");
                SmtpServerOptions o = new SmtpServerOptions();
                o.HostName = "gw.example.org";
                string[] local = { "gw.example.org" };
                o.LocalDomains = local;
                o.MessageSizeLimit = 1900;
                o.MaxRecipients = 5;
                o.ErrorLimit = 10;
                o.CommandTimeoutMs = 2000;
                o.DataTimeoutMs = 2000;
                o.SendTimeoutMs = 2000;
                StepClock clock = new StepClock();
                Server = new SmtpServer(o, Store, Pool, new MemoryTlsProvider(true, false), new OneAddressTrusted(Trusted), accounts,
                    new AuthThrottle(clock, 1, 2, 2, 60000), clock, new QuietLog());
            }

            public Transcript Session(string script, string clientAddress)
            {
                return Session(script, clientAddress, false);
            }

            public Transcript Session(string script, string clientAddress, bool secure)
            {
                int before = Pool.InUse;
                Transcript t = ScriptedSession.Run(Serve, script, ReplyCapacity, clientAddress, secure);
                Expect.Equal(before, Pool.InUse, "pool buffers in use after the session");
                return t;
            }

            private void Serve(IConnection c)
            {
                _sessions++;
                SmtpServerSession? s = Server.CreateSession(c, _sessions);
                if (s == null)
                {
                    // What the listener does when a session cannot get its buffers.
                    Server.Refuse(c);
                    return;
                }
                s.Run();
            }
        }

        private static void TransactionWithDotStuffing()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Hello + Envelope
                + "Subject: stuffed\r\n\r\n..leading dot\r\n..\r\n...\r\nend\r\n.\r\nQUIT\r\n", Untrusted);
            Expect.StartsWith("220 ", t.Line(0), "greeting");
            int ok = t.Find("250 2.1.0", 1);
            Expect.True(ok > 0, "MAIL accepted: " + t.Line(t.Count - 3));
            Expect.StartsWith("250 2.1.5", t.Line(ok + 1), "RCPT");
            Expect.StartsWith("354 ", t.Line(ok + 2), "DATA");
            Expect.StartsWith("250 2.0.0", t.Line(ok + 3), "end of data");
            Expect.Equal(1, f.Store.Count, "queued messages");
            Expect.Contains(f.Store.QueueIdOf(0), t.Line(ok + 3), "the 250 names the queue id");
            Expect.StartsWith("221 ", t.Last, "QUIT");
            string m = f.Store.TextOf(0);
            Expect.Contains("\r\n\r\n.leading dot\r\n.\r\n..\r\nend\r\n", m, "dot-stuffing undone, message ends there");
            Expect.True(m.Length > 5 && m.Substring(m.Length - 5) == "end\r\n", "stored message ends with the last line and CRLF");
            Expect.Equal("sensor@example.org", f.Store.EnvelopeOf(0).Sender, "sender");
            Expect.Equal("ops@gw.example.org", f.Store.EnvelopeOf(0).GetRecipient(0).Address, "recipient");
        }

        private static void Pipelining()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Hello
                + "MAIL FROM:<sensor@example.org>\r\nRCPT TO:<a@gw.example.org>\r\nRCPT TO:<not an address>\r\nRCPT TO:<b@gw.example.org>\r\nDATA\r\n"
                + "Subject: batch\r\n\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n", Untrusted);
            Expect.True(t.Find("250-PIPELINING", 0) > 0 || t.Find("250 PIPELINING", 0) > 0, "EHLO advertises PIPELINING");
            int mail = t.Find("250 2.1.0", 0);
            Expect.True(mail > 0, "MAIL accepted");
            Expect.StartsWith("250 2.1.5", t.Line(mail + 1), "RCPT a");
            Expect.StartsWith("501 ", t.Line(mail + 2), "RCPT of a bad address");
            Expect.StartsWith("250 2.1.5", t.Line(mail + 3), "RCPT b");
            Expect.StartsWith("354 ", t.Line(mail + 4), "DATA");
            Expect.StartsWith("250 2.0.0", t.Line(mail + 5), "queued");
            Expect.StartsWith("250 ", t.Line(mail + 6), "NOOP");
            Expect.StartsWith("221 ", t.Line(mail + 7), "QUIT");
            Expect.Equal(mail + 8, t.Count, "one reply per command, nothing else");
            Expect.Equal(2, f.Store.EnvelopeOf(0).RecipientCount, "recipients");
        }

        /// <summary>
        /// Sends a message whose body holds <paramref name="sequence"/> followed by a whole
        /// smuggled transaction, then the real end; expects one message holding it all.
        /// </summary>
        private static void SmuggledEnd(string sequence)
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Hello + Envelope + "Subject: smuggle\r\n\r\nfirst" + sequence + Smuggled + ".\r\nQUIT\r\n", Untrusted);
            Expect.Equal(1, t.CountStartingWith("354 "), "354 replies (a second DATA was obeyed)");
            Expect.Equal(1, t.CountStartingWith("250 2.0.0"), "messages accepted");
            Expect.StartsWith("221 ", t.Last, "QUIT after the real end");
            Expect.Equal(1, f.Store.Count, "queued messages");
            string m = f.Store.TextOf(0);
            Expect.Contains("first", m, "content before the sequence");
            Expect.Contains("MAIL FROM:<evil@example.net>", m, "smuggled MAIL is content");
            Expect.Contains("smuggled\r\n", m, "smuggled body is content");
            Expect.Equal(1, f.Store.EnvelopeOf(0).RecipientCount, "recipients");
            // Bare CR and bare LF never reach the queue raw (README "SMTP listener").
            for (int i = 0; i < m.Length; i++)
            {
                if (m[i] == '\r' && (i + 1 >= m.Length || m[i + 1] != '\n')) Expect.Fail("bare CR stored at " + i.ToString());
                if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) Expect.Fail("bare LF stored at " + i.ToString());
            }
        }

        private static void EndLfDotLf() { SmuggledEnd("\n.\n"); }

        private static void EndLfDotCrLf() { SmuggledEnd("\n.\r\n"); }

        private static void EndCrDotCr() { SmuggledEnd("\r.\r"); }

        private static void EndCrLfDotLf() { SmuggledEnd("\r\n.\n"); }

        private static void EndCrDotCrLf() { SmuggledEnd("\r.\r\n"); }

        private static void EndCrLfDotCr() { SmuggledEnd("\r\n.\r"); }

        private static void LongCommandLine()
        {
            Fixture f = new Fixture();
            // The long argument is made inline: a local would keep a second copy alive meanwhile.
            Transcript t = f.Session(Hello + "NOOP " + new string('a', 600) + "\r\nNOOP\r\nQUIT\r\n", Untrusted);
            int i = t.Find("500 5.5.2", 0);
            Expect.True(i > 0, "a 600-octet command line is refused with 500 5.5.2");
            Expect.StartsWith("250 ", t.Line(i + 1), "the session goes on after the drained line");
            Expect.StartsWith("221 ", t.Line(i + 2), "QUIT");
        }

        private static void LongTextLine()
        {
            Fixture f = new Fixture();
            // The long line is made inline: a local would keep a second copy alive meanwhile.
            Transcript t = f.Session(Hello + Envelope + "Subject: long\r\n\r\n" + new string('x', 1200) + "\r\n.\r\nQUIT\r\n", Untrusted);
            int i = t.Find("354 ", 0);
            Expect.True(i > 0, "DATA accepted");
            Expect.StartsWith("554 5.6.0", t.Line(i + 1), "a 1200-octet text line (RFC 5321 §4.5.3.1.6)");
            Expect.StartsWith("221 ", t.Line(i + 2), "QUIT read as a command after the real end");
            Expect.Equal(0, f.Store.Count, "nothing queued");
            Expect.Equal(1, f.Store.Aborted, "the message was aborted");
        }

        private static void BadSyntax()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session("MAIL FROM:<a@example.org>\r\nEHLO\r\n" + Hello
                + "RCPT TO:<ops@gw.example.org>\r\nDATA\r\nMAIL FROM:<a@example.org\r\nMAIL FROM:<a@example.org> SIZE=abc\r\nFROB\r\nQUIT\r\n", Untrusted);
            Expect.StartsWith("503 5.5.1", t.Line(1), "MAIL before EHLO");
            Expect.StartsWith("501 5.5.4", t.Line(2), "EHLO without a name");
            int ehlo = t.Find("250 ", 3);
            Expect.True(ehlo > 0, "EHLO accepted");
            Expect.StartsWith("503 5.5.1", t.Line(ehlo + 1), "RCPT before MAIL");
            Expect.StartsWith("503 5.5.1", t.Line(ehlo + 2), "DATA before MAIL");
            Expect.StartsWith("501 5.", t.Line(ehlo + 3), "MAIL without the closing angle bracket");
            Expect.StartsWith("501 5.5.4", t.Line(ehlo + 4), "SIZE=abc");
            Expect.StartsWith("502 5.5.2", t.Line(ehlo + 5), "unknown command");
            Expect.StartsWith("221 ", t.Line(ehlo + 6), "QUIT");
            Expect.Equal(0, f.Store.Count, "nothing queued");
        }

        private static void ErrorLimit()
        {
            Fixture f = new Fixture();
            string frobs = "";
            for (int i = 0; i < 11; i++) frobs += "FROB\r\n";
            Transcript t = f.Session(Hello + frobs + "NOOP\r\n", Untrusted);
            Expect.StartsWith("421 4.7.0", t.Last, "the session ends with 421 4.7.0 at the error limit");
            Expect.True(t.CountStartingWith("502 ") <= 10, "at most ErrorLimit refusals before 421");
            Expect.Equal(-1, t.Find("250 2.0.0", 0), "NOOP after the limit is never answered");
        }

        private static void NoOpenRelay()
        {
            // Two sessions on one server, each in its own method so that the first
            // transcript is garbage while the second session runs (the interpreter keeps a
            // method's locals until it returns).
            Fixture f = new Fixture();
            UntrustedCannotRelay(f);
            TrustedMayRelay(f);
        }

        private static void UntrustedCannotRelay(Fixture f)
        {
            Transcript t = f.Session(Hello + "MAIL FROM:<sensor@example.org>\r\nRCPT TO:<someone@example.net>\r\n"
                + "RCPT TO:<someone%example.net@gw.example.org>\r\nRCPT TO:<ops@gw.example.org>\r\nDATA\r\nSubject: relay\r\n\r\nx\r\n.\r\nQUIT\r\n", Untrusted);
            int mail = t.Find("250 2.1.0", 0);
            Expect.True(mail > 0, "MAIL accepted");
            Expect.StartsWith("554 5.7.1", t.Line(mail + 1), "relay to a foreign domain from an untrusted address");
            Expect.Equal(1, f.Store.Count, "the local message was queued");
            // The '%' hack is refused or lands in a local mailbox; it never becomes a remote recipient.
            NanoMailGateway.Core.Queue.Envelope e = f.Store.EnvelopeOf(0);
            for (int i = 0; i < e.RecipientCount; i++)
            {
                Expect.True(e.GetRecipient(i).IsLocal, "untrusted client got a remote recipient: " + e.GetRecipient(i).Address);
            }
        }

        private static void TrustedMayRelay(Fixture f)
        {
            Transcript t = f.Session(Hello + "MAIL FROM:<sensor@example.org>\r\nRCPT TO:<someone@example.net>\r\nQUIT\r\n", Trusted);
            int mail = t.Find("250 2.1.0", 0);
            Expect.StartsWith("250 2.1.5", t.Line(mail + 1), "relay from the trusted address");
        }

        private static void NoBuffers421()
        {
            Fixture f = new Fixture();
            byte[][]? held = f.Pool.TryRentSet(SmtpServer.BuffersPerSession);
            Expect.NotNull(held, "rent the whole pool");
            Transcript t = f.Session(Hello + "QUIT\r\n", Untrusted);
            Expect.StartsWith("421 4.3.2", t.Line(0), "refusal instead of the greeting");
            Expect.Equal(1, t.Count, "nothing after the refusal");
            Expect.Equal(SmtpServer.BuffersPerSession, f.Pool.Capacity, "the pool did not grow");
            f.Pool.ReturnSet(held!);
            t = f.Session(Hello + "QUIT\r\n", Untrusted);
            Expect.StartsWith("220 ", t.Line(0), "served again once the buffers are back");
        }

        // "\0sensor7\0pump-secret" and "\0sensor7\0wrong" in base64 (RFC 4616 §2: authzid, authcid, passwd).
        private const string GoodPlain = "AHNlbnNvcjcAcHVtcC1zZWNyZXQ=";
        private const string BadPlain = "AHNlbnNvcjcAd3Jvbmc=";

        private static void StartTlsDiscardsPlaintext()
        {
            Fixture f = new Fixture();
            // The injected transaction rides in the same packet as STARTTLS (CVE-2011-0411).
            Transcript t = f.Session(Hello + "STARTTLS\r\nMAIL FROM:<evil@example.net>\r\nRCPT TO:<ops@gw.example.org>\r\nDATA\r\nx\r\n.\r\n", Untrusted);
            Expect.True(t.Find("250-STARTTLS", 0) > 0 || t.Find("250 STARTTLS", 0) > 0, "EHLO advertises STARTTLS");
            int ready = t.Find("220 2.0.0", 1);
            Expect.True(ready > 0, "STARTTLS accepted");
            Expect.Equal(ready + 1, t.Count, "nothing answered after STARTTLS: the pipelined plaintext was discarded");
            Expect.Equal(0, f.Store.Count, "nothing queued");
        }

        private static void AuthOnlyOverTls()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Hello + "AUTH PLAIN " + GoodPlain + "\r\nQUIT\r\n", Untrusted);
            Expect.True(t.Find("538 5.7.11", 0) > 0, "AUTH in plaintext from an untrusted address (RFC 4954 §4): " + t.Line(t.Count - 2));
            Expect.Equal(-1, t.Find("235 ", 0), "no AUTH success in plaintext");

            t = f.Session(Hello + "AUTH PLAIN " + GoodPlain + "\r\nMAIL FROM:<sensor7@gw.example.org>\r\nRCPT TO:<ops@example.net>\r\nQUIT\r\n", Untrusted, true);
            Expect.True(t.Find("250-AUTH PLAIN", 0) > 0 || t.Find("250 AUTH PLAIN", 0) > 0, "EHLO over TLS advertises AUTH PLAIN");
            int ok = t.Find("235 2.7.0", 0);
            Expect.True(ok > 0, "AUTH PLAIN over TLS");
            Expect.StartsWith("250 2.1.0", t.Line(ok + 1), "MAIL");
            Expect.StartsWith("250 2.1.5", t.Line(ok + 2), "an authenticated client may relay");
        }

        private static void AuthWrongPassword()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Hello + "AUTH PLAIN " + BadPlain + "\r\nMAIL FROM:<sensor7@gw.example.org>\r\nRCPT TO:<ops@example.net>\r\nQUIT\r\n", Untrusted, true);
            int bad = t.Find("535 5.7.8", 0);
            Expect.True(bad > 0, "wrong password refused");
            Expect.StartsWith("250 2.1.0", t.Line(bad + 1), "MAIL");
            Expect.StartsWith("554 5.7.1", t.Line(bad + 2), "no relay without a successful AUTH");
        }
    }
}
