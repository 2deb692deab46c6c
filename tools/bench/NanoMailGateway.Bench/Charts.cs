// Charts the benchmarks write under docs/bench/ (ScottPlot, drawn off-screen with
// SkiaSharp: no display needed). Log axes are drawn the usual ScottPlot way: the data
// is plotted as log10 and the ticks are labelled with the real values.

using System;
using System.IO;
using ScottPlot;

namespace NanoMailGateway.Bench
{
    internal static class Charts
    {
        /// <summary>docs/bench of the checkout this bench runs from (found by walking up to NanoMailGateway.sln).</summary>
        public static string Directory()
        {
            string docs = Path.Combine(RepoRoot() ?? Environment.CurrentDirectory, "docs", "bench");
            System.IO.Directory.CreateDirectory(docs);
            return docs;
        }

        /// <summary>The repository root (where NanoMailGateway.sln is), or null when run elsewhere.</summary>
        public static string? RepoRoot()
        {
            foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                string? dir = start;
                while (dir != null && !File.Exists(Path.Combine(dir, "NanoMailGateway.sln"))) dir = Path.GetDirectoryName(dir);
                if (dir != null) return dir;
            }
            return null;
        }

        /// <summary>Labels an axis whose data are log10 values with the values themselves, with minor ticks at 2..9.</summary>
        public static void LogAxis(IAxis axis, Func<double, string> label)
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = v => label(Math.Pow(10, v)),
            };
        }

        /// <summary>Writes the plot as PNG (900 × 560) and returns the path.</summary>
        public static string Save(Plot plot, string fileName)
        {
            string path = Path.Combine(Directory(), fileName);
            plot.SavePng(path, 900, 560);
            return path;
        }
    }
}
