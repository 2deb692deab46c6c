// Where the self-test's lines go: the console on the host, the serial/debug console on
// a board, a string list in a host test.

namespace NanoMailGateway.SelfTest
{
    /// <summary>Receives each output line (without a line end).</summary>
    public interface ILineOutput
    {
        /// <summary>Writes one line.</summary>
        void WriteLine(string line);
    }
}
