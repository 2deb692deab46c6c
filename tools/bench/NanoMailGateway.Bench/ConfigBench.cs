// Config bench: cost of parsing each board profile (bytes allocated, time) and the
// budget each board gets (pool bytes against heap, sockets used of the board's).
// `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- config`

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Emulator.Gateway;

namespace NanoMailGateway.Bench
{
    public static class ConfigBench
    {
        public static void Run(string[] args)
        {
            const int rounds = 2000;
            Console.WriteLine("| board | profile bytes | alloc/parse (B) | us/parse | pool | pool/heap | sockets used/max |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (string board in ConfigLoader.KnownBoards())
            {
                byte[] data = File.ReadAllBytes(Path.Combine(ConfigLoader.BoardsDirectory, board + ".conf"));
                for (int i = 0; i < 50; i++) ConfigParser.Parse(data, 0, data.Length, board, new GatewayConfig(), true);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var sw = Stopwatch.StartNew();
                GatewayConfig c = new GatewayConfig();
                for (int i = 0; i < rounds; i++)
                {
                    c = new GatewayConfig();
                    ConfigParser.Parse(data, 0, data.Length, board, c, true);
                }
                sw.Stop();
                long alloc = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
                BoardProfile b = c.Board;
                int sockets = c.SmtpListen.Length + c.Pop3Listen.Length + b.TotalSessions + ConfigValidator.ReservedSockets;
                Console.WriteLine("| " + board + " | " + data.Length + " | " + alloc + " | "
                    + (sw.Elapsed.TotalMilliseconds * 1000 / rounds).ToString("F1", CultureInfo.InvariantCulture) + " | "
                    + b.PoolBytes + " | " + (100.0 * b.PoolBytes / b.HeapBytes).ToString("F1", CultureInfo.InvariantCulture) + "% | "
                    + sockets + "/" + b.MaxSockets + " |");
            }
            Console.WriteLine();
            Console.WriteLine("alloc/parse includes the GatewayConfig and its defaults (host .NET sizes; the board's objects are smaller).");
        }
    }
}
