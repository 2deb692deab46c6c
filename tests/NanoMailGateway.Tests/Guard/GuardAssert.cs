// The assertion every device-assembly guard test makes: the runtime guard finds nothing,
// and if it does, the failure lists every finding by member name.

using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    internal static class GuardAssert
    {
        public static void Clean(string dll)
        {
            IReadOnlyList<GuardFinding> findings = RuntimeGuard.Scan(dll);
            Assert.True(findings.Count == 0,
                "nanoFramework 1.x cannot run these constructs in " + dll + ":" + Environment.NewLine +
                string.Join(Environment.NewLine, findings.Select(f => "  " + f)));
        }
    }
}
