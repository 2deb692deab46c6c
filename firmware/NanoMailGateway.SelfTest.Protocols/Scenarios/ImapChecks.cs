// Scenario: the IMAP4rev2 server (Core/Imap, RFC 9051) of the composed gateway on the
// device build, one session over the in-memory network against alice's mailbox with two
// messages that came in over SMTP and local delivery:
// - CAPABILITY names IMAP4rev2 (§6.1.1); LOGIN (§6.2.3); SELECT INBOX reports EXISTS and
//   UIDVALIDITY (§6.3.2);
// - FETCH 1:* (FLAGS UID RFC822.SIZE) gives the store's UIDs and sizes (§6.4.5);
//   BODY.PEEK[HEADER] is the header as a literal of its exact length, and the partial
//   BODY[]<0.10> the message's first ten octets (§6.4.5, §7.5.2);
// - UID STORE +FLAGS (\Seen) (§6.4.6) is a durable record: it is there when the queue is
//   reopened from flash after Stop;
// - a junk command is BAD with its tag (§7.1.5); IDLE (RFC 9051 §6.3.13) reports
//   "* 3 EXISTS" within a second of a local delivery being committed;
// - STORE \Deleted and EXPUNGE (§6.4.3) take the message out of the mailbox for POP3 too
//   (one mailbox store, RFC 1939 STAT);
// - a synchronizing literal in LOGIN gets its "+" continuation (§7.5); LOGOUT (§6.1.3).
// Left out on purpose: SEARCH, ENVELOPE, BODYSTRUCTURE, STARTTLS (host tests in
// tests/NanoMailGateway.Tests/Core/Imap, with real clients in Interop).

using System;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>IMAP checks on a running <see cref="ProtocolGateway"/>: one session kept across the checks.</summary>
    public sealed class ImapChecks
    {
        private const string Mailbox = ProtocolGateway.User;
        private const string Local = ProtocolGateway.User + "@gw.example.org";
        // RFC 9051 §6.3.13 leaves the delay to the server; README promises about a second.
        private const int IdleWithinMs = 1000;
        private const int PollMs = 10;
        private const int WaitMs = 120000;

        private readonly ProtocolGateway _g;
        private LineClient? _c;
        private long _uid1;
        private long _uid2;

        private ImapChecks(ProtocolGateway g)
        {
            _g = g;
        }

        /// <summary>The UID given the \Seen flag by UID STORE, for the check after the queue is reopened.</summary>
        public long SeenUid => _uid2;

        /// <summary>Registers and runs the checks on the running gateway; returns them for <see cref="RunAfterStop"/>.</summary>
        public static ImapChecks Run(SelfTestRunner r, ProtocolGateway g)
        {
            ImapChecks c = new ImapChecks(g);
            r.Run("imap.capability", new Check(c.Capability));
            r.Run("imap.login", new Check(c.Login));
            r.Run("imap.select-inbox", new Check(c.Select));
            r.Run("imap.fetch-flags-uid-size", new Check(c.FetchFlagsUidSize));
            r.Run("imap.fetch-header-and-partial", new Check(c.FetchParts));
            r.Run("imap.uid-store-seen", new Check(c.UidStoreSeen));
            r.Run("imap.junk-command-bad", new Check(c.Junk));
            r.Run("imap.idle-exists-after-delivery", new Check(c.Idle));
            r.Run("imap.expunge-seen-by-pop3", new Check(c.Expunge));
            r.Run("imap.logout", new Check(c.Logout));
            r.Run("imap.login-synchronizing-literal", new Check(c.LiteralLogin));
            return c;
        }

        private LineClient Session()
        {
            if (_c == null) Expect.Fail("no IMAP session (an earlier check failed)");
            return _c!;
        }

        /// <summary>Sends a command and reads to its tagged reply, which must start with "TAG OK".</summary>
        private static void Ok(LineClient c, string tag, string command)
        {
            c.Send(tag + " " + command + "\r\n");
            Expect.StartsWith(tag + " OK", c.ReadUntil(tag + " ", command), command);
        }

        private void Capability()
        {
            LineClient c = _g.Dial(ProtocolGateway.ImapPort, "", "* BYE", out string greeting);
            _c = c;
            Expect.StartsWith("* OK", greeting, "greeting");
            c.Send("a1 CAPABILITY\r\n");
            Expect.Contains(" IMAP4rev2", c.ReadUntil("* CAPABILITY ", "CAPABILITY"), "CAPABILITY");
            Expect.StartsWith("a1 OK", c.ReadLine(), "CAPABILITY tagged");
        }

        private void Login()
        {
            Ok(Session(), "a2", "LOGIN " + ProtocolGateway.User + " " + ProtocolGateway.Password);
        }

        private void Select()
        {
            LineClient c = Session();
            c.Send("a3 SELECT INBOX\r\n");
            bool exists = false, validity = false;
            string? line;
            while ((line = c.ReadLine()) != null && !(line.Length > 3 && line.Substring(0, 3) == "a3 "))
            {
                if (line == "* 2 EXISTS") exists = true;
                if (line.IndexOf("* OK [UIDVALIDITY ") == 0) validity = true;
            }
            Expect.StartsWith("a3 OK [READ-WRITE]", line, "SELECT tagged");
            Expect.True(exists, "SELECT without '* 2 EXISTS'");
            Expect.True(validity, "SELECT without UIDVALIDITY");
        }

        private void FetchFlagsUidSize()
        {
            LineClient c = Session();
            MailboxView v = _g.Gateway.Mailboxes!.OpenView(Mailbox);
            try
            {
                Expect.Equal(2, v.Count, "messages in the mailbox store");
                _uid1 = v.Uid(0);
                _uid2 = v.Uid(1);
                c.Send("a4 FETCH 1:* (FLAGS UID RFC822.SIZE)\r\n");
                for (int i = 0; i < 2; i++)
                {
                    string n = (i + 1).ToString();
                    string? line = c.ReadLine();
                    Expect.StartsWith("* " + n + " FETCH (", line, "FETCH " + n);
                    Expect.Contains("FLAGS ()", line, "FETCH " + n + " flags");
                    Expect.Contains("UID " + v.Uid(i).ToString(), line, "FETCH " + n + " UID");
                    Expect.Contains("RFC822.SIZE " + v.SizeOf(i).ToString(), line, "FETCH " + n + " size");
                }
            }
            finally
            {
                v.Close();
            }
            Expect.StartsWith("a4 OK", c.ReadLine(), "FETCH tagged");
        }

        private void FetchParts()
        {
            LineClient c = Session();
            c.Send("a5 FETCH 1 (BODY.PEEK[HEADER])\r\n");
            string? first = c.ReadLine();
            Expect.StartsWith("* 1 FETCH (", first, "header FETCH");
            Expect.Contains("BODY[HEADER] {", first, "header FETCH literal");
            long announced = Literal(first!);
            long octets = 0;
            bool subject = false;
            string? line;
            while ((line = c.ReadLine()) != null && line.Length > 0)
            {
                octets += c.LastLineOctets;
                if (line == "Subject: first") subject = true;
            }
            octets += c.LastLineOctets;   // the empty line that ends the header
            Expect.Equal(announced, octets, "header literal length");
            Expect.True(subject, "the header lacks 'Subject: first'");
            Expect.Equal(")", c.ReadLine(), "after the header literal");
            Expect.StartsWith("a5 OK", c.ReadLine(), "header FETCH tagged");

            c.Send("a6 FETCH 1 BODY[]<0.10>\r\n");
            Expect.StartsWith("* 1 FETCH (", c.ReadLine(), "partial FETCH");
            // The ten octets, then the rest of the FETCH response on the same line.
            Expect.StartsWith(FirstOctets(0, 10), c.ReadLine(), "partial BODY[]<0.10>");
            Expect.StartsWith("a6 OK", c.ReadUntil("a6 ", "partial FETCH tagged"), "partial FETCH tagged");
        }

        /// <summary>n of the literal announcement "{n}" that ends <paramref name="line"/>.</summary>
        private static long Literal(string line)
        {
            int open = line.LastIndexOf('{');
            long n = 0;
            for (int i = open + 1; i < line.Length && line[i] != '}'; i++) n = n * 10 + (line[i] - '0');
            return n;
        }

        /// <summary>The first <paramref name="count"/> octets of mailbox message <paramref name="index"/>, from the store.</summary>
        private string FirstOctets(int index, int count)
        {
            MailboxView v = _g.Gateway.Mailboxes!.OpenView(Mailbox);
            byte[] b = new byte[count];
            try
            {
                Expect.Equal(count, v.Read(index, 0, b, 0, count), "octets read from the store");
            }
            finally
            {
                v.Close();
            }
            return NanoMailGateway.Core.Text.Ascii.GetString(b, 0, count);
        }

        private void UidStoreSeen()
        {
            LineClient c = Session();
            c.Send("a7 UID STORE " + _uid2.ToString() + " +FLAGS (\\Seen)\r\n");
            string? line = c.ReadLine();
            Expect.StartsWith("* 2 FETCH (", line, "UID STORE");
            Expect.Contains("\\Seen", line, "UID STORE flags");
            Expect.Contains("UID " + _uid2.ToString(), line, "UID STORE names the UID (RFC 9051 §6.4.9)");
            Expect.StartsWith("a7 OK", c.ReadLine(), "UID STORE tagged");
        }

        private void Junk()
        {
            LineClient c = Session();
            c.Send("a8 FROBNICATE now\r\n");
            Expect.StartsWith("a8 BAD", c.ReadLine(), "junk command");
        }

        private void Idle()
        {
            LineClient c = Session();
            int before = _g.Gateway.Mailboxes!.Changes;
            c.Send("a9 IDLE\r\n");
            Expect.StartsWith("+ ", c.ReadLine(), "IDLE continuation");
            string id = _g.Submit(Local, "third", "three");
            _g.AwaitState(id, RecipientState.InMailbox);
            Expect.True(_g.Gateway.Mailboxes!.Changes != before, "the mailbox store did not count the delivery");
            long committed = DateTime.UtcNow.Ticks;
            Expect.Equal("* 3 EXISTS", c.ReadLine(), "IDLE after the delivery");
            long ms = (DateTime.UtcNow.Ticks - committed) / TimeSpan.TicksPerMillisecond;
            Expect.True(ms <= IdleWithinMs, "'* 3 EXISTS' came " + ms.ToString() + " ms after the delivery was committed");
            c.Send("DONE\r\n");
            Expect.StartsWith("a9 OK", c.ReadLine(), "IDLE tagged");
        }

        private void Expunge()
        {
            LineClient c = Session();
            Ok(c, "b1", "STORE 1 +FLAGS (\\Deleted)");
            c.Send("b2 EXPUNGE\r\n");
            Expect.Equal("* 1 EXPUNGE", c.ReadLine(), "EXPUNGE");
            Expect.StartsWith("b2 OK", c.ReadLine(), "EXPUNGE tagged");
            MailboxView v = _g.Gateway.Mailboxes!.OpenView(Mailbox);
            int left = v.Count;
            bool gone = left < 1 || v.Uid(0) != _uid1;
            v.Close();
            Expect.Equal(2, left, "messages in the mailbox store after EXPUNGE");
            Expect.True(gone, "the expunged message (UID " + _uid1.ToString() + ") is still first");

            // POP3 reads the same mailbox store: one message fewer there too.
            LineClient pop = _g.Dial(ProtocolGateway.Pop3Port, "", "-ERR", out string greeting);
            Expect.StartsWith("+OK", greeting, "POP3 greeting");
            pop.Send("USER " + ProtocolGateway.User + "\r\nPASS " + ProtocolGateway.Password + "\r\nSTAT\r\nQUIT\r\n");
            Expect.StartsWith("+OK", pop.ReadLine(), "USER");
            Expect.StartsWith("+OK", pop.ReadLine(), "PASS");
            Expect.StartsWith("+OK 2 ", pop.ReadLine(), "POP3 STAT after EXPUNGE");
            Expect.StartsWith("+OK", pop.ReadLine(), "QUIT");
            pop.Close();
        }

        private void Logout()
        {
            LineClient c = Session();
            _c = null;
            c.Send("b3 LOGOUT\r\n");
            Expect.StartsWith("* BYE", c.ReadLine(), "LOGOUT");
            Expect.StartsWith("b3 OK", c.ReadLine(), "LOGOUT tagged");
            Expect.Null(c.ReadLine(), "connection after LOGOUT");
            c.Close();
        }

        private void LiteralLogin()
        {
            LineClient c = _g.Dial(ProtocolGateway.ImapPort, "", "* BYE", out string greeting);
            Expect.StartsWith("* OK", greeting, "greeting");
            c.Send("c1 LOGIN " + ProtocolGateway.User + " {" + ProtocolGateway.Password.Length.ToString() + "}\r\n");
            Expect.StartsWith("+ ", c.ReadLine(), "continuation for the synchronizing literal");
            c.Send(ProtocolGateway.Password + "\r\n");
            Expect.StartsWith("c1 OK", c.ReadUntil("c1 ", "LOGIN with a literal"), "LOGIN with a literal");
            c.Send("c2 LOGOUT\r\n");
            Expect.StartsWith("c2 OK", c.ReadUntil("c2 ", "LOGOUT"), "LOGOUT");
            c.Close();
        }

        /// <summary>After Stop: the queue reopened from flash keeps the \Seen that UID STORE set, and nothing else changed.</summary>
        public static void SeenSurvivesReopen(ProtocolGateway g, long seenUid)
        {
            MessageStore store = MessageStore.Open(g.Flash, NanoMailGateway.Core.Gateway.MailGateway.QueueOptionsFrom(g.Config.Board), g.Clock);
            try
            {
                MailboxView v = new MailboxStore(store).OpenView(Mailbox);
                int seen = -1;
                for (int i = 0; i < v.Count; i++)
                {
                    if (v.Uid(i) == seenUid) seen = i;
                    else Expect.Equal(0, v.Flags(i) & RecipientStatus.FlagSeen, "\\Seen on UID " + v.Uid(i).ToString());
                }
                int count = v.Count;
                int flags = seen < 0 ? 0 : v.Flags(seen);
                v.Close();
                Expect.Equal(2, count, "messages in the reopened mailbox");
                Expect.True(seen >= 0, "UID " + seenUid.ToString() + " is gone after reopening");
                Expect.True((flags & RecipientStatus.FlagSeen) != 0, "\\Seen of UID " + seenUid.ToString() + " lost when the queue was reopened");
            }
            finally
            {
                store.Close();
            }
        }
    }
}
