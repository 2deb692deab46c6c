// The list of scenarios, in the order they run. Each scenario class registers its own
// checks; a new capability adds one line here (and raises the count that
// tests/NanoMailGateway.Tests/SelfTest/SelfTestHostTests.cs expects at least).

namespace NanoMailGateway.SelfTest
{
    /// <summary>Every scenario of the self-test.</summary>
    public static class Scenarios
    {
        /// <summary>Runs all scenarios on <paramref name="runner"/>.</summary>
        public static void RunAll(SelfTestRunner runner)
        {
            BufferChecks.Run(runner);
            StringArrayChecks.Run(runner);
            ConfigChecks.Run(runner);
            DnsChecks.Run(runner);
            Pop3Checks.Run(runner);
            SmtpServerChecks.Run(runner);
            SmtpClientChecks.Run(runner);
            DeliveryChecks.Run(runner);
            BounceChecks.Run(runner);
            QueueChecks.Run(runner);
            PipelineChecks.Run(runner);
            AgentChecks.Run(runner);
            FullLoadChecks.Run(runner);
        }
    }
}
