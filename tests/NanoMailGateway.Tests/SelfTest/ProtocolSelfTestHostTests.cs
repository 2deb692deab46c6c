// The protocol self-test (firmware/NanoMailGateway.SelfTest.Protocols: IMAP and the admin
// endpoint on a composed gateway) on the host: its net10.0 build is started as users
// start it and its output checked like the first self-test's (SelfTestHostTests.RunChild):
// every check ok, at least the checks known today, each scenario present, SELFTEST PASS
// last. Its device build runs on the interpreter (README, On-device self-test).

using Xunit;

namespace NanoMailGateway.Tests.SelfTest
{
    public class ProtocolSelfTestHostTests
    {
        /// <summary>Checks the protocol self-test runs today; raise it when a scenario adds checks.</summary>
        private const int ExpectedAtLeast = 26;

        /// <summary>Every scenario prefix that must show up with at least one check.</summary>
        private static readonly string[] Scenarios = { "gateway.", "admin.", "imap." };

        [Fact]
        public void ChildProcessPassesEveryCheck()
        {
            SelfTestHostTests.RunChild(SelfTestHostTests.SelfTestDll("NanoMailGateway.SelfTest.Protocols"), ExpectedAtLeast, Scenarios);
        }
    }
}
