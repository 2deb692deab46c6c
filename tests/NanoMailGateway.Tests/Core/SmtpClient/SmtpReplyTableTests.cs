// The client's outcome table (SmtpReplyTable) as a table: every stage against every
// reply class, one row each. The hostile cells (a 2xx to DATA, a 3xx where none belongs)
// are rows like the others; SmtpHostileServerTests drives the same cells over a socket.

using NanoMailGateway.Core.SmtpClient;
using Xunit;
using static NanoMailGateway.Core.SmtpClient.ReplyVerdict;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    public class SmtpReplyTableTests
    {
        // Columns: the expected code of the stage, 2xx (250), 354, 334, another 3xx (300),
        // 4xx (450), 421, 5xx (550).
        private const int Ok = 250, GoAhead = 354, Challenge = 334, Other3xx = 300, Temp = 450, Closing421 = 421, Perm = 550;

        public static TheoryData<SmtpStage, int, ReplyVerdict> Table()
        {
            var t = new TheoryData<SmtpStage, int, ReplyVerdict>();
            void Row(SmtpStage s, ReplyVerdict r220, ReplyVerdict r250, ReplyVerdict r354, ReplyVerdict r334, ReplyVerdict r300, ReplyVerdict r450, ReplyVerdict r421, ReplyVerdict r550)
            {
                t.Add(s, 220, r220);
                t.Add(s, Ok, r250);
                t.Add(s, GoAhead, r354);
                t.Add(s, Challenge, r334);
                t.Add(s, Other3xx, r300);
                t.Add(s, Temp, r450);
                t.Add(s, Closing421, r421);
                t.Add(s, Perm, r550);
            }
            //                     220            250            354            334            300            450       421      550
            Row(SmtpStage.Greeting,  Proceed,       ProtocolError, ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.Ehlo,      Proceed,       Proceed,       ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.Helo,      Proceed,       Proceed,       ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.StartTls,  Proceed,       ProtocolError, ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Deferred);
            Row(SmtpStage.Auth,      ProtocolError, ProtocolError, ProtocolError, Proceed,       ProtocolError, Deferred, Closing, Deferred);
            Row(SmtpStage.Mail,      Proceed,       Proceed,       ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.Rcpt,      Proceed,       Proceed,       ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.Data,      ProtocolError, ProtocolError, Proceed,       ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.EndOfData, Delivered,     Delivered,     ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.Rset,      Proceed,       Proceed,       ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            Row(SmtpStage.Quit,      Proceed,       Proceed,       ProtocolError, ProtocolError, ProtocolError, Deferred, Closing, Failed);
            return t;
        }

        [Theory]
        [MemberData(nameof(Table))]
        public void EachStageAndReplyClassHasItsVerdict(SmtpStage stage, int code, ReplyVerdict expected)
        {
            Assert.Equal(expected, SmtpReplyTable.Judge(stage, code));
        }

        [Fact]
        public void OnlyA2xxToTheFinalDotDelivers()
        {
            for (SmtpStage s = SmtpStage.Greeting; s <= SmtpStage.Quit; s++)
            {
                for (int code = 200; code <= 599; code++)
                {
                    bool delivered = SmtpReplyTable.Judge(s, code) == Delivered;
                    Assert.Equal(s == SmtpStage.EndOfData && code / 100 == 2, delivered);
                }
            }
        }

        [Theory]
        [InlineData(SmtpStage.Auth, 235, Proceed)]
        [InlineData(SmtpStage.Auth, 535, Deferred)]     // a wrong password never bounces mail
        [InlineData(SmtpStage.StartTls, 454, Deferred)]
        [InlineData(SmtpStage.Rcpt, 251, Proceed)]      // RFC 5321 §3.4 "will forward"
        [InlineData(SmtpStage.Data, 250, ProtocolError)]
        [InlineData(SmtpStage.Data, 251, ProtocolError)]
        public void TheSpecialCells(SmtpStage stage, int code, ReplyVerdict expected)
        {
            Assert.Equal(expected, SmtpReplyTable.Judge(stage, code));
        }
    }
}
