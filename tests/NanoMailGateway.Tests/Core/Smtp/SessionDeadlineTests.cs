// Session deadlines against real loopback listeners and the real clock: a client that
// drips one octet at a time, each read well inside the read timeout, must still be cut off
// (a command line within the command timeout from its first octet, DATA at the minimum
// rate), junk commands end a session at the limit, and an over-long line counts as an error.
// The same drip against POP3 ends at the autologout time from the line's first octet.

using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Auth;
using NanoMailGateway.Core.Buffers;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Pop3;
using NanoMailGateway.Emulator.Host;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Interop;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SessionDeadlineTests
    {
        /// <summary>A raw TCP client: lines in, bytes out one at a time if asked.</summary>
        private sealed class RawClient : IDisposable
        {
            private readonly TcpClient _tcp;
            private readonly NetworkStream _stream;
            private readonly StreamReader _reader;

            public RawClient(int port)
            {
                _tcp = new TcpClient("127.0.0.1", port);
                _tcp.ReceiveTimeout = 20000;
                _stream = _tcp.GetStream();
                _reader = new StreamReader(_stream, Encoding.ASCII);
            }

            public string? ReadLine()
            {
                try { return _reader.ReadLine(); }
                catch (IOException) { return null; }
            }

            /// <summary>Reads a whole (possibly multi-line) SMTP reply; returns its last line.</summary>
            public string? ReadReply()
            {
                string? line;
                do { line = ReadLine(); } while (line != null && line.Length > 3 && line[3] == '-');
                return line;
            }

            public void Send(string text)
            {
                byte[] b = Encoding.ASCII.GetBytes(text);
                _stream.Write(b, 0, b.Length);
            }

            /// <summary>Sends one octet every <paramref name="gapMs"/> until the server answers or closes; returns the answer.</summary>
            public string? Drip(string text, int gapMs)
            {
                var answer = new System.Threading.Tasks.Task<string?>(ReadLine);
                answer.Start();
                foreach (char c in text)
                {
                    if (answer.Wait(gapMs)) return answer.Result;
                    try { Send(c.ToString()); }
                    catch (IOException) { break; }
                }
                return answer.Wait(20000) ? answer.Result : "no answer";
            }

            public void Dispose() => _tcp.Dispose();
        }

        [Fact]
        public void A_command_line_dripped_an_octet_at_a_time_ends_at_the_command_timeout_from_its_first_octet()
        {
            using var server = new LoopbackSmtpServer(o => { o.CommandTimeoutMs = 2000; });
            using var c = new RawClient(server.Port);
            Assert.StartsWith("220 ", c.ReadReply());
            var sw = Stopwatch.StartNew();
            // 40 octets, one every 500 ms: each read is 4x inside the timeout, the line takes 20 s.
            string? answer = c.Drip("EHLO a-very-slow-client.example.org.test\r\n", 500);
            Assert.Equal("421 4.4.2 Timeout exceeded, closing connection", answer);
            Assert.InRange(sw.ElapsedMilliseconds, 1500, 6000);
            Assert.Null(c.ReadLine());
        }

        [Fact]
        public void DATA_slower_than_the_minimum_rate_ends_with_421_4_4_2_and_nothing_is_stored()
        {
            using var server = new LoopbackSmtpServer(o => { o.DataTimeoutMs = 2000; });
            using var c = new RawClient(server.Port);
            c.ReadReply();
            c.Send("EHLO x\r\n");
            c.ReadReply();
            c.Send("MAIL FROM:<s@example.org>\r\n");
            Assert.StartsWith("250", c.ReadReply());
            c.Send("RCPT TO:<r@example.org>\r\n");
            c.ReadReply();   // relay refused or not: DATA needs a recipient, so use a local one below
            c.Send("RCPT TO:<postmaster@gw.example.net>\r\n");
            Assert.StartsWith("250", c.ReadReply());
            c.Send("DATA\r\n");
            Assert.StartsWith("354", c.ReadReply());
            var sw = Stopwatch.StartNew();
            string? answer = c.Drip("Subject: slow\r\n\r\n" + new string('x', 200) + "\r\n.\r\n", 400);
            Assert.Equal("421 4.4.2 Data arriving too slowly, closing connection", answer);
            Assert.InRange(sw.ElapsedMilliseconds, 1500, 6000);
            Assert.Empty(server.Store.Committed());
        }

        [Fact]
        public void Junk_commands_beyond_the_limit_end_the_session_with_421_4_7_0_and_MAIL_restarts_the_count()
        {
            using var server = new LoopbackSmtpServer();
            using var c = new RawClient(server.Port);
            c.ReadReply();
            c.Send("EHLO x\r\n");
            Assert.StartsWith("250 ", c.ReadReply());
            for (int i = 0; i < global::NanoMailGateway.Core.Smtp.SmtpServerSession.JunkCommandLimit - 1; i++)
            {
                c.Send("NOOP\r\n");
                Assert.StartsWith("250 ", c.ReadReply());
            }
            c.Send("MAIL FROM:<s@example.org>\r\nRCPT TO:<postmaster@gw.example.net>\r\nDATA\r\n");
            c.ReadReply();
            c.ReadReply();
            Assert.StartsWith("354", c.ReadReply());
            c.Send("Subject: t\r\n\r\nbody\r\n.\r\n");
            Assert.StartsWith("250 2.0.0", c.ReadReply());
            for (int i = 0; i < global::NanoMailGateway.Core.Smtp.SmtpServerSession.JunkCommandLimit; i++)
            {
                string junk = new[] { "RSET", "VRFY x", "HELP", "NOOP", "HELO y", "EHLO z" }[i % 6];
                c.Send(junk + "\r\n");
                Assert.Matches("^(250|252|214) ", c.ReadReply());
            }
            c.Send("NOOP\r\n");
            Assert.Equal("421 4.7.0 Too many commands without mail, closing connection", c.ReadReply());
            Assert.Null(c.ReadLine());
        }

        [Fact]
        public void Over_long_lines_count_as_errors()
        {
            using var server = new LoopbackSmtpServer(o => { o.ErrorLimit = 2; });
            using var c = new RawClient(server.Port);
            c.ReadReply();
            c.Send(new string('A', 2000) + "\r\n");
            Assert.StartsWith("500 5.5.2", c.ReadReply());
            c.Send("NOOP " + new string('B', 600) + "\r\n");
            Assert.StartsWith("500 5.5.2", c.ReadReply());
            Assert.Equal("421 4.7.0 Too many errors, closing connection", c.ReadReply());
            Assert.Null(c.ReadLine());
        }

        [Fact]
        public void A_POP3_line_dripped_an_octet_at_a_time_ends_at_the_autologout_time_from_its_first_octet()
        {
            var log = new QuietLog(true);
            var options = new Pop3ServerOptions { AutologoutMs = 2000 };
            var store = new TinyMaildropStore();
            store.AddMailbox("alice");
            var pop3 = new Pop3Server(options, store, new TableAuthenticator().Add("alice", "secret"), new AuthThrottle(new SystemClock()), null,
                new BufferPool("pop3", 512, 2), new SystemClock(), log);
            var listener = new ConnectionListener(new HostSocketNetwork().Listen("127.0.0.1", 0, 4), new Pop3SessionFactory(pop3), 1, log);
            listener.Start();
            try
            {
                using var c = new RawClient(listener.LocalPort);
                Assert.StartsWith("+OK", c.ReadLine());
                var sw = Stopwatch.StartNew();
                string? answer = c.Drip("USER alice-with-a-rather-long-name-for-a-drip\r\n", 500);
                Assert.Null(answer);   // RFC 1939 §3: autologout closes without a reply
                Assert.InRange(sw.ElapsedMilliseconds, 1500, 6000);
            }
            finally
            {
                listener.Stop(2000);
            }
        }
    }
}
