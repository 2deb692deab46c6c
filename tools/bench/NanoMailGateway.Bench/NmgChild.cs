// `nmg run` as a child process (`dotnet nmg.dll run --config FILE --board PROFILE --data DIR`),
// the way an operator runs the emulator: waits for "daemon started", reads the SMTP
// endpoint it prints, keeps reading its log (so the pipe never blocks it) and keeps the
// last lines for error messages. Dispose stops it with SIGTERM (then kills it).

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;
using NanoMailGateway.Emulator.Cli;

namespace NanoMailGateway.Bench
{
    internal sealed class NmgChild : IDisposable
    {
        private readonly Process _p;
        private readonly Queue<string> _tail = new Queue<string>();
        private readonly ManualResetEventSlim _up = new ManualResetEventSlim();

        public NmgChild(string configPath, string board, string dataDir)
        {
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { typeof(CommandLine).Assembly.Location, "run", "--config", configPath, "--board", board, "--data", dataDir })
                psi.ArgumentList.Add(a);
            _p = Process.Start(psi)!;
            _p.OutputDataReceived += (_, e) => Line(e.Data);
            _p.ErrorDataReceived += (_, e) => Line(e.Data == null ? null : "stderr: " + e.Data);
            _p.BeginOutputReadLine();
            _p.BeginErrorReadLine();
            var sw = Stopwatch.StartNew();
            while (!_up.Wait(100))
            {
                if (_p.HasExited || sw.ElapsedMilliseconds > 30000)
                {
                    Dispose();
                    throw new InvalidOperationException("nmg run did not start: " + Tail);
                }
            }
            for (int i = 0; i < 100 && SmtpPort == 0; i++) Thread.Sleep(10);
            if (SmtpPort == 0) throw new InvalidOperationException("nmg run printed no smtp endpoint: " + Tail);
        }

        public int SmtpPort { get; private set; }

        public int Pid => _p.Id;

        /// <summary>CPU milliseconds of the nmg process (all its threads) so far.</summary>
        public double CpuMs => ProcessCpu.OfProcess(_p.Id);

        /// <summary>The last lines nmg printed.</summary>
        public string Tail
        {
            get { lock (_tail) return string.Join("\n", _tail); }
        }

        private void Line(string? s)
        {
            if (s == null) return;
            lock (_tail)
            {
                _tail.Enqueue(s);
                if (_tail.Count > 20) _tail.Dequeue();
            }
            const string listening = "nmg: smtp listening on ";
            if (SmtpPort == 0 && s.StartsWith(listening, StringComparison.Ordinal)) SmtpPort = int.Parse(s.Substring(s.LastIndexOf(':') + 1));
            if (s.Contains("daemon started", StringComparison.Ordinal)) _up.Set();
        }

        [DllImport("libc")]
        private static extern int kill(int pid, int sig);

        public void Dispose()
        {
            try
            {
                if (!_p.HasExited)
                {
                    kill(_p.Id, 15);
                    if (!_p.WaitForExit(10000)) _p.Kill(entireProcessTree: true);
                }
                _p.WaitForExit(5000);
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
