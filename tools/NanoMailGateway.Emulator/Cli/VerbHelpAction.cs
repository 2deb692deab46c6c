// --help for nmg and every verb: System.CommandLine's generated help, then the verb's
// epilogue (CliVerb.Epilogue), so that each verb's exit codes are listed where its options are.

using System.CommandLine;
using System.CommandLine.Invocation;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The generated help followed by the verb's epilogue; exits 0.</summary>
    internal sealed class VerbHelpAction : SynchronousCommandLineAction
    {
        private readonly SynchronousCommandLineAction _generated;

        public VerbHelpAction(SynchronousCommandLineAction generated)
        {
            _generated = generated;
        }

        /// <summary>--help wins over other mistakes on the line, as with the generated help.</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            _generated.Invoke(parseResult);
            if (parseResult.CommandResult.Command is CliVerb verb && verb.Epilogue.Length > 0)
            {
                parseResult.InvocationConfiguration.Output.WriteLine(verb.Epilogue);
            }
            return ExitCodes.Ok;
        }
    }
}
