// Loads the configuration layers for nmg: Core's defaults < the board profile < the
// config file, then ConfigValidator. Board profiles come from the boards/ folder beside
// nmg (copied there by the build); the default board is also embedded in nmg.
// Errors come back as values with the sysexits code that fits them.

using System;
using System.IO;
using System.Reflection;
using NanoMailGateway.Core.Config;
using NanoMailGateway.Emulator.Cli;

namespace NanoMailGateway.Emulator.Gateway
{
    /// <summary>The outcome of loading: a config, or an error message and exit code.</summary>
    public sealed class LoadResult
    {
        public GatewayConfig? Config { get; init; }

        public int ExitCode { get; init; }

        public string Error { get; init; } = "";
    }

    public static class ConfigLoader
    {
        /// <summary>The board used when none is named: the smallest common ESP32.</summary>
        public const string DefaultBoard = "esp32-wroom-32";

        /// <summary>Folder of the board profiles shipped beside nmg.</summary>
        public static string BoardsDirectory => Path.Combine(AppContext.BaseDirectory, "boards");

        /// <summary>
        /// Loads <paramref name="board"/> (a name from boards/, or a path to a .conf file;
        /// null = default) and then <paramref name="configPath"/> (null = none).
        /// </summary>
        public static LoadResult Load(string? board, string? configPath)
        {
            var config = new GatewayConfig();
            LoadResult? boardError = ApplyBoard(config, board ?? DefaultBoard);
            if (boardError != null) return boardError;
            if (configPath != null)
            {
                byte[] data;
                try
                {
                    data = File.ReadAllBytes(configPath);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    return new LoadResult { ExitCode = ExitCodes.NoInput, Error = "cannot read config " + configPath + ": " + e.Message };
                }
                ConfigError? err = ConfigParser.Parse(data, 0, data.Length, configPath, config, false);
                if (err != null) return new LoadResult { ExitCode = ExitCodes.Config, Error = err.ToString() };
            }
            ConfigError? invalid = ConfigValidator.Validate(config);
            if (invalid != null) return new LoadResult { ExitCode = ExitCodes.Config, Error = invalid.ToString() };
            return new LoadResult { Config = config };
        }

        /// <summary>Names of the boards in the boards folder (sorted), for error messages and help.</summary>
        public static string[] KnownBoards()
        {
            if (!Directory.Exists(BoardsDirectory)) return new[] { DefaultBoard };
            string[] files = Directory.GetFiles(BoardsDirectory, "*.conf");
            for (int i = 0; i < files.Length; i++) files[i] = Path.GetFileNameWithoutExtension(files[i]);
            Array.Sort(files, StringComparer.Ordinal);
            return files;
        }

        private static LoadResult? ApplyBoard(GatewayConfig config, string board)
        {
            byte[]? data;
            string name;
            string shownPath;
            if (board.EndsWith(".conf", StringComparison.Ordinal) || board.Contains('/') || board.Contains(Path.DirectorySeparatorChar))
            {
                name = Path.GetFileNameWithoutExtension(board);
                shownPath = board;
                if (!File.Exists(board))
                {
                    return new LoadResult { ExitCode = ExitCodes.Usage, Error = "board profile " + board + " not found" };
                }
                data = File.ReadAllBytes(board);
            }
            else
            {
                name = board;
                shownPath = "boards/" + board + ".conf";
                string path = Path.Combine(BoardsDirectory, board + ".conf");
                data = IsSafeName(board) && File.Exists(path) ? File.ReadAllBytes(path) : null;
                if (data == null && board == DefaultBoard) data = Embedded(shownPath);
                if (data == null)
                {
                    return new LoadResult { ExitCode = ExitCodes.Usage, Error = "unknown board '" + board + "' (known: " + string.Join(", ", KnownBoards()) + ")" };
                }
            }
            config.Board.Name = name;
            ConfigError? err = ConfigParser.Parse(data, 0, data.Length, shownPath, config, true);
            return err == null ? null : new LoadResult { ExitCode = ExitCodes.Config, Error = err.ToString() };
        }

        /// <summary>The text of an embedded board profile, or null.</summary>
        internal static byte[]? Embedded(string logicalName)
        {
            using Stream? s = Assembly.GetExecutingAssembly().GetManifestResourceStream(logicalName);
            if (s == null) return null;
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }

        private static bool IsSafeName(string name)
        {
            foreach (char c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) return false;
            }
            return name.Length > 0 && name[0] != '.';
        }
    }
}
