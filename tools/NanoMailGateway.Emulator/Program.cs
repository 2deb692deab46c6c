// nmg: the NanoMailGateway emulator and admin tool. Verbs are added by later issues.

namespace NanoMailGateway.Emulator
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            System.Console.WriteLine("nmg: not yet");
            return 0;
        }
    }
}
