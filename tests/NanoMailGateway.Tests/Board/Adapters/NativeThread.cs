// What a thread is doing in the kernel, read from /proc/self/task/<tid>/syscall
// (proc(5)): lets a test prove that a thread is blocked inside accept(2) before it
// acts on that, instead of sleeping and hoping.

using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace NanoMailGateway.Tests.Board.Adapters
{
    internal static class NativeThread
    {
        [DllImport("libc", EntryPoint = "gettid")]
        private static extern int GetTid();

        /// <summary>The calling thread's kernel thread id.</summary>
        public static int Id() => GetTid();

        /// <summary>True once the thread whose id <paramref name="tid"/> returns (0 = not known yet) sits in accept(2) or accept4(2).</summary>
        public static bool WaitUntilInAccept(Func<int> tid, int timeoutMs)
        {
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < timeoutMs)
            {
                int id = tid();
                if (id != 0 && IsAccept(SyscallOf(id))) return true;
                Thread.Sleep(5);
            }
            return false;
        }

        // The first field is the number of the system call the thread is blocked in, or
        // "running" (proc(5)).
        private static long SyscallOf(int tid)
        {
            try
            {
                string text = File.ReadAllText("/proc/self/task/" + tid + "/syscall");
                int space = text.IndexOf(' ');
                return long.TryParse(space < 0 ? text.Trim() : text.Substring(0, space), out long n) ? n : -1;
            }
            catch (IOException)
            {
                return -1;
            }
        }

        private static bool IsAccept(long n) => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => n == 43 || n == 288,      // accept, accept4
            Architecture.Arm64 => n == 202 || n == 242,
            _ => throw new PlatformNotSupportedException("no accept(2) number for " + RuntimeInformation.ProcessArchitecture),
        };
    }
}
