// Benchmarks: `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- [name]`.

namespace NanoMailGateway.Bench
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            System.Console.WriteLine("no benchmarks yet");
            return 0;
        }
    }
}
