// Raised by the storage seam when the medium fails or is full. The queue turns it into
// a refusal (451 4.3.0 / 452 4.3.1) and never into a lost message.

using System;

namespace NanoMailGateway.Core.Platform
{
    /// <summary>The file store failed; the operation did not complete.</summary>
    public class StorageException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public StorageException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception wrapping the adapter's own exception.</summary>
        public StorageException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
