// Every command in every state: allowed ones get their normal first reply, refused ones
// "-ERR command not valid in this state" (table in Pop3Commands; RFC 1939 §4-§7).

using System;
using System.Collections.Generic;
using NanoMailGateway.Tests.Support;
using Xunit;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3CommandTableTests
    {
        private const string WrongState = "-ERR command not valid in this state";

        // command line, first reply in login state, after USER, in transaction (null = refused).
        private static readonly (string Line, string? Login, string? Password, string? Transaction)[] Table =
        {
            ("USER alice", "+OK", "+OK", null),
            ("PASS secret", null, "+OK maildrop has", null),
            ("APOP alice c4c9334bac560ecc979e58001b3e22fb", "-ERR APOP not supported", null, null),
            ("AUTH PLAIN", "+ ", null, null),
            ("STLS", "-ERR STLS not available", null, null),
            ("CAPA", "+OK capability list follows", "+OK capability list follows", "+OK capability list follows"),
            ("QUIT", "+OK bye", "+OK bye", "+OK bye"),
            ("STAT", null, null, "+OK 2 "),
            ("LIST", null, null, "+OK scan listing follows"),
            ("LIST 1", null, null, "+OK 1 "),
            ("RETR 1", null, null, "+OK "),
            ("DELE 1", null, null, "+OK message deleted"),
            ("NOOP", null, null, "+OK"),
            ("RSET", null, null, "+OK maildrop has 2 messages"),
            ("TOP 1 0", null, null, "+OK top of message follows"),
            ("UIDL", null, null, "+OK unique-id listing follows"),
            ("UIDL 2", null, null, "+OK 2 st-"),
        };

        public static IEnumerable<object[]> Rows()
        {
            foreach (var r in Table)
            {
                yield return new object[] { "login", r.Line, r.Login ?? WrongState };
                yield return new object[] { "password", r.Line, r.Password ?? WrongState };
                yield return new object[] { "transaction", r.Line, r.Transaction ?? WrongState };
            }
        }

        [Theory]
        [MemberData(nameof(Rows))]
        public void Command_in_state(string state, string line, string expectedStart)
        {
            var h = new Pop3Harness();
            h.Store.Deliver("alice", "Subject: one\r\n\r\nfirst\r\n");
            h.Store.Deliver("alice", "Subject: two\r\n\r\nsecond\r\n");
            using var c = state == "transaction" ? h.Login() : h.Connect();
            if (state != "transaction") c.ExpectOk();
            if (state == "password") c.Command("USER alice");
            string reply = c.Command(line);
            Assert.StartsWith(expectedStart, reply, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("user alice")]
        [InlineData("User alice")]
        [InlineData("uSeR alice")]
        public void Verbs_are_case_insensitive(string line)
        {
            var h = new Pop3Harness();
            using var c = h.Connect();
            c.ExpectOk();
            Assert.Equal("+OK send PASS", c.Command(line));
        }

        [Fact]
        public void A_line_while_waiting_for_a_SASL_response_is_not_a_command()
        {
            var h = new Pop3Harness();
            using var c = h.Connect();
            c.ExpectOk();
            Assert.Equal("+ ", c.Command("AUTH PLAIN"));
            Assert.Equal("-ERR syntax error in arguments", c.Command("CAPA"));   // read as base64
            Assert.StartsWith("+OK capability", c.Command("CAPA"), StringComparison.Ordinal);
        }
    }
}
