// Verb recognition in Pop3Commands.Parse: every verb in any case (RFC 1939 §3: keywords
// are case insensitive), and nothing that merely resembles one.

using System;
using System.Text;
using NanoMailGateway.Core.Pop3;
using Xunit;

namespace NanoMailGateway.Tests.Core.Pop3
{
    public class Pop3CommandsTests
    {
        [Fact]
        public void Every_verb_is_recognised_in_any_case()
        {
            // The enum names are the verbs (User is USER, Top is TOP).
            foreach (Pop3Command command in Enum.GetValues<Pop3Command>())
            {
                if (command == Pop3Command.Unknown) continue;
                string name = command.ToString();
                Assert.Equal(command, Parse(name.ToUpperInvariant()));
                Assert.Equal(command, Parse(name.ToLowerInvariant()));
                Assert.Equal(command, Parse(name));
            }
        }

        [Fact]
        public void Near_misses_are_unknown()
        {
            string[] misses = { "", "U", "USE", "USERS", "TOPS", "\0TOP", "XTOP", "EHLO", "US3R", "USE\u00D2" };
            foreach (string verb in misses)
            {
                Assert.Equal(Pop3Command.Unknown, Parse(verb));
            }
        }

        private static Pop3Command Parse(string verb)
        {
            // The verb sits inside a larger buffer, as it does in the session's input.
            // "USE\u00D2": 0xD2 is 'R' with the high bit set, which must not fold to 'R'.
            byte[] line = Encoding.Latin1.GetBytes("xx" + verb + " 1\r\n");
            return Pop3Commands.Parse(line, 2, verb.Length);
        }
    }
}
