using System;
using System.Text;
using NanoMailGateway.Emulator.Submission;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Submission
{
    public class SubmittedMessageTests
    {
        private static readonly DateTime When = new DateTime(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

        private static SubmittedMessage Prepare(string input, bool dotEnds = false, string sender = "a@gw.test")
        {
            return SubmittedMessage.Prepare(Encoding.UTF8.GetBytes(input), dotEnds, sender, "gw.test", When);
        }

        [Fact]
        public void Folded_Bcc_goes_whole_and_folded_To_gives_its_addresses()
        {
            var m = Prepare("To: a@x.test,\n  B <b@x.test>\nBcc: c@x.test,\n\td@x.test\nFrom: me@x.test\nDate: x\nmessage-id: <1@x>\n\nbody\n");
            Assert.Equal("To: a@x.test,\r\n  B <b@x.test>\r\nFrom: me@x.test\r\nDate: x\r\nmessage-id: <1@x>\r\n\r\nbody\r\n", Encoding.UTF8.GetString(m.Content));
            Assert.Equal(new[] { "a@x.test", "b@x.test", "c@x.test", "d@x.test" }, m.HeaderRecipients);
            Assert.False(m.EightBit);
        }

        [Fact]
        public void A_message_without_fields_gets_them_and_the_empty_line()
        {
            string text = Encoding.UTF8.GetString(Prepare("just a line\r\nand caf\u00e9\n").Content);
            Assert.Matches("^From: a@gw.test\r\nDate: Fri, 4 Dec 2026 10:00:00 \\+0000\r\nMessage-ID: <[0-9a-f]+\\.[0-9a-f]{12}@gw.test>\r\n\r\njust a line\r\nand caf\u00e9\r\n$", text);
            Assert.True(Prepare("x: caf\u00e9\n").EightBit);
        }

        [Fact]
        public void The_null_sender_adds_no_From_and_a_dot_line_ends_the_input_only_when_asked()
        {
            string text = Encoding.UTF8.GetString(Prepare("Subject: s\n\n.\nmore", dotEnds: true, sender: "").Content);
            Assert.DoesNotContain("From:", text);
            Assert.EndsWith("\r\n\r\n", text);
            Assert.EndsWith("\r\n\r\n.\r\nmore\r\n", Encoding.UTF8.GetString(Prepare("Subject: s\n\n.\nmore").Content));
        }

        [Fact]
        public void A_line_of_999_octets_is_refused_with_its_number()
        {
            Prepare("S: x\n\n" + new string('a', 998) + "\r\n");
            var e = Assert.Throws<FormatException>(() => Prepare("S: x\n\n" + new string('a', 999) + "\r\n"));
            Assert.Equal("line 3 is longer than 998 octets (RFC 5322 §2.1.1)", e.Message);
        }
    }
}
