// Finding the real peers the interop tests talk to (smtp-sink, dnsmasq, swaks, curl,
// python3 with aiosmtpd, fetchmail). Locally a missing peer skips the test with a clear
// reason; in CI (NMG_REQUIRE_PEERS=1) it fails, so a missing install step cannot hide.

using System;
using System.IO;
using Xunit;

namespace NanoMailGateway.Tests.Support
{
    public static class Peers
    {
        /// <summary>True when CI asked for every peer to be present.</summary>
        public static bool Required => Environment.GetEnvironmentVariable("NMG_REQUIRE_PEERS") == "1";

        /// <summary>
        /// Returns the full path of <paramref name="tool"/>, searching PATH and the usual
        /// sbin folders (smtp-sink and dnsmasq live there). Missing: fails under
        /// NMG_REQUIRE_PEERS=1, otherwise skips the test (use [SkippableFact]).
        /// </summary>
        public static string Require(string tool)
        {
            string? path = Find(tool);
            if (path != null) return path;
            string why = "peer '" + tool + "' is not installed (see .ci/run for the Debian packages)";
            if (Required) throw new InvalidOperationException(why + " and NMG_REQUIRE_PEERS=1");
            Skip.If(true, why);
            return "";
        }

        /// <summary>Debian's python3 (/usr/bin/python3), which sees python3-aiosmtpd; the first python3 on PATH may not.</summary>
        public static string RequirePython(string module)
        {
            string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : Require("python3");
            var r = ProcessRunner.Run(python, new[] { "-c", "import " + module }, null, TimeSpan.FromSeconds(20));
            if (r.ExitCode == 0) return python;
            string why = "python3 module '" + module + "' is not installed (Debian package python3-" + module + ")";
            if (Required) throw new InvalidOperationException(why + " and NMG_REQUIRE_PEERS=1");
            Skip.If(true, why);
            return "";
        }

        /// <summary>Full path of a tool, or null.</summary>
        public static string? Find(string tool)
        {
            string pathVar = Environment.GetEnvironmentVariable("PATH") ?? "";
            string[] extra = { "/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin" };
            foreach (string dir in pathVar.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string p = Path.Combine(dir, tool);
                if (File.Exists(p)) return p;
            }
            foreach (string dir in extra)
            {
                string p = Path.Combine(dir, tool);
                if (File.Exists(p)) return p;
            }
            return null;
        }
    }
}
