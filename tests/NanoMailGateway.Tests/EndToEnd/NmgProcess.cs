// `nmg run` as a child process (`dotnet nmg.dll run --config FILE --data DIR`), the way an
// operator starts it: waits until it prints its endpoints and "daemon started", exposes
// them, and can stop it with SIGTERM or kill it with SIGKILL (a power cut for the host
// process: no finally blocks, no flush). Dispose always kills it.

using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NanoMailGateway.Emulator.Cli;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class NmgProcess : IDisposable
    {
        private readonly Process _p;
        private readonly StringBuilder _output = new StringBuilder();
        private readonly ManualResetEventSlim _up = new ManualResetEventSlim();

        /// <summary>Path of nmg.dll (the emulator assembly the tests reference).</summary>
        public static string NmgDll => typeof(CommandLine).Assembly.Location;

        private NmgProcess(string configPath, string dataDir, string? board, string? mediumSize)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { NmgDll, "run", "--config", configPath, "--data", dataDir }) psi.ArgumentList.Add(a);
            if (board != null)
            {
                psi.ArgumentList.Add("--board");
                psi.ArgumentList.Add(board);
            }
            if (mediumSize != null) psi.Environment[NanoMailGateway.Emulator.Gateway.EmulatorGateway.MediumSizeVariable] = mediumSize;
            _p = Process.Start(psi)!;
            _p.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (_output) _output.AppendLine(e.Data);
                if (e.Data.Contains("daemon started")) _up.Set();
            };
            _p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_output) _output.AppendLine("stderr: " + e.Data); };
            _p.BeginOutputReadLine();
            _p.BeginErrorReadLine();
        }

        /// <summary>Starts nmg run and waits (up to 30 s) until it listens.</summary>
        /// <param name="mediumSize">NMG_MEDIUM_SIZE for the process (an emulated drive that can fill), or null.</param>
        public static NmgProcess Start(string configPath, string dataDir, string? board = null, string? mediumSize = null)
        {
            var n = new NmgProcess(configPath, dataDir, board, mediumSize);
            try
            {
                var sw = Stopwatch.StartNew();
                while (!n._up.Wait(100))
                {
                    if (n._p.HasExited) throw new Xunit.Sdk.XunitException("nmg run exited with " + n._p.ExitCode + ": " + n.Output);
                    if (sw.ElapsedMilliseconds > 30000) throw new Xunit.Sdk.XunitException("nmg run did not start: " + n.Output);
                }
                string text = n.Output;
                n.Smtp = Regex.Match(text, @"smtp listening on (\S+)").Groups[1].Value;
                n.Pop3 = Regex.Match(text, @"pop3 listening on (\S+)").Groups[1].Value;
                n.Imap = Regex.Match(text, @"imap listening on (\S+)").Groups[1].Value;
                return n;
            }
            catch
            {
                n.Dispose();
                throw;
            }
        }

        public string Smtp { get; private set; } = "";

        public string Pop3 { get; private set; } = "";

        public string Imap { get; private set; } = "";

        public int Pid => _p.Id;

        /// <summary>True once the process ended.</summary>
        public bool HasExited => _p.HasExited;

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        /// <summary>
        /// Waits up to <paramref name="ms"/> for <paramref name="text"/> in the output: the log is read
        /// on another thread, so a line logged before a reply may reach the test after it.
        /// </summary>
        public bool WaitForOutput(string text, int ms)
        {
            var sw = Stopwatch.StartNew();
            while (!Output.Contains(text))
            {
                if (sw.ElapsedMilliseconds > ms) return false;
                Thread.Sleep(50);
            }
            return true;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        /// <summary>SIGKILL, then waits for the process to be gone.</summary>
        public void KillHard()
        {
            if (_p.HasExited) return;
            kill(_p.Id, 9);
            Assert.True(_p.WaitForExit(10000), "nmg did not die on SIGKILL");
        }

        /// <summary>SIGTERM and a clean exit 0.</summary>
        public void StopClean()
        {
            Assert.Equal(0, kill(_p.Id, 15));
            Assert.True(_p.WaitForExit(15000), "nmg did not stop on SIGTERM: " + Output);
            _p.WaitForExit();
            Assert.Equal(0, _p.ExitCode);
        }

        public void Dispose()
        {
            try
            {
                if (!_p.HasExited) _p.Kill(entireProcessTree: true);
                _p.WaitForExit(10000);
            }
            catch (InvalidOperationException)
            {
                // never started or already reaped
            }
            _p.Dispose();
            _up.Dispose();
        }
    }
}
