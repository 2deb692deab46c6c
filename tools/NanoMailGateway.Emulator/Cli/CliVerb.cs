// One nmg verb: a System.CommandLine command that also carries the lines its generated
// --help ends with (what it does in more words, its exit codes).

using System.CommandLine;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>A verb of the nmg command line (or nmg itself).</summary>
    public sealed class CliVerb : Command
    {
        public CliVerb(string name, string summary, string epilogue)
            : base(name, summary)
        {
            Epilogue = epilogue;
        }

        /// <summary>Printed after the generated help: details and exit codes (sysexits.h).</summary>
        public string Epilogue { get; }
    }
}
