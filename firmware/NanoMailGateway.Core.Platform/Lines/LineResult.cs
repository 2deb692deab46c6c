// What LineChannel.ReadLine found: a line, or why there is none.

namespace NanoMailGateway.Core.Lines
{
    /// <summary>Outcome of <see cref="LineChannel.ReadLine(int, int, long)"/>.</summary>
    public enum LineResult
    {
        /// <summary>A whole line within its limit is at <see cref="LineChannel.LineStart"/>.</summary>
        Line,

        /// <summary>A line over its limit arrived and was dropped up to its LF: answer it, count it as an error.</summary>
        TooLong,

        /// <summary>The peer closed the stream.</summary>
        Closed,

        /// <summary>The line did not start, or did not end, before its deadline.</summary>
        TimedOut,
    }
}
