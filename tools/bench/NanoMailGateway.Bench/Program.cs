// Benchmarks: `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- [name]`.

namespace NanoMailGateway.Bench
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            string name = args.Length > 0 ? args[0] : "";
            if (name == "pop3") { Pop3Bench.Run(args); return 0; }
            if (name == "config") { ConfigBench.Run(args); return 0; }
            System.Console.WriteLine("usage: NanoMailGateway.Bench <pop3|config>");
            return 64;
        }
    }
}
