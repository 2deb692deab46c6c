// Scenario: POP3 sessions (Core/Pop3, RFC 1939) through Pop3Server over an in-memory
// connection, every command pipelined (RFC 2449 §6.6), against TinyMaildropStore:
// - LIST sizes equal the octets RETR delivers after undoing dot-stuffing (RFC 1939 §11:
//   "exact size"), and those octets are the stored message;
// - UIDL ids are the store's and stay with their message across sessions (§7);
// - DELE takes effect only at QUIT: a dropped connection or RSET deletes nothing (§6, §8);
// - a wrong password is refused and opens no maildrop;
// - with the pool empty a session is refused (-ERR [SYS/TEMP]) and the pool does not grow;
// - STLS (RFC 2595 §4): commands pipelined behind it are discarded (CVE-2011-0411);
// - after every session the pool buffers, the mailbox lock and the maildrop are released.

using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Pop3;

namespace NanoMailGateway.SelfTest
{
    /// <summary>POP3 transcript checks.</summary>
    public static class Pop3Checks
    {
        private const string Login = "USER alice\r\nPASS secret\r\n";
        private const int ReplyCapacity = 1024;

        // Message 1 has a line starting with "." (stuffed on the wire), message 2 a line that is only ".".
        private const string Message1 = "From: sensor@example.org\r\nSubject: one\r\n\r\nhello\r\n.leading dot\r\n";
        private const string Message2 = "Subject: two\r\n\r\n.\r\nbye\r\n";

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("pop3.list-equals-retr", new Check(ListEqualsRetr));
            r.Run("pop3.uidl-stable", new Check(UidlStable));
            r.Run("pop3.dele-at-quit-only", new Check(DeleAtQuitOnly));
            r.Run("pop3.rset-undeletes", new Check(RsetUndeletes));
            r.Run("pop3.bad-password", new Check(BadPassword));
            r.Run("pop3.no-buffers-refused", new Check(NoBuffersRefused));
            r.Run("pop3.stls-discards-plaintext", new Check(StlsDiscardsPlaintext));
        }

        private sealed class Fixture
        {
            public readonly TinyMaildropStore Store = new TinyMaildropStore();
            public readonly BufferPool Pool = new BufferPool("pop3", Pop3Server.MinBufferSize, 2);
            public readonly Pop3Server Server;

            public Fixture()
            {
                Pop3ServerOptions o = new Pop3ServerOptions();
                o.AutologoutMs = 2000;
                StepClock clock = new StepClock();
                Server = new Pop3Server(o, Store, new OneUserAuthenticator("alice", "secret"), new AuthThrottle(clock, 1, 2, 2, 60000),
                    new NanoMailGateway.Core.Simulation.MemoryTlsProvider(true, false), Pool, clock, new QuietLog());
                Store.Deliver("alice", Message1);
                Store.Deliver("alice", Message2);
            }

            public Transcript Session(string script)
            {
                Transcript t = ScriptedSession.Run(Server.Serve, script, ReplyCapacity);
                Expect.Equal(0, Pool.InUse, "pool buffers in use after the session");
                Expect.Equal(0, Server.LockedCount, "mailbox locks after the session");
                Expect.Equal(0, Store.OpenMaildrops, "maildrops open after the session");
                return t;
            }
        }

        private static void ListEqualsRetr()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Login + "STAT\r\nLIST\r\nRETR 1\r\nRETR 2\r\nQUIT\r\n");
            Expect.StartsWith("+OK", t.Line(0), "greeting");
            Expect.StartsWith("+OK", t.Line(2), "PASS");
            int total = Message1.Length + Message2.Length;
            Expect.StartsWith("+OK 2 " + total.ToString(), t.Line(3), "STAT");
            Expect.StartsWith("+OK", t.Line(4), "LIST");
            Expect.Equal("1 " + Message1.Length.ToString(), t.Line(5), "LIST 1");
            Expect.Equal("2 " + Message2.Length.ToString(), t.Line(6), "LIST 2");
            Expect.Equal(".", t.Line(7), "LIST end");
            Expect.StartsWith("+OK", t.Line(8), "RETR 1");
            int next = Body(t, 9, out string body1);
            Expect.Equal(Message1, body1, "RETR 1 octets (unstuffed)");
            Expect.StartsWith("+OK", t.Line(next), "RETR 2");
            next = Body(t, next + 1, out string body2);
            Expect.Equal(Message2, body2, "RETR 2 octets (unstuffed)");
            Expect.Equal("..leading dot", t.Line(13), "a leading dot is stuffed on the wire");
            Expect.StartsWith("+OK", t.Line(next), "QUIT");
            Expect.Equal(next + 1, t.Count, "nothing after QUIT");
        }

        private static void UidlStable()
        {
            Fixture f = new Fixture();
            string uid1 = f.Store.UidOf("alice", 0);
            string uid2 = f.Store.UidOf("alice", 1);
            Transcript t = f.Session(Login + "UIDL\r\nUIDL 2\r\nQUIT\r\n");
            Expect.StartsWith("+OK", t.Line(3), "UIDL");
            Expect.Equal("1 " + uid1, t.Line(4), "UIDL 1");
            Expect.Equal("2 " + uid2, t.Line(5), "UIDL 2");
            Expect.Equal(".", t.Line(6), "UIDL end");
            Expect.Equal("+OK 2 " + uid2, t.Line(7), "UIDL 2 single line");

            f.Session(Login + "DELE 1\r\nQUIT\r\n");
            t = f.Session(Login + "UIDL\r\nQUIT\r\n");
            Expect.Equal("1 " + uid2, t.Line(4), "the remaining message keeps its id under its new number");
            Expect.Equal(".", t.Line(5), "UIDL end");
        }

        private static void DeleAtQuitOnly()
        {
            Fixture f = new Fixture();
            // No QUIT: the connection ends, so there is no UPDATE state (RFC 1939 §6).
            Transcript t = f.Session(Login + "DELE 1\r\nLIST\r\nRETR 1\r\nDELE 1\r\n");
            Expect.StartsWith("+OK", t.Line(3), "DELE 1");
            Expect.StartsWith("+OK", t.Line(4), "LIST");
            Expect.Equal("2 " + Message2.Length.ToString(), t.Line(5), "a deleted message is not listed");
            Expect.Equal(".", t.Line(6), "LIST end");
            Expect.StartsWith("-ERR", t.Line(7), "RETR of a deleted message");
            Expect.StartsWith("-ERR", t.Line(8), "DELE of a deleted message");
            Expect.Equal(2, f.Store.CountOf("alice"), "messages after a session without QUIT");

            t = f.Session(Login + "DELE 1\r\nQUIT\r\n");
            Expect.StartsWith("+OK", t.Line(4), "QUIT");
            Expect.Equal(1, f.Store.CountOf("alice"), "messages after DELE and QUIT");
        }

        private static void RsetUndeletes()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session(Login + "DELE 1\r\nDELE 2\r\nRSET\r\nSTAT\r\nQUIT\r\n");
            Expect.StartsWith("+OK", t.Line(5), "RSET");
            Expect.StartsWith("+OK 2 ", t.Line(6), "STAT after RSET");
            Expect.Equal(2, f.Store.CountOf("alice"), "messages after RSET and QUIT");
        }

        private static void BadPassword()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session("USER alice\r\nPASS wrong\r\nSTAT\r\nQUIT\r\n");
            Expect.StartsWith("+OK", t.Line(1), "USER");
            Expect.StartsWith("-ERR", t.Line(2), "PASS wrong");
            Expect.StartsWith("-ERR", t.Line(3), "STAT before login");
            Expect.StartsWith("+OK", t.Line(4), "QUIT");
            Expect.Equal(2, f.Store.CountOf("alice"), "messages");
        }

        private static void NoBuffersRefused()
        {
            Fixture f = new Fixture();
            // Another session holds the pool: the next one is refused, nothing is allocated for it.
            byte[][]? held = f.Pool.TryRentSet(2);
            Expect.NotNull(held, "rent the whole pool");
            Transcript t = ScriptedSession.Run(f.Server.Serve, Login + "STAT\r\nQUIT\r\n", ReplyCapacity);
            Expect.StartsWith("-ERR [SYS/TEMP]", t.Line(0), "refusal instead of the greeting");
            Expect.Equal(1, t.Count, "nothing after the refusal");
            Expect.Equal(2, f.Pool.Capacity, "the pool did not grow");
            Expect.Equal(0, f.Store.OpenMaildrops, "no maildrop opened");
            f.Pool.ReturnSet(held!);
            t = f.Session(Login + "STAT\r\nQUIT\r\n");
            Expect.StartsWith("+OK 2 ", t.Line(3), "served again once the buffers are back");
        }

        private static void StlsDiscardsPlaintext()
        {
            Fixture f = new Fixture();
            Transcript t = f.Session("CAPA\r\nSTLS\r\n" + Login + "DELE 1\r\nQUIT\r\n");
            Expect.True(t.FindExact("STLS", 1) > 0, "CAPA lists STLS");
            int ok = t.FindExact(".", 1) + 1;
            Expect.StartsWith("+OK", t.Line(ok), "STLS accepted");
            Expect.Equal(ok + 1, t.Count, "nothing answered after STLS: the pipelined plaintext was discarded");
            Expect.Equal(2, f.Store.CountOf("alice"), "messages (the injected DELE and QUIT were not obeyed)");
        }

        /// <summary>
        /// Reads a multi-line body from line <paramref name="first"/> to its "." line, undoing
        /// dot-stuffing (RFC 1939 §3); returns the index after the terminator.
        /// </summary>
        private static int Body(Transcript t, int first, out string body)
        {
            body = "";
            for (int i = first; i < t.Count; i++)
            {
                string l = t.Line(i);
                if (l == ".") return i + 1;
                if (l.Length > 0 && l[0] == '.') l = l.Substring(1);
                body += l + "\r\n";
            }
            Expect.Fail("multi-line reply without its terminating line");
            return t.Count;
        }
    }
}
