// Benchmarks: `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- [name]`.

namespace NanoMailGateway.Bench
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "queue") { QueueBench.Run(args); return 0; }
            System.Console.WriteLine("no benchmarks yet");
            return 0;
        }
    }
}
