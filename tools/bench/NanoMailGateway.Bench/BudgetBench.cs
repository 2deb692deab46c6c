// The bytecode and string-table budget of every device assembly (README, "The numbers"):
// the estimates of tests/NanoMailGateway.Tests/Guard/BytecodeBudget.cs (compiled into this
// program by link, so the bench and the tests measure with the same code) next to the
// 48 KB budget, for each configuration whose device outputs exist (Debug, Release). The
// estimates never fall below what nanoFramework's metadata processor writes; the tests
// enforce the budget for the configuration they are built in, this table shows both.
// Left out: building anything (run `dotnet build NanoMailGateway.sln [-c Release]` first)
// and the real .pe sizes, which need the metadata processor.
// `dotnet run -c Release --project tools/bench/NanoMailGateway.Bench -- budget`

using System;
using System.IO;
using System.Linq;
using NanoMailGateway.Tests.Guard;

namespace NanoMailGateway.Bench
{
    public static class BudgetBench
    {
        private static readonly string[] Configurations = { "Debug", "Release" };

        public static void Run(string[] args)
        {
            RuntimeStrings builtIn = RuntimeStrings.FromMscorlib(BuildOutput.NanoMscorlib());
            int printed = 0;
            foreach (string configuration in Configurations)
            {
                string[] paths = BuildOutput.AllDeviceAssemblies(configuration);
                string[] missing = paths.Where(p => !File.Exists(p)).ToArray();
                if (missing.Length == paths.Length) continue;
                printed++;
                Console.WriteLine(configuration + " (budget " + BytecodeBudget.BudgetBytes + " B of bytecode and of string table per assembly):");
                Console.WriteLine();
                Console.WriteLine("| assembly | bytecode | IL bytes | string table | budget | headroom bytecode | headroom strings | largest method |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
                foreach (string path in paths.Where(File.Exists))
                {
                    BytecodeBudget b = BytecodeBudget.Measure(path, builtIn);
                    Console.WriteLine("| " + b.AssemblyName + " | " + b.Bytecode + " | " + b.IlBytes + " | " + b.StringTable + " | " + BytecodeBudget.BudgetBytes
                        + " | " + Headroom(b.Bytecode) + " | " + Headroom(b.StringTable) + " | " + (b.Methods.Count > 0 ? b.Methods[0].ToString() : "-") + " |");
                }
                foreach (string path in missing) Console.WriteLine("(not built: " + path + ")");
                Console.WriteLine();
            }
            if (printed == 0) Console.WriteLine("no device assemblies built: run dotnet build NanoMailGateway.sln (and -c Release) first");
        }

        private static string Headroom(int used)
        {
            int left = BytecodeBudget.BudgetBytes - used;
            return left + " (" + (100 * left / BytecodeBudget.BudgetBytes) + "%)" + (left < 0 ? " OVER" : "");
        }
    }
}
