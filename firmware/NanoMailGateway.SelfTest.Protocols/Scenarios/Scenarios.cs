// The protocol self-test's scenarios, in the order they run, on one composed gateway
// (ProtocolGateway): it is started with alice's two messages delivered and one message
// deferred for a remote recipient, the admin checks and the IMAP checks run against it,
// it is stopped, and the queue is reopened from its flash. This class replaces the first
// self-test's Scenarios under the same name, so that the shared Program runs these; a
// new capability adds one line here (and raises the count that
// tests/NanoMailGateway.Tests/SelfTest/ProtocolSelfTestHostTests.cs expects at least).

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Every scenario of the protocol self-test.</summary>
    public static class Scenarios
    {
        /// <summary>Runs all scenarios on <paramref name="runner"/>.</summary>
        public static void RunAll(SelfTestRunner runner)
        {
            Composition c = new Composition();
            runner.Run("gateway.start-with-imap-and-admin", new Check(c.Start));
            ProtocolGateway? g = c.Gateway;
            if (g == null) return;   // every later check would fail for the same reason
            AdminChecks.Run(runner, g, c.Deferred);
            ImapChecks imap = ImapChecks.Run(runner, g);
            c.SeenUid = imap.SeenUid;
            runner.Run("gateway.stop", new Check(c.Stop));
            runner.Run("imap.seen-survives-reopen", new Check(c.Reopen));
        }

        /// <summary>The gateway's lifetime as checks.</summary>
        private sealed class Composition
        {
            public ProtocolGateway? Gateway;
            public string Deferred = "";
            public long SeenUid;

            /// <summary>Starts the gateway, delivers two messages to alice and defers one for a remote recipient.</summary>
            public void Start()
            {
                ProtocolGateway g = new ProtocolGateway();
                Gateway = g;
                // One after the other, so that the mailbox holds them in this order (UIDs ascend).
                g.AwaitState(g.Submit(ProtocolGateway.User + "@gw.example.org", "first", "one"), RecipientState.InMailbox);
                g.AwaitState(g.Submit(ProtocolGateway.User + "@gw.example.org", "second", "two"), RecipientState.InMailbox);
                // implicit.example has no MX and its address refuses connections (ScriptedDnsNetwork):
                // the recipient is deferred, and the clock that stands still keeps it so.
                string id = g.Submit("ops@implicit.example", "held", "later");
                g.AwaitState(id, RecipientState.Deferred);
                Deferred = id;
            }

            public void Stop()
            {
                ProtocolGateway g = Gateway!;
                Expect.True(g.Stop(), "every session and thread ended at Stop");
                Expect.Equal(0, g.Gateway.Pool.InUse, "session buffers in use after Stop");
            }

            public void Reopen()
            {
                ImapChecks.SeenSurvivesReopen(Gateway!, SeenUid);
            }
        }
    }
}
