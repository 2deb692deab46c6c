// Thrown by Expect when a check's condition does not hold. The runner prints its message
// alone; any other exception is printed with its type name.

using System;

namespace NanoMailGateway.SelfTest
{
    /// <summary>A failed expectation; the message says what was expected and what came.</summary>
    public sealed class CheckFailedException : Exception
    {
        /// <summary>Creates the failure with its explanation.</summary>
        public CheckFailedException(string message) : base(message)
        {
        }
    }
}
