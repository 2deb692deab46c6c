// The one rule for the names an IFileStore takes, shared by the board's and the host's
// stores so that a name one accepts the other accepts too: flat and plain (letters,
// digits, '.', '-', '_'), 1..64 characters, not starting with '.' (so never "." or "..",
// and never a hidden file). A name can never leave the store's directory, and every name
// fits LittleFS's default LFS_NAME_MAX of 255 with room to spare.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>The file-name rule of <see cref="IFileStore"/>. Thread-safe (stateless).</summary>
    public static class StoreFileName
    {
        /// <summary>Longest name, in characters.</summary>
        public const int MaxLength = 64;

        /// <summary>True for a name a store accepts.</summary>
        public static bool IsPlain(string? name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxLength || name[0] == '.') return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!ok) return false;
            }
            return true;
        }
    }
}
