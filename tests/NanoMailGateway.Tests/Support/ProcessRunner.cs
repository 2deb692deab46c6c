// Runs a peer program with a hard deadline and captures its output; a test never hangs
// on a peer.

using System;
using System.Diagnostics;
using System.Text;

namespace NanoMailGateway.Tests.Support
{
    public sealed class ProcessResult
    {
        public int ExitCode { get; init; }
        public string StdOut { get; init; } = "";
        public string StdErr { get; init; } = "";
        public bool TimedOut { get; init; }
    }

    public static class ProcessRunner
    {
        public static ProcessResult Run(string file, string[] args, string? stdin, TimeSpan timeout, string? workingDirectory = null)
        {
            var psi = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (stdin != null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            bool exited = p.WaitForExit((int)timeout.TotalMilliseconds);
            if (!exited)
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit(5000);
            }
            else
            {
                p.WaitForExit(); // drain the async readers
            }
            lock (stdout) lock (stderr)
                return new ProcessResult { ExitCode = exited ? p.ExitCode : -1, StdOut = stdout.ToString(), StdErr = stderr.ToString(), TimedOut = !exited };
        }
    }
}
