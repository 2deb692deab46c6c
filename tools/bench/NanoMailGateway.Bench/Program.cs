// Benchmarks: `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- <name>`.
// Each prints a table; none is part of the test run. Adding one is one line in Benches.

using System;

namespace NanoMailGateway.Bench
{
    internal static class Program
    {
        private sealed class Bench
        {
            public Bench(string name, string summary, Action<string[]> run) { Name = name; Summary = summary; Run = run; }
            public string Name { get; }
            public string Summary { get; }
            public Action<string[]> Run { get; }
        }

        private static readonly Bench[] Benches =
        {
            new Bench("budget", "bytecode and string-table estimate of every device assembly against the 48 KB budget", BudgetBench.Run),
            new Bench("charts", "flash queue write amplification against fill (1 KB, 16 KB), as a chart in docs/bench", ChartsBench.Run),
            new Bench("config", "config parse cost and buffer budget per board", ConfigBench.Run),
            new Bench("delivery", "delivered messages/s to smtp-sink through the agent and bytes allocated per message", DeliveryBench.Run),
            new Bench("dns", "bytes allocated per MX lookup, cached and uncached", DnsBench.Run),
            new Bench("gateway", "the whole gateway: bytes allocated per message accepted and delivered, split by component", GatewayMemoryBench.Run),
            new Bench("memory", "static heap budget per board against its managed heap", MemoryBudgetBench.Run),
            new Bench("queue", "flash queue: write amplification, writes, bytes allocated per message, recovery time", QueueBench.Run),
            new Bench("postfix", "side by side with a throwaway Postfix relay: relayed msg/s and CPU per message, both to smtp-sink; writes a chart", PostfixBench.Run),
            new Bench("pop3", "bytes allocated per RETR and RETR throughput", Pop3Bench.Run),
            new Bench("selftest", "bytes allocated per self-test check (upper bound of its heap use)", SelfTestBench.Run),
            new Bench("smtp", "bytes allocated per accepted message, smtp-source throughput", SmtpBench.Run),
            new Bench("storm", "an alert storm: a flapping sensor against a quiet one's alarms, with and without a rate limit", StormBench.Run),
            new Bench("smtpclient", "messages/s to smtp-sink and bytes allocated per delivered message", SmtpClientBench.Run),
        };

        private static int Main(string[] args)
        {
            string name = args.Length > 0 ? args[0] : "";
            foreach (Bench b in Benches)
            {
                if (b.Name == name || name == "all")
                {
                    b.Run(args);
                    if (name != "all") return 0;
                }
            }
            if (name == "all") return 0;
            Console.Error.WriteLine("usage: NanoMailGateway.Bench <name>|all");
            foreach (Bench b in Benches) Console.Error.WriteLine("  " + b.Name.PadRight(10) + b.Summary);
            return 64;
        }
    }
}
