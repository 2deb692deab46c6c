// Postfix's smtp-sink as the final destination, counting what it received: with -c it
// prints "sess=N quit=N mesg=N" (carriage return, no newline) whenever a message ends
// or a session quits; the last mesg= seen is the count of messages received.

using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace NanoMailGateway.Bench
{
    internal sealed class SinkCounter : IDisposable
    {
        private readonly Process _p;
        private readonly Thread _reader;
        private long _messages;

        public SinkCounter()
        {
            Port = BenchKit.FreePort();
            var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (Environment.UserName == "root") { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add("nobody"); }
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("127.0.0.1:" + Port);
            psi.ArgumentList.Add("256");
            _p = Process.Start(psi)!;
            _p.ErrorDataReceived += (_, e) => { };
            _p.BeginErrorReadLine();
            _reader = new Thread(Read) { IsBackground = true };
            _reader.Start();
            BenchKit.WaitForPort(Port, "smtp-sink");
        }

        public int Port { get; }

        /// <summary>Messages smtp-sink has received since it started.</summary>
        public long Messages => Interlocked.Read(ref _messages);

        /// <summary>Waits until at least <paramref name="count"/> messages arrived or <paramref name="timeoutMs"/> passed; returns the count.</summary>
        public long WaitFor(long count, int timeoutMs)
        {
            var sw = Stopwatch.StartNew();
            while (Messages < count && sw.ElapsedMilliseconds < timeoutMs) Thread.Sleep(2);
            return Messages;
        }

        private void Read()
        {
            var line = new StringBuilder();
            var buf = new char[4096];
            int n;
            while ((n = _p.StandardOutput.Read(buf, 0, buf.Length)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    char c = buf[i];
                    if (c != '\r' && c != '\n')
                    {
                        line.Append(c);
                        continue;
                    }
                    string s = line.ToString();
                    line.Clear();
                    int at = s.LastIndexOf("mesg=", StringComparison.Ordinal);
                    if (at >= 0 && long.TryParse(s.Substring(at + 5).Trim(), out long m)) Interlocked.Exchange(ref _messages, m);
                }
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_p.HasExited) _p.Kill();
                _p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            _p.Dispose();
        }
    }
}
