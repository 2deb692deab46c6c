// One answer of the gateway's admin endpoint as the nmg verbs use it (AdminClient).

namespace NanoMailGateway.Emulator.Admin
{
    /// <summary>One answer of the endpoint: the exit code it means, the body, and a message for stderr when it failed.</summary>
    public sealed class AdminAnswer
    {
        public AdminAnswer(int exitCode, string body, string error)
        {
            ExitCode = exitCode;
            Body = body;
            Error = error;
        }

        public int ExitCode { get; }

        public string Body { get; }

        /// <summary>What went wrong, in one line, or "" when ExitCode is 0.</summary>
        public string Error { get; }
    }
}
