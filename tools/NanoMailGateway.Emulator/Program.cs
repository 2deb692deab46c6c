// nmg: the NanoMailGateway emulator and admin tool. Verbs live in Cli/.

namespace NanoMailGateway.Emulator
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            return Cli.CommandLine.Run(args, System.Console.Out, System.Console.Error);
        }
    }
}
