// CPU time of processes from /proc/PID/stat (Linux): user + system time, plus that of
// children they have reaped, so a Postfix daemon that exited during a round (smtpd after
// max_use clients) is still counted through its parent, the master.

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace NanoMailGateway.Bench
{
    internal static class ProcessCpu
    {
        [DllImport("libc")]
        private static extern long sysconf(int name);

        private const int ScClkTck = 2;

        private static readonly double MsPerTick = 1000.0 / Math.Max(1, sysconf(ScClkTck));

        /// <summary>CPU milliseconds (user + system, own and reaped children's) of one process; 0 once it is gone.</summary>
        public static double OfProcess(int pid)
        {
            string[]? f = Fields(pid);
            return f == null ? 0 : Ticks(f) * MsPerTick;
        }

        /// <summary>CPU milliseconds of every process in session <paramref name="sid"/> (Postfix's master and its daemons).</summary>
        public static double OfSession(int sid)
        {
            long ticks = 0;
            foreach (string dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                string[]? f = Fields(pid);
                if (f != null && f[3] == sid.ToString()) ticks += Ticks(f);
            }
            return ticks * MsPerTick;
        }

        // Fields after the command name, which may hold spaces and parentheses: f[0] is the
        // state (field 3 of proc(5)), so field N is f[N - 3].
        private static string[]? Fields(int pid)
        {
            string text;
            try
            {
                text = File.ReadAllText("/proc/" + pid + "/stat");
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            return text.Substring(text.LastIndexOf(')') + 2).Split(' ');
        }

        // utime, stime, cutime, cstime: fields 14-17.
        private static long Ticks(string[] f) => long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]);
    }
}
