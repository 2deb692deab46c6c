// One nmg verb: its name, a one-line summary for `nmg --help`, and its entry point.

using System;
using System.IO;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>A verb of the nmg command line.</summary>
    public sealed class CliVerb
    {
        public CliVerb(string name, string summary, Func<string[], TextWriter, TextWriter, int> run)
        {
            Name = name;
            Summary = summary;
            Run = run;
        }

        public string Name { get; }

        public string Summary { get; }

        /// <summary>Runs the verb with the arguments after its name; returns the exit code (sysexits.h).</summary>
        public Func<string[], TextWriter, TextWriter, int> Run { get; }
    }
}
