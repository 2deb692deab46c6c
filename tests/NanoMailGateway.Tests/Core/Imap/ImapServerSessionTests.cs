// Scripted IMAP sessions over in-memory connections against the real mailbox store
// (MessageStore on the flash simulator): what each command answers, byte for byte where
// it matters, and how bad input is refused (BAD/NO with response codes, never a hang).

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Imap
{
    public sealed class ImapServerSessionTests
    {
        internal const string Alert1 = "From: Sensor 7 <sensor7@plant.example>\r\nTo: alice@gw.example, \"Ops, Night\" <ops@plant.example>\r\nSubject: boiler pressure high\r\nDate: Thu, 03 Dec 2026 20:05:49 +0000\r\nMessage-ID: <a1@plant.example>\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\npressure 3.1 bar\r\nsecond line\r\n";
        internal const string Alert2 = "From: sensor8@plant.example\r\nSubject: door open\r\n\r\ndoor 4 open\r\n";

        /// <summary>Sends a command and reads up to its tagged line; returns every line.</summary>
        internal static List<string> Run(Pop3TestClient c, string tag, string command)
        {
            c.Send(tag + " " + command + "\r\n");
            return ReadTo(c, tag);
        }

        internal static List<string> ReadTo(Pop3TestClient c, string tag)
        {
            var lines = new List<string>();
            while (true)
            {
                string l = c.ReadLine();
                lines.Add(l);
                if (l.StartsWith(tag + " ", StringComparison.Ordinal)) return lines;
            }
        }

        private static ImapHarness Filled(out long uid1, out long uid2)
        {
            var h = new ImapHarness();
            uid1 = h.Deliver("alice", Alert1);
            uid2 = h.Deliver("alice", Alert2);
            h.Deliver("bob", Alert2);
            return h;
        }

        [Fact]
        public void Greeting_capabilities_and_logout()
        {
            var h = new ImapHarness();
            using var c = h.Connect();
            string greeting = c.ReadLine();
            Assert.StartsWith("* OK [CAPABILITY IMAP4rev2 IMAP4rev1 ", greeting);
            Assert.Contains(" AUTH=PLAIN", greeting);
            Assert.Contains(" IDLE", greeting);
            Assert.Contains(" LITERAL-", greeting);
            var cap = Run(c, "a1", "CAPABILITY");
            Assert.Equal("a1 OK completed", cap[^1]);
            Assert.StartsWith("* CAPABILITY IMAP4rev2", cap[0]);
            var bye = Run(c, "a2", "LOGOUT");
            Assert.Equal(new[] { "* BYE NanoMailGateway logging out", "a2 OK completed" }, bye);
            Assert.True(c.WaitClosed());
        }

        [Fact]
        public void Login_from_an_untrusted_network_without_TLS_is_refused()
        {
            var h = new ImapHarness(trusted: "10.0.0.0/8");
            using var c = h.Connect("192.0.2.10");
            Assert.Contains("LOGINDISABLED", c.ReadLine());
            Assert.Equal("a1 NO [PRIVACYREQUIRED] Use STARTTLS or a trusted network to log in", Run(c, "a1", "LOGIN alice secret")[^1]);
            Assert.Equal("a2 NO [PRIVACYREQUIRED] Use STARTTLS or a trusted network to log in", Run(c, "a2", "AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==")[^1]);
            Assert.Equal("a3 NO [CANNOT] STARTTLS not available", Run(c, "a3", "STARTTLS")[^1]);
        }

        [Fact]
        public void Login_forms_quoted_literal_and_sasl_plain()
        {
            var h = new ImapHarness();
            using (var c = h.Connect())
            {
                c.ReadLine();
                Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Authentication failed", Run(c, "a1", "LOGIN alice wrong")[^1]);
                Assert.StartsWith("a2 OK [CAPABILITY IMAP4rev2", Run(c, "a2", "LOGIN \"alice\" \"secret\"")[^1]);
                Assert.Equal("a3 BAD [CLIENTBUG] Command not valid in this state", Run(c, "a3", "LOGIN alice secret")[^1]);
            }
            using (var c = h.Connect())
            {
                c.ReadLine();
                // A synchronizing literal gets "+", then the rest of the command.
                c.Send("b1 LOGIN {5}\r\n");
                Assert.StartsWith("+ ", c.ReadLine());
                c.Send("alice {6+}\r\nsecret\r\n");
                Assert.StartsWith("b1 OK [CAPABILITY", c.ReadLine());
            }
            using (var c = h.Connect())
            {
                c.ReadLine();
                c.Send("c1 AUTHENTICATE PLAIN\r\n");
                Assert.Equal("+ ", c.ReadLine());
                c.Send(Convert.ToBase64String(Encoding.ASCII.GetBytes("\0bob\0hunter2")) + "\r\n");
                Assert.StartsWith("c1 OK [CAPABILITY", c.ReadLine());
            }
            using (var c = h.Connect())
            {
                c.ReadLine();
                Assert.StartsWith("d1 OK [CAPABILITY", Run(c, "d1", "AUTHENTICATE PLAIN " + Convert.ToBase64String(Encoding.ASCII.GetBytes("\0alice\0secret")))[^1]);
            }
            using (var c = h.Connect())
            {
                c.ReadLine();
                c.Send("e1 AUTHENTICATE PLAIN\r\n");
                c.ReadLine();
                c.Send("*\r\n");
                Assert.Equal("e1 BAD [CLIENTBUG] Authentication cancelled", c.ReadLine());
            }
        }

        [Fact]
        public void Select_list_status_namespace_and_enable()
        {
            var h = Filled(out long uid1, out long uid2);
            using var c = h.Login();
            var list = Run(c, "a1", "LIST \"\" \"*\"");
            Assert.Equal(new[] { "* LIST () \"/\" INBOX", "a1 OK completed" }, list);
            Assert.Equal(new[] { "* LIST (\\Noselect) \"/\" \"\"", "a2 OK completed" }, Run(c, "a2", "LIST \"\" \"\""));
            Assert.Equal(new[] { "a3 OK completed" }, Run(c, "a3", "LIST \"\" Sent"));
            Assert.Equal("* NAMESPACE ((\"\" \"/\")) NIL NIL", Run(c, "a4", "NAMESPACE")[0]);
            var status = Run(c, "a5", "STATUS inbox (MESSAGES UIDNEXT UIDVALIDITY UNSEEN SIZE)");
            Assert.Equal("* STATUS INBOX (MESSAGES 2 UIDNEXT " + h.Store.NextSequence + " UIDVALIDITY 1 UNSEEN 2 SIZE " + (Alert1.Length + Alert2.Length) + ")", status[0]);
            Assert.Equal("a6 BAD [CLIENTBUG] Syntax error", Run(c, "a6", "STATUS INBOX (MESSAGES BOGUS)")[^1]);
            Assert.Equal("a7 NO [NONEXISTENT] Only INBOX exists here", Run(c, "a7", "SELECT Trash")[^1]);
            var sel = Run(c, "a8", "SELECT INBOX");
            Assert.Equal(new[]
            {
                "* 2 EXISTS", "* 0 RECENT", "* OK [UNSEEN 1] First unseen", "* FLAGS (\\Seen \\Deleted)",
                "* OK [PERMANENTFLAGS (\\Seen \\Deleted)] Flags kept in flash", "* OK [UIDVALIDITY 1] UIDs valid",
                "* OK [UIDNEXT " + h.Store.NextSequence + "] Predicted next UID", "a8 OK [READ-WRITE] SELECT completed",
            }, sel);
            Assert.Equal(new[] { "* ENABLED IMAP4rev2", "a9 OK completed" }, Run(c, "a9", "ENABLE IMAP4rev2"));
            var sel2 = Run(c, "b1", "EXAMINE INBOX");
            Assert.Equal("* OK [CLOSED] Previous mailbox closed", sel2[0]);
            Assert.DoesNotContain("* 0 RECENT", sel2);
            Assert.Equal("b1 OK [READ-ONLY] EXAMINE completed", sel2[^1]);
            Assert.Equal("b2 NO [READ-ONLY] Mailbox is read-only", Run(c, "b2", "STORE 1 +FLAGS (\\Deleted)")[^1]);
            Assert.Equal("b3 NO [CANNOT] Only one INBOX per account; no folders, no APPEND, COPY or MOVE", Run(c, "b3", "CREATE Archive")[^1]);
        }

        [Fact]
        public void Fetch_flags_size_date_envelope_structure_and_sections()
        {
            var h = Filled(out long uid1, out long uid2);
            using var c = h.Login();
            Run(c, "a1", "SELECT INBOX");
            var f = Run(c, "a2", "FETCH 1 (UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE)");
            Assert.Equal("* 1 FETCH (UID " + uid1 + " FLAGS () RFC822.SIZE " + Alert1.Length
                + " ENVELOPE (\"Thu, 03 Dec 2026 20:05:49 +0000\" \"boiler pressure high\" ((\"Sensor 7\" NIL \"sensor7\" \"plant.example\")) ((\"Sensor 7\" NIL \"sensor7\" \"plant.example\")) ((\"Sensor 7\" NIL \"sensor7\" \"plant.example\")) ((NIL NIL \"alice\" \"gw.example\")(\"Ops, Night\" NIL \"ops\" \"plant.example\")) NIL NIL NIL \"<a1@plant.example>\")"
                + " BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 31 2))", f[0]);
            Assert.Equal("a2 OK completed", f[^1]);
            var date = Run(c, "a3", "UID FETCH " + uid2 + " INTERNALDATE");
            Assert.Matches("^\\* 2 FETCH \\(UID " + uid2 + " INTERNALDATE \"\\d\\d-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\"\\)$", date[0]);

            // PEEK leaves \Seen alone; partials cut the literal.
            var peek = Run(c, "a4", "FETCH 2 (BODY.PEEK[HEADER] BODY.PEEK[TEXT]<2.5> BODY.PEEK[]<0.4>)");
            string header = Alert2.Substring(0, Alert2.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4);
            Assert.Equal("* 2 FETCH (BODY[HEADER] {" + header.Length + "}", peek[0]);
            Assert.Equal("a4 OK completed", peek[^1]);
            string all = string.Join("\r\n", peek);
            Assert.True(all.Contains("BODY[TEXT]<2> {5}\r\nor 4  BODY[]<0> {4}\r\nFrom)"), all);
            Assert.Equal("* 2 FETCH (FLAGS ())", Run(c, "a5", "FETCH 2 FLAGS")[0]);

            // BODY[] without PEEK sets \Seen durably and reports it.
            var body = Run(c, "a6", "FETCH 2 BODY[]");
            Assert.Equal("* 2 FETCH (FLAGS (\\Seen) BODY[] {" + Alert2.Length + "}", body[0]);
            Assert.Equal(")", body[^2]);
            Assert.Equal(Alert2, string.Join("\r\n", body.Skip(1).Take(body.Count - 3)) + "\r\n");
            Assert.Equal(RecipientStatus.FlagSeen, h.Mailboxes.OpenView("alice").Flags(1));

            var fields = Run(c, "a7", "FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject FROM)]");
            Assert.Equal("* 1 FETCH (BODY[HEADER.FIELDS (Subject FROM)] {73}", fields[0]);
            Assert.Equal("From: Sensor 7 <sensor7@plant.example>", fields[1]);
            Assert.Equal("Subject: boiler pressure high", fields[2]);
            var not = Run(c, "a8", "FETCH 2 BODY.PEEK[HEADER.FIELDS.NOT (From)]");
            Assert.Equal(new[] { "* 2 FETCH (BODY[HEADER.FIELDS.NOT (From)] {22}", "Subject: door open", "", ")", "a8 OK completed" }, not);
            Assert.Equal("a9 BAD [CLIENTBUG] Invalid message sequence number", Run(c, "a9", "FETCH 3 FLAGS")[^1]);
            Assert.Equal("b1 OK completed", Run(c, "b1", "UID FETCH 999999 FLAGS")[^1]);
            Assert.Equal("b2 BAD [CLIENTBUG] Syntax error", Run(c, "b2", "FETCH 1 (FLAGS BODY[HEADER.FIELDS])")[^1]);
            Assert.Equal("b3 BAD [CLIENTBUG] Syntax error", Run(c, "b3", "FETCH 0 FLAGS")[^1]);
            var fast = Run(c, "b4", "FETCH 1:* FAST");
            Assert.Equal(3, fast.Count);
        }

        // Shaped like the gateway's own bounce (Delivery/Bounce/DsnComposer): multipart/report
        // with a folded boundary parameter, a preamble, three parts, the returned message last.
        internal const string Part1Body = "line one\r\nline two\r\n";
        internal const string Part1Mime = "Content-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
        internal const string Part2Body = "Reporting-MTA: dns; gw.example\r\n\r\nFinal-Recipient: rfc822; ops@nowhere.test\r\nAction: failed\r\n";
        internal const string Part3Body = "From: alice@gw.example\r\nSubject: Daily report\r\n\r\nall quiet\r\n";
        internal const string Report = "From: Mail Delivery System <MAILER-DAEMON@gw.example>\r\nTo: <alice@gw.example>\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"b0UND\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "This is a MIME-encapsulated message.\r\n\r\n"
            + "--b0UND\r\n" + Part1Mime + Part1Body
            + "\r\n--b0UND\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n" + Part2Body
            + "\r\n--b0UND\r\nContent-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + Part3Body
            + "\r\n--b0UND--\r\n";

        [Fact]
        public void Bodystructure_and_parts_of_a_multipart_report()
        {
            var h = new ImapHarness();
            h.Deliver("alice", Report);
            using var c = h.Login();
            Run(c, "a1", "EXAMINE INBOX");
            string alice = "((NIL NIL \"alice\" \"gw.example\"))";
            string parts = "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL \"Notification\" \"7BIT\" " + Part1Body.Length + " 2)"
                + "(\"MESSAGE\" \"DELIVERY-STATUS\" NIL NIL \"Delivery report\" \"7BIT\" " + Part2Body.Length + ")"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL \"Undelivered Message\" \"8BIT\" " + Part3Body.Length
                + " (NIL \"Daily report\" " + alice + " " + alice + " " + alice + " NIL NIL NIL NIL NIL)"
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 11 1) 4) \"REPORT\"";
            Assert.Equal("* 1 FETCH (BODYSTRUCTURE " + parts + " (\"REPORT-TYPE\" \"delivery-status\" \"BOUNDARY\" \"b0UND\")) BODY " + parts + "))",
                Run(c, "a2", "FETCH 1 (BODYSTRUCTURE BODY)")[0]);
            // Each part and MIME header streams as a literal of its exact size; a part that is not there is empty.
            var f = Run(c, "a3", "FETCH 1 (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2]<0.13> BODY.PEEK[3] BODY.PEEK[4] BODY.PEEK[TEXT]<0.10>)");
            Assert.Equal("a3 OK completed", f[^1]);
            Assert.Equal("* 1 FETCH (BODY[1] {" + Part1Body.Length + "}\r\n" + Part1Body + " BODY[1.MIME] {" + Part1Mime.Length + "}\r\n" + Part1Mime
                + " BODY[2]<0> {13}\r\nReporting-MTA BODY[3] {" + Part3Body.Length + "}\r\n" + Part3Body
                + " BODY[4] {0}\r\n BODY[TEXT]<0> {10}\r\nThis is a )", string.Join("\r\n", f.Take(f.Count - 1)));
            Assert.Equal("a4 BAD [CLIENTBUG] Syntax error", Run(c, "a4", "FETCH 1 BODY[1.]")[^1]);
            Assert.Equal("* 1 FETCH (BODY[1.2] {0}", Run(c, "a5", "FETCH 1 BODY.PEEK[1.2]")[0]);
        }

        [Fact]
        public void Store_search_expunge_and_close_share_the_store_with_pop3()
        {
            var h = Filled(out long uid1, out long uid2);
            long uid3 = h.Deliver("alice", "Subject: third\r\n\r\nx\r\n");
            using var c = h.Login();
            Run(c, "a1", "SELECT INBOX");
            Assert.Equal(new[] { "* 1 FETCH (FLAGS (\\Seen))", "a2 OK completed" }, Run(c, "a2", "STORE 1 +FLAGS (\\Seen)"));
            Assert.Equal(new[] { "a3 OK completed" }, Run(c, "a3", "UID STORE " + uid2 + " +FLAGS.SILENT (\\Deleted \\Flagged)"));
            Assert.Equal(new[] { "* 2 FETCH (FLAGS (\\Seen \\Deleted) UID " + uid2 + ")", "b0 OK completed" }, Run(c, "b0", "UID STORE " + uid2 + " FLAGS (\\Deleted \\Seen)"));
            Assert.Equal(new[] { "* 2 FETCH (FLAGS (\\Deleted))", "b9 OK completed" }, Run(c, "b9", "STORE 2 -FLAGS (\\Seen)"));
            Assert.Equal(new[] { "* SEARCH 2 3", "a4 OK completed" }, Run(c, "a4", "SEARCH UNSEEN"));
            Assert.Equal(new[] { "* SEARCH " + uid2, "a5 OK completed" }, Run(c, "a5", "UID SEARCH DELETED"));
            Assert.Equal(new[] { "* SEARCH 1 3", "a6 OK completed" }, Run(c, "a6", "SEARCH OR SEEN NOT (DELETED) SINCE 1-Jan-2000"));
            Assert.Equal(new[] { "* SEARCH", "a7 OK completed" }, Run(c, "a7", "SEARCH BEFORE 1-Jan-2000"));
            Assert.Equal("a8 BAD [CLIENTBUG] Syntax error", Run(c, "a8", "SEARCH SUBJECT boiler")[^1]);
            Assert.Equal(new[] { "* ENABLED IMAP4rev2", "a9 OK completed" }, Run(c, "a9", "ENABLE IMAP4rev2"));
            Assert.Equal(new[] { "* ESEARCH (TAG \"b1\") UID ALL " + uid1 + "," + uid3, "b1 OK completed" }, Run(c, "b1", "UID SEARCH UNDELETED"));
            Assert.Equal(new[] { "* ESEARCH (TAG \"b2\") MIN 1 MAX 3 COUNT 3", "b2 OK completed" }, Run(c, "b2", "SEARCH RETURN (MIN MAX COUNT) ALL"));

            // The flags are in flash: a fresh view (what POP3 and a new session see) has them.
            MailboxView v = h.Mailboxes.OpenView("alice");
            Assert.Equal(new[] { RecipientStatus.FlagSeen, RecipientStatus.FlagDeleted, 0 }, Enumerable.Range(0, 3).Select(v.Flags));

            Assert.Equal(new[] { "* 2 EXPUNGE", "b3 OK completed" }, Run(c, "b3", "EXPUNGE"));
            // POP3's view of the same mailbox: the expunged message is gone there too, same UIDs.
            IMaildrop d = h.Mailboxes.Open("alice")!;
            Assert.Equal(new[] { QueueId.Format(uid1), QueueId.Format(uid3) }, new[] { d.UniqueId(0), d.UniqueId(1) });
            d.Close();
            Run(c, "b4", "STORE 2 +FLAGS (\\Deleted)");
            Assert.Equal(new[] { "b5 OK completed" }, Run(c, "b5", "CLOSE"));
            Assert.Equal(1, h.Mailboxes.OpenView("alice").Count);
            Assert.Equal("b6 BAD [CLIENTBUG] Command not valid in this state", Run(c, "b6", "FETCH 1 FLAGS")[^1]);
        }

        [Fact]
        public void Noop_reports_what_other_sessions_and_pop3_changed()
        {
            var h = Filled(out long uid1, out long uid2);
            using var a = h.Login();
            using var b = h.Login();
            Run(a, "a1", "SELECT INBOX");
            Run(b, "b1", "SELECT INBOX");
            Run(b, "b2", "STORE 1 +FLAGS.SILENT (\\Seen \\Deleted)");
            Run(b, "b3", "EXPUNGE");
            long uid3 = h.Deliver("alice", "Subject: new\r\n\r\nnew\r\n");
            var noop = Run(a, "a2", "NOOP");
            Assert.Equal(new[] { "* 1 EXPUNGE", "* 2 EXISTS", "a2 OK completed" }, noop);
            var uids = Run(a, "a3", "FETCH 1:* UID");
            Assert.Equal(new[] { "* 1 FETCH (UID " + uid2 + ")", "* 2 FETCH (UID " + uid3 + ")", "a3 OK completed" }, uids);
            // A POP3 DELE+QUIT of message 1 is an expunge for IMAP too.
            IMaildrop d = h.Mailboxes.Open("alice")!;
            Assert.True(d.Commit(new[] { true, false }));
            d.Close();
            Assert.Equal(new[] { "* 1 EXPUNGE", "a4 OK completed" }, Run(a, "a4", "NOOP"));
        }

        [Fact]
        public void Idle_reports_a_delivery_and_ends_with_done()
        {
            var h = Filled(out _, out _);
            using var c = h.Login();
            Run(c, "a1", "SELECT INBOX");
            c.Send("a2 IDLE\r\n");
            Assert.Equal("+ idling", c.ReadLine());
            h.Deliver("alice", "Subject: alarm\r\n\r\nfire\r\n");
            Assert.Equal("* 3 EXISTS", c.ReadLine());
            c.Send("DONE\r\n");
            Assert.Equal("a2 OK IDLE terminated", c.ReadLine());
            c.Send("a3 IDLE\r\n");
            c.ReadLine();
            c.Send("NOPE\r\n");
            Assert.Equal("a3 BAD [CLIENTBUG] Expected DONE", c.ReadLine());
        }

        [Fact]
        public void Autologout_sends_bye_in_idle_and_when_quiet()
        {
            var h = new ImapHarness(o => { o.AutologoutMs = 300; o.IdlePollMs = 20; });
            h.Deliver("alice", Alert2);
            using (var c = h.Login())
            {
                Assert.Equal("* BYE [UNAVAILABLE] Autologout; idle for too long", c.ReadLine());
                Assert.True(c.WaitClosed());
            }
        }

        [Fact]
        public void Bad_input_gets_bad_with_a_code_and_ten_errors_end_the_session()
        {
            var h = Filled(out _, out _);
            using var c = h.Login();
            Assert.Equal("a1 BAD [CLIENTBUG] Unknown command", Run(c, "a1", "FROB")[^1]);
            Assert.Equal("a2 BAD [CLIENTBUG] Command not valid in this state", Run(c, "a2", "FETCH 1 FLAGS")[^1]);
            Assert.Equal("* BAD [CLIENTBUG] Syntax error", Run(c, "*", "")[^1]);
            Assert.Equal("a3 BAD [CLIENTBUG] Syntax error", Run(c, "a3", "NOOP extra")[^1]);
            Assert.Equal("a4 BAD [CLIENTBUG] Syntax error", Run(c, "a4", "SELECT")[^1]);
            // A line longer than the buffer is dropped to its end, then refused with its tag.
            c.Send("a5 NOOP " + new string('x', 3000) + "\r\n");
            Assert.Equal("a5 BAD [TOOBIG] Command line too long", c.ReadLine());
            // A literal over the limit: refused before it is sent, or dropped when LITERAL-.
            c.Send("a6 LOGIN {5000}\r\n");
            Assert.Equal("a6 BAD [TOOBIG] Literal too big", c.ReadLine());
            c.Send("a7 LOGIN {3000+}\r\n" + new string('y', 3000) + " x\r\n");
            Assert.Equal("a7 BAD [TOOBIG] Literal too big", c.ReadLine());
            Assert.Equal("a8 OK completed", Run(c, "a8", "NOOP")[^1]);
            // The rest of a command after its literal over the buffer: refused with the
            // command's tag, and a LITERAL- announced at the end of the dropped line is dropped too.
            c.Send("a9 LOGIN {5}\r\n");
            Assert.StartsWith("+ ", c.ReadLine());
            c.Send("alice " + new string('z', 3000) + " {4+}\r\nNOOP\r\n");
            Assert.Equal("a9 BAD [TOOBIG] Command line too long", c.ReadLine());
            c.Send("b1 UID FROB 1\r\n");
            Assert.Equal("b1 BAD [CLIENTBUG] Unknown command", c.ReadLine());   // the tenth
            Assert.Equal("* BYE [CLIENTBUG] Too many errors", c.ReadLine());
            Assert.True(c.WaitClosed());
            Assert.True(c.WaitSessionEnd());
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void A_session_without_buffers_is_refused_busy()
        {
            var h = new ImapHarness(buffers: 1);
            using var c = h.Connect();
            Assert.Equal("* BYE [UNAVAILABLE] Server busy, try again later", c.ReadLine());
            Assert.True(c.WaitClosed());
        }
    }
}
