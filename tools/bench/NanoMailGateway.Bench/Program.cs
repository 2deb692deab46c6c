// Benchmarks: `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- [name]`.

namespace NanoMailGateway.Bench
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            string name = args.Length > 0 ? args[0] : "";
            if (name == "smtpclient") { SmtpClientBench.Run(args); return 0; }
            System.Console.WriteLine("benchmarks: smtpclient");
            return name.Length == 0 ? 0 : 64;
        }
    }
}
