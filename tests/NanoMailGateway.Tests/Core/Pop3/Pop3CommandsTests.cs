// Verb recognition in Pop3Commands.Parse: every verb in any case (RFC 1939 §3: keywords
// are case insensitive), and nothing that merely resembles one.

using System.Text;
using NanoMailGateway.Core.Pop3;
using Xunit;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3CommandsTests
    {
        [Theory]
        [InlineData("USER", Pop3Command.User)]
        [InlineData("pass", Pop3Command.Pass)]
        [InlineData("Apop", Pop3Command.Apop)]
        [InlineData("auTH", Pop3Command.Auth)]
        [InlineData("STLS", Pop3Command.Stls)]
        [InlineData("capa", Pop3Command.Capa)]
        [InlineData("QUIT", Pop3Command.Quit)]
        [InlineData("stat", Pop3Command.Stat)]
        [InlineData("LIST", Pop3Command.List)]
        [InlineData("retr", Pop3Command.Retr)]
        [InlineData("DELE", Pop3Command.Dele)]
        [InlineData("noop", Pop3Command.Noop)]
        [InlineData("RSET", Pop3Command.Rset)]
        [InlineData("top", Pop3Command.Top)]
        [InlineData("TOP", Pop3Command.Top)]
        [InlineData("UIDL", Pop3Command.Uidl)]
        [InlineData("", Pop3Command.Unknown)]
        [InlineData("U", Pop3Command.Unknown)]
        [InlineData("USE", Pop3Command.Unknown)]
        [InlineData("USERS", Pop3Command.Unknown)]
        [InlineData("TOPS", Pop3Command.Unknown)]
        [InlineData("\0TOP", Pop3Command.Unknown)]
        [InlineData("XTOP", Pop3Command.Unknown)]
        [InlineData("EHLO", Pop3Command.Unknown)]
        [InlineData("US3R", Pop3Command.Unknown)]
        public void Parse_names_the_verb(string verb, Pop3Command expected)
        {
            // The verb sits inside a larger buffer, as it does in the session's input.
            byte[] line = Encoding.Latin1.GetBytes("xx" + verb + " 1\r\n");
            Assert.Equal(expected, Pop3Commands.Parse(line, 2, verb.Length));
        }

        [Fact]
        public void Parse_does_not_fold_bytes_above_ascii()
        {
            byte[] line = { (byte)'U', (byte)'S', (byte)'E', 0xD2 };   // 0xD2 is not 'R'
            Assert.Equal(Pop3Command.Unknown, Pop3Commands.Parse(line, 0, 4));
        }
    }
}
