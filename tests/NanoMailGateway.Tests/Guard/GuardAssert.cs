// The assertion every device-assembly guard test makes: the runtime guard finds nothing,
// and if it does, the failure lists every finding by member name. The only exceptions
// are the static objects listed in SharedStatics, each with the reason it is worth its
// heap from boot (ARCHITECTURE.md, Memory); an entry that no longer matches fails too,
// so the list cannot outlive its reason.

using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    internal static class GuardAssert
    {
        /// <summary>Static constructors allowed to make an object, and why.</summary>
        public static readonly IReadOnlyDictionary<string, string> SharedStatics = new Dictionary<string, string>
        {
            ["NanoMailGateway.Core.Queue.RecipientStatus..cctor"] =
                "the Queued status every new recipient points at: one object instead of one per recipient",
            ["NanoMailGateway.Core.Dns.MxResult..cctor"] =
                "the empty host list every failed lookup (cached ones included) shares",
        };

        public static void Clean(string dll)
        {
            IReadOnlyList<GuardFinding> all = RuntimeGuard.Scan(dll);
            List<GuardFinding> findings = all.Where(f => !(f.Construct == GuardConstruct.StaticDataAtBoot && SharedStatics.ContainsKey(f.Member))).ToList();
            Assert.True(findings.Count == 0,
                "nanoFramework 1.x cannot run these constructs in " + dll + ":" + Environment.NewLine +
                string.Join(Environment.NewLine, findings.Select(f => "  " + f)));
        }
    }
}
