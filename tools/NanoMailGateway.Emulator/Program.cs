// nmg: the NanoMailGateway emulator and admin tool. Verbs are added by later issues.

namespace NanoMailGateway.Emulator
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "mailq") return Cli.MailqCommand.Run(args[1..], System.Console.Out, System.Console.Error);
            System.Console.WriteLine("nmg: not yet");
            return 0;
        }
    }
}
