// A configuration error as a value: which file, which line, which key, what is wrong.
// Printed in the compiler style administrators grep for:
//   main.cf:12: unknown key 'smtp_lisen'
//   main.cf:7: message_size_limit: bad size '10X'

namespace NanoMailGateway.Core.Config
{
    /// <summary>An immutable configuration error.</summary>
    public sealed class ConfigError
    {
        /// <summary>Creates an error. <paramref name="line"/> is 1-based; 0 when the error is not tied to a line.</summary>
        public ConfigError(string file, int line, string key, string message)
        {
            File = file;
            Line = line;
            Key = key;
            Message = message;
        }

        /// <summary>The file name as the caller gave it ("main.cf", "boards/esp32-c3.conf").</summary>
        public string File { get; }

        /// <summary>1-based line number, or 0.</summary>
        public int Line { get; }

        /// <summary>The key concerned, or "" for a syntax error before the key is known.</summary>
        public string Key { get; }

        /// <summary>What is wrong, without the file and line prefix.</summary>
        public string Message { get; }

        /// <summary>"file:line: message".</summary>
        public override string ToString()
        {
            string where = Line > 0 ? File + ":" + Line.ToString() : File;
            return where + ": " + Message;
        }
    }
}
