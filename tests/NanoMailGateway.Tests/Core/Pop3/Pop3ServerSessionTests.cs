// Transcripts of whole POP3 sessions over in-memory connections (RFC 1939, 2449, 2595, 5034).

using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Core.Simulation;
using NanoMailGateway.Tests.Support;
using Xunit;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3ServerSessionTests
    {
        private static string Unstuff(byte[] raw)
        {
            string s = Encoding.Latin1.GetString(raw);
            var sb = new StringBuilder();
            foreach (string line in s.Split("\r\n"))
            {
                // split leaves "" after the last CRLF
                sb.Append(line.StartsWith('.') ? line.Substring(1) : line).Append("\r\n");
            }
            return sb.ToString(0, sb.Length - 2);
        }

        private static string DotMessage(int size)
        {
            // Lines of varying length, many starting with '.', so that dots fall on every
            // offset of the 256-octet chunk the session reads.
            var sb = new StringBuilder("Subject: dots\r\n\r\n");
            int i = 0;
            while (sb.Length < size)
            {
                sb.Append(i % 3 == 0 ? "." : "").Append(new string('x', i % 37)).Append("\r\n");
                if (i % 11 == 0) sb.Append(".\r\n..\r\n");
                i++;
            }
            return sb.ToString();
        }

        [Fact]
        public void Greeting_then_STAT_LIST_and_RETR_agree_on_octets()
        {
            var h = new Pop3Harness();
            h.Store.ReadChunkLimit = 7;
            string[] msgs = { "Subject: a\r\n\r\nhello\r\n", DotMessage(3000), ".\r\n", "Subject: b\r\n\r\n.\r\n.\r\n" };
            foreach (string m in msgs) h.Store.Deliver("alice", m);
            using var c = h.Connect();
            Assert.Equal("+OK NanoMailGateway POP3 server ready", c.ReadLine());
            c.Command("USER alice");
            Assert.Equal("+OK maildrop has 4 messages (" + msgs.Sum(m => m.Length) + " octets)", c.Command("PASS secret"));
            Assert.Equal("+OK 4 " + msgs.Sum(m => m.Length), c.Command("STAT"));
            Assert.Equal("+OK scan listing follows", c.Command("LIST"));
            string[] list = c.ReadMultiline();
            Assert.Equal(msgs.Select((m, i) => (i + 1) + " " + m.Length).ToArray(), list);
            for (int i = 0; i < msgs.Length; i++)
            {
                Assert.Equal("+OK " + (i + 1) + " " + msgs[i].Length, c.Command("LIST " + (i + 1)));
                Assert.Equal("+OK " + msgs[i].Length + " octets", c.Command("RETR " + (i + 1)));
                byte[] raw = c.ReadMultilineRaw();
                Assert.Equal(msgs[i], Unstuff(raw));
            }
        }

        [Theory]
        [InlineData(512, int.MaxValue)]
        [InlineData(512, 1)]
        [InlineData(512, 255)]
        [InlineData(1024, 333)]
        public void Large_message_with_dot_lines_streams_exactly(int bufferSize, int readLimit)
        {
            var h = new Pop3Harness(bufferSize: bufferSize);
            h.Store.ReadChunkLimit = readLimit;
            string m = DotMessage(40_000);
            h.Store.Deliver("alice", m);
            using var c = h.Login();
            Assert.Equal("+OK " + m.Length + " octets", c.Command("RETR 1"));
            byte[] raw = c.ReadMultilineRaw();
            Assert.Equal(m, Unstuff(raw));
            int dotLines = m.Split("\r\n").Count(l => l.StartsWith('.'));
            Assert.Equal(m.Length + dotLines, raw.Length);   // one extra '.' per such line
        }

        [Fact]
        public void A_stored_message_without_final_CRLF_is_still_terminated()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "x\r\n");
            var drop = new BrokenContractStore();
            var server = new Pop3Server(h.Options, drop, h.Auth, h.Throttle, null, h.Pool, h.Clock, h.Log);
            MemoryConnection.CreatePair("192.0.2.9", "192.0.2.1", out var client, out var srv);
            var t = new Thread(() => server.Serve(srv));
            t.Start();
            using var c = new Pop3TestClient(client, t);
            c.ExpectOk();
            c.Command("USER alice");
            c.Command("PASS secret");
            Assert.Equal("+OK 5 octets", c.Command("RETR 1"));
            Assert.Equal("Hello", c.ReadLine());
            Assert.Equal(".", c.ReadLine());
        }

        private sealed class BrokenContractStore : IMaildropStore
        {
            public IMaildrop? Open(string mailbox) => new Drop();
            private sealed class Drop : IMaildrop
            {
                private static readonly byte[] Data = Encoding.ASCII.GetBytes("Hello");
                public int Count => 1;
                public long SizeOf(int index) => Data.Length;
                public string UniqueId(int index) => "u1";
                public int Read(int index, long position, byte[] buffer, int offset, int count)
                {
                    int n = (int)Math.Min(count, Data.Length - position);
                    Array.Copy(Data, position, buffer, offset, n);
                    return n;
                }
                public bool Commit(bool[] deleted) => true;
                public void Close() { }
            }
        }

        [Theory]
        [InlineData(0, "Subject: t\r\nX: y\r\n\r\n")]
        [InlineData(1, "Subject: t\r\nX: y\r\n\r\n..one\r\n")]
        [InlineData(2, "Subject: t\r\nX: y\r\n\r\n..one\r\ntwo\r\n")]
        [InlineData(99, "Subject: t\r\nX: y\r\n\r\n..one\r\ntwo\r\nthree\r\n")]
        public void TOP_sends_header_blank_line_and_n_body_lines(int n, string expected)
        {
            var h = new Pop3Harness();
            h.Store.ReadChunkLimit = 3;
            h.Store.Deliver("alice", "Subject: t\r\nX: y\r\n\r\n.one\r\ntwo\r\nthree\r\n");
            using var c = h.Login();
            Assert.Equal("+OK top of message follows", c.Command("TOP 1 " + n));
            Assert.Equal(expected, Encoding.Latin1.GetString(c.ReadMultilineRaw()));
        }

        [Fact]
        public void DELE_then_dropped_connection_deletes_nothing()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "a\r\n");
            h.Store.Deliver("alice", "b\r\n");
            var c = h.Login();
            Assert.Equal("+OK message deleted", c.Command("DELE 1"));
            Assert.Equal("+OK message deleted", c.Command("DELE 2"));
            c.Dispose();   // no QUIT
            Assert.Equal(2, h.Store.Uids("alice").Length);
            Assert.Equal(0, h.Store.Commits);
            Assert.Equal(0, h.Server.LockedCount);
            Assert.Equal(0, h.Store.OpenMaildrops);
            Assert.Equal(0, h.Pool.InUse);
        }

        [Fact]
        public void DELE_then_RSET_then_QUIT_deletes_nothing()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "a\r\n");
            h.Store.Deliver("alice", "bb\r\n");
            using var c = h.Login();
            c.Command("DELE 1");
            Assert.Equal("+OK 1 4", c.Command("STAT"));
            Assert.Equal("-ERR message already deleted", c.Command("RETR 1"));
            Assert.Equal("-ERR message already deleted", c.Command("LIST 1"));
            Assert.Equal("-ERR message already deleted", c.Command("DELE 1"));
            Assert.Equal("+OK maildrop has 2 messages (7 octets)", c.Command("RSET"));
            Assert.Equal("+OK 1 3", c.Command("LIST 1"));
            Assert.Equal("+OK bye", c.Command("QUIT"));
            Assert.True(c.WaitClosed());
            Assert.Equal(2, h.Store.Uids("alice").Length);
        }

        [Fact]
        public void DELE_then_QUIT_removes_the_message_and_keeps_the_other_UIDs()
        {
            var h = new Pop3Harness();
            string u1 = h.Store.Deliver("alice", "a\r\n");
            string u2 = h.Store.Deliver("alice", "b\r\n");
            string u3 = h.Store.Deliver("alice", "c\r\n");
            using (var c = h.Login())
            {
                c.Command("DELE 2");
                Assert.Equal("+OK unique-id listing follows", c.Command("UIDL"));
                Assert.Equal(new[] { "1 " + u1, "3 " + u3 }, c.ReadMultiline());
                Assert.Equal("+OK bye, deleted messages removed", c.Command("QUIT"));
                Assert.True(c.WaitClosed());
            }
            Assert.Equal(new[] { u1, u3 }, h.Store.Uids("alice"));
            using var d = h.Login();
            Assert.Equal("+OK unique-id listing follows", d.Command("UIDL"));
            Assert.Equal(new[] { "1 " + u1, "2 " + u3 }, d.ReadMultiline());
            Assert.DoesNotContain(u2, h.Store.Uids("alice"));
        }

        [Fact]
        public void UIDL_is_stable_across_sessions()
        {
            var h = new Pop3Harness();
            for (int i = 0; i < 5; i++) h.Store.Deliver("alice", "m" + i + "\r\n");
            string[] first;
            using (var c = h.Login())
            {
                c.Command("UIDL");
                first = c.ReadMultiline();
                Assert.Equal("+OK 3 " + first[2].Split(' ')[1], c.Command("UIDL 3"));
                c.Command("QUIT");
            }
            using var d = h.Login();
            d.Command("UIDL");
            Assert.Equal(first, d.ReadMultiline());
            Assert.All(first, l => Assert.Matches("^[0-9]+ [\\x21-\\x7e]{1,70}$", l));
        }

        [Fact]
        public void A_second_session_on_the_same_maildrop_gets_IN_USE_until_the_first_ends()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "a\r\n");
            var first = h.Login();
            using (var second = h.Connect())
            {
                second.ExpectOk();
                second.Command("USER ALICE");   // same mailbox, other spelling
                Assert.Equal("-ERR [IN-USE] maildrop is locked by another session", second.Command("PASS secret"));
                // Another mailbox is not affected.
                Assert.StartsWith("+OK", second.Command("USER bob"), StringComparison.Ordinal);
                Assert.StartsWith("+OK maildrop has 0", second.Command("PASS hunter 2"), StringComparison.Ordinal);
            }
            first.Dispose();   // dropped: lock released anyway
            Assert.Equal(0, h.Server.LockedCount);
            using var third = h.Login();
            Assert.StartsWith("+OK 1 ", third.Command("STAT"), StringComparison.Ordinal);
        }

        [Fact]
        public void Failed_logins_get_AUTH_after_a_growing_delay_per_session_and_per_address()
        {
            var h = new Pop3Harness(authDelayMs: 60, authMaxDelayMs: 2000);
            var times = new long[3];
            using (var c = h.Connect("198.51.100.7"))
            {
                c.ExpectOk();
                for (int i = 0; i < 3; i++)
                {
                    c.Command("USER alice");
                    var sw = Stopwatch.StartNew();
                    Assert.Equal("-ERR [AUTH] invalid user name or password", c.Command("PASS wrong"));
                    times[i] = sw.ElapsedMilliseconds;
                }
            }
            Assert.True(times[0] >= 55, "first delay " + times[0]);
            Assert.True(times[1] >= 115 && times[1] > times[0], "second delay " + times[1]);
            Assert.True(times[2] >= 235 && times[2] > times[1], "third delay " + times[2]);

            // A new session from the same address continues where the last one stopped ...
            using (var c = h.Connect("198.51.100.7"))
            {
                c.ExpectOk();
                c.Command("USER nosuchuser");
                var sw = Stopwatch.StartNew();
                Assert.StartsWith("-ERR [AUTH]", c.Command("PASS x"), StringComparison.Ordinal);
                Assert.True(sw.ElapsedMilliseconds >= 475, "fourth delay " + sw.ElapsedMilliseconds);
            }
            // ... while another address starts at the base delay.
            using (var c = h.Connect("198.51.100.8"))
            {
                c.ExpectOk();
                c.Command("USER alice");
                var sw = Stopwatch.StartNew();
                Assert.StartsWith("-ERR [AUTH]", c.Command("PASS x"), StringComparison.Ordinal);
                Assert.InRange(sw.ElapsedMilliseconds, 55, 450);
            }
            Assert.True(h.Log.Contains("login failed for nosuchuser from 198.51.100.7, failure 1, delay 480 ms"));   // the first of its session, the fourth of its address
        }

        public static TheoryData<string, string, string> BadInput => new TheoryData<string, string, string>
        {
            { "login", "", "-ERR unknown command" },
            { "login", "HELO x", "-ERR unknown command" },
            { "login", "USER", "-ERR syntax error in arguments" },
            { "login", "USER a b", "-ERR syntax error in arguments" },
            { "login", "USER a\rb", "-ERR syntax error in arguments" },
            { "login", "USER a\u0001", "-ERR syntax error in arguments" },
            { "login", "CAPA x", "-ERR syntax error in arguments" },
            { "login", "STLS now", "-ERR syntax error in arguments" },
            { "login", "AUTH CRAM-MD5", "-ERR unsupported authentication mechanism" },
            { "login", "AUTH PLAIN !!!!", "-ERR syntax error in arguments" },
            { "login", "QUIT now", "-ERR syntax error in arguments" },
            { "password", "PASSWORD x", "-ERR unknown command" },
            { "password", "STAT", "-ERR command not valid in this state" },
            { "transaction", "RETR", "-ERR syntax error in arguments" },
            { "transaction", "RETR x", "-ERR syntax error in arguments" },
            { "transaction", "RETR -1", "-ERR syntax error in arguments" },
            { "transaction", "RETR 1 2", "-ERR syntax error in arguments" },
            { "transaction", "RETR 0", "-ERR no such message" },
            { "transaction", "RETR 3", "-ERR no such message" },
            { "transaction", "RETR 99999999999999", "-ERR syntax error in arguments" },
            { "transaction", "LIST a", "-ERR syntax error in arguments" },
            { "transaction", "LIST 9", "-ERR no such message" },
            { "transaction", "UIDL 0", "-ERR no such message" },
            { "transaction", "DELE", "-ERR syntax error in arguments" },
            { "transaction", "TOP 1", "-ERR syntax error in arguments" },
            { "transaction", "TOP 1 -1", "-ERR syntax error in arguments" },
            { "transaction", "TOP x 1", "-ERR syntax error in arguments" },
            { "transaction", "TOP 5 1", "-ERR no such message" },
            { "transaction", "STAT 1", "-ERR syntax error in arguments" },
            { "transaction", "NOOP 1", "-ERR syntax error in arguments" },
            { "transaction", "RSET 1", "-ERR syntax error in arguments" },
            { "transaction", "USER bob", "-ERR command not valid in this state" },
            { "transaction", "XTND XMIT", "-ERR unknown command" },
        };

        [Theory]
        [MemberData(nameof(BadInput))]
        public void Bad_commands_and_arguments_are_refused_and_the_session_continues(string state, string line, string reply)
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "a\r\n");
            h.Store.Deliver("alice", "b\r\n");
            using var c = state == "transaction" ? h.Login() : h.Connect();
            if (state != "transaction") c.ExpectOk();
            if (state == "password") c.Command("USER alice");
            Assert.Equal(reply, c.Command(line));
            Assert.StartsWith("+OK capability list follows", c.Command("CAPA"), StringComparison.Ordinal);
            c.ReadMultiline();
        }

        [Theory]
        [InlineData(256)]    // one over RFC 2449 §4's 255 with CRLF
        [InlineData(511)]
        [InlineData(5000)]   // far longer than the session's buffer
        public void Over_long_lines_get_one_error_and_the_session_continues(int length)
        {
            var h = new Pop3Harness();
            using var c = h.Connect();
            c.ExpectOk();
            c.Send("USER " + new string('a', length - 7) + "\r\n");
            Assert.Equal("-ERR line too long", c.ReadLine());
            Assert.Equal("+OK send PASS", c.Command("USER " + new string('a', 255 - 7)));   // exactly 255: fine
        }

        [Fact]
        public void Too_many_errors_close_the_session_with_SYS_PERM()
        {
            var h = new Pop3Harness(o => o.MaxErrors = 3);
            using var c = h.Connect();
            c.ExpectOk();
            Assert.Equal("-ERR unknown command", c.Command("FOO"));
            Assert.Equal("-ERR command not valid in this state", c.Command("STAT"));
            Assert.Equal("-ERR unknown command", c.Command("BAR"));
            Assert.Equal("-ERR [SYS/PERM] too many errors, closing connection", c.ReadLine());
            Assert.True(c.WaitClosed());
        }

        [Fact]
        public void Autologout_closes_silently_and_deletes_nothing()
        {
            var h = new Pop3Harness(o => o.AutologoutMs = 300);
            h.Store.Deliver("alice", "a\r\n");
            using var c = h.Login();
            c.Command("DELE 1");
            var sw = Stopwatch.StartNew();
            Assert.True(c.WaitClosed(5000));   // no reply line, just the close
            Assert.InRange(sw.ElapsedMilliseconds, 250, 4000);
            Assert.True(c.WaitSessionEnd());
            Assert.Single(h.Store.Uids("alice"));
            Assert.Equal(0, h.Server.LockedCount);
            Assert.True(h.Log.Contains("autologout in transaction"));
        }

        [Fact]
        public void Default_autologout_honours_RFC1939_minimum()
        {
            Assert.True(new Pop3ServerOptions().AutologoutMs >= 10 * 60 * 1000);
        }

        [Fact]
        public void STLS_discards_plaintext_sent_after_it()
        {
            var h = new Pop3Harness(tls: new MemoryTlsProvider(true, false));
            h.Store.Deliver("alice", "a\r\n");
            using var c = h.Connect();
            c.ExpectOk();
            c.Send("CAPA\r\n");
            Assert.Contains("STLS", c.ReadMultiline());
            // The attacker's injection rides in the same packet as STLS (CVE-2011-0411).
            c.Send("STLS\r\nUSER alice\r\nPASS secret\r\n");
            Assert.Equal("+OK begin TLS negotiation", c.ReadLine());
            // The injected USER was dropped: PASS now has no USER before it.
            Assert.Equal("-ERR command not valid in this state", c.Command("PASS secret"));
            c.Send("CAPA\r\n");
            c.ExpectOk();
            Assert.DoesNotContain("STLS", c.ReadMultiline());
            Assert.Equal("-ERR STLS not available", c.Command("STLS"));
            c.Command("USER alice");
            Assert.StartsWith("+OK maildrop has 1", c.Command("PASS secret"), StringComparison.Ordinal);
        }

        [Fact]
        public void STLS_is_not_offered_without_a_certificate_and_a_failed_handshake_closes()
        {
            var none = new Pop3Harness(tls: new MemoryTlsProvider(false, false));
            using (var c = none.Connect())
            {
                c.ExpectOk();
                c.Send("CAPA\r\n");
                c.ExpectOk();
                Assert.DoesNotContain("STLS", c.ReadMultiline());
            }
            var failing = new Pop3Harness(tls: new MemoryTlsProvider(true, true));
            using var d = failing.Connect();
            d.ExpectOk();
            Assert.Equal("+OK begin TLS negotiation", d.Command("STLS"));
            Assert.True(d.WaitClosed());
        }

        [Fact]
        public void CAPA_lists_the_RFC2449_tags()
        {
            var h = new Pop3Harness();
            using var c = h.Connect();
            c.ExpectOk();
            c.Send("CAPA\r\n");
            Assert.Equal("+OK capability list follows", c.ReadLine());
            Assert.Equal(new[] { "USER", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER", "IMPLEMENTATION NanoMailGateway", "SASL PLAIN" }, c.ReadMultiline());
        }

        private static string B64(string s) => Convert.ToBase64String(Encoding.Latin1.GetBytes(s));

        [Fact]
        public void AUTH_PLAIN_with_initial_response_continuation_empty_and_cancel()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("bob", "a\r\n");
            using (var c = h.Connect())
            {
                c.ExpectOk();
                Assert.Equal("+ ", c.Command("AUTH PLAIN"));
                Assert.Equal("-ERR authentication cancelled", c.Command("*"));
                Assert.Equal("+ ", c.Command("AUTH PLAIN"));
                Assert.Equal("-ERR syntax error in arguments", c.Command("="));   // empty response: no user
                Assert.StartsWith("-ERR [AUTH]", c.Command("AUTH PLAIN " + B64("\0bob\0wrong")), StringComparison.Ordinal);
                Assert.StartsWith("-ERR [AUTH]", c.Command("AUTH PLAIN " + B64("\0bob\r\nforged\0hunter 2")), StringComparison.Ordinal);
                Assert.Equal("+ ", c.Command("AUTH plain"));
                Assert.StartsWith("+OK maildrop has 1", c.Command(B64("\0bob\0hunter 2")), StringComparison.Ordinal);
                c.Command("QUIT");
            }
            using (var c = h.Connect())
            {
                c.ExpectOk();
                Assert.StartsWith("-ERR syntax error", c.Command("AUTH PLAIN ="), StringComparison.Ordinal);
                Assert.StartsWith("+OK maildrop has 1", c.Command("AUTH PLAIN " + B64("bob\0bob\0hunter 2")), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void AUTH_PLAIN_can_be_switched_off()
        {
            var h = new Pop3Harness(o => o.OfferSaslPlain = false);
            using var c = h.Connect();
            c.ExpectOk();
            Assert.Equal("-ERR unsupported authentication mechanism", c.Command("AUTH PLAIN"));
            c.Send("CAPA\r\n");
            c.ExpectOk();
            Assert.DoesNotContain("SASL PLAIN", c.ReadMultiline());
        }

        [Fact]
        public void Pipelined_commands_are_answered_in_order()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "Subject: p\r\n\r\n.x\r\n");
            using var c = h.Connect();
            c.ExpectOk();
            c.Send("USER alice\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nNOOP\r\nQUIT\r\n");
            Assert.Equal("+OK send PASS", c.ReadLine());
            c.ExpectOk();
            Assert.Equal("+OK 1 18", c.ReadLine());
            Assert.Equal("+OK 18 octets", c.ReadLine());
            Assert.Equal(new[] { "Subject: p", "", "..x" }, c.ReadMultiline());
            Assert.Equal("+OK", c.ReadLine());
            Assert.Equal("+OK bye", c.ReadLine());
            Assert.True(c.WaitClosed());
        }

        [Theory]
        [InlineData("pass ends with space ", "PASS pass ends with space ", true)]
        [InlineData("pass ends with space ", "PASS pass ends with space", false)]
        [InlineData("x", "PASS x", true)]
        public void PASS_takes_the_rest_of_the_line_with_its_spaces(string password, string line, bool ok)
        {
            var h = new Pop3Harness();
            h.Auth.Add("dave", password);
            h.Store.AddMailbox("dave");
            using var c = h.Connect();
            c.ExpectOk();
            Assert.Equal("+OK send PASS", c.Command("USER dave "));
            Assert.StartsWith(ok ? "+OK maildrop has 0" : "-ERR [AUTH]", c.Command(line), StringComparison.Ordinal);
        }

        [Fact]
        public void Trailing_blanks_after_commands_are_forgiven()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "a\r\n");
            using var c = h.Login();
            Assert.Equal("+OK 1 3", c.Command("LIST 1  "));
            Assert.Equal("+OK scan listing follows", c.Command("LIST "));
            Assert.Equal(new[] { "1 3" }, c.ReadMultiline());
            Assert.Equal("+OK", c.Command("NOOP "));
        }

        [Fact]
        public void Remembered_failures_of_an_address_expire()
        {
            var h = new Pop3Harness(authDelayMs: 40, authMaxDelayMs: 5000, authMemoryMs: 60_000);
            using (var c = h.Connect("203.0.113.5"))
            {
                c.ExpectOk();
                for (int i = 0; i < 3; i++) { c.Command("USER alice"); c.Command("PASS bad"); }
            }
            h.Clock.Advance(TimeSpan.FromMinutes(2));
            using var d = h.Connect("203.0.113.5");
            d.ExpectOk();
            d.Command("USER alice");
            var sw = Stopwatch.StartNew();
            Assert.StartsWith("-ERR [AUTH]", d.Command("PASS bad"), StringComparison.Ordinal);
            Assert.InRange(sw.ElapsedMilliseconds, 35, 280);   // base delay again, not 320 ms
            Assert.True(h.Log.Contains("from 203.0.113.5, failure 1,"));
        }

        [Fact]
        public void Failed_commit_is_reported_and_keeps_the_messages()
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "a\r\n");
            h.Store.FailCommit = true;
            using var c = h.Login();
            c.Command("DELE 1");
            Assert.Equal("-ERR [SYS/TEMP] some deleted messages not removed", c.Command("QUIT"));
            Assert.Single(h.Store.Uids("alice"));
        }

        [Fact]
        public void Unknown_mailbox_and_exhausted_pool_are_refused()
        {
            var h = new Pop3Harness(buffers: 2);
            h.Auth.Add("carol", "pw");   // account without a mailbox
            using var c = h.Connect();
            c.ExpectOk();
            c.Command("USER carol");
            Assert.Equal("-ERR [SYS/PERM] no maildrop for this user", c.Command("PASS pw"));
            using var d = h.Connect();   // the pool holds one session's buffers only
            Assert.Equal("-ERR [SYS/TEMP] server busy, try again later", d.ReadLine());
            Assert.True(d.WaitClosed());
        }

        [Fact]
        public void The_busy_line_for_the_listener_is_a_SYS_TEMP_error()
        {
            Assert.Equal("-ERR [SYS/TEMP] too many sessions\r\n", Pop3Replies.TooManySessions);
        }
    }
}
