// SmtpStateTable.Name: the log name of every state is the enum member's name (the device
// prints enums as numbers, so the table spells them out).

using System;
using NanoMailGateway.Core.Smtp;
using Xunit;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpStateTableTests
    {
        [Fact]
        public void EveryStateHasItsName()
        {
            foreach (SmtpSessionState state in Enum.GetValues<SmtpSessionState>())
            {
                Assert.Equal(state.ToString(), SmtpStateTable.Name(state));
            }
        }
    }
}
