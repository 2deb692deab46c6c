// Postfix's smtp-sink as a real SMTP peer on 127.0.0.1:<free port>, capturing each
// message into its own file (-d) so tests can compare what arrived byte for byte.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    internal sealed class SmtpSinkPeer : IDisposable
    {
        private readonly Process _process;

        public SmtpSinkPeer(params string[] faultOptions) : this("127.0.0.1", 0, faultOptions)
        {
        }

        /// <summary>A sink on <paramref name="address"/>:<paramref name="port"/> (0 = a free port), for MX tests on 127.0.0.x.</summary>
        public SmtpSinkPeer(string address, int port, params string[] faultOptions)
        {
            string sink = Peers.Require("smtp-sink");
            DumpDir = Path.Combine(Path.GetTempPath(), "nmg-sink-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(DumpDir);
            File.SetUnixFileMode(DumpDir, (UnixFileMode)0x1FF);   // smtp-sink writes as nobody
            Address = address;
            Port = port == 0 ? FreePort.Tcp() : port;
            var psi = new ProcessStartInfo(sink) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            if (Environment.UserName == "root") { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add("nobody"); }
            psi.ArgumentList.Add("-d");
            psi.ArgumentList.Add(DumpDir + "/%H%M%S.");
            foreach (string o in faultOptions) psi.ArgumentList.Add(o);
            psi.ArgumentList.Add(address + ":" + Port);
            psi.ArgumentList.Add("16");
            _process = Process.Start(psi)!;
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(address, Port);
                    break;
                }
                catch (SocketException)
                {
                    if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException("smtp-sink did not start on port " + Port);
                    Thread.Sleep(30);
                }
            }
        }

        public int Port { get; }

        public string Address { get; }

        public string DumpDir { get; }

        /// <summary>The messages received, as smtp-sink wrote them (LF line ends), without its own
        /// X-* and Received: lines and without the empty line it appends.</summary>
        public List<byte[]> Messages(int expected, int timeoutMs = 5000)
        {
            // A dump is complete when smtp-sink has closed it (it may answer the final dot
            // first): wait for the files and then for no open descriptor on any of them.
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while ((Directory.GetFiles(DumpDir).Length < expected || DumpsOpen() > 0) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (DumpsOpen() > 0) throw new TimeoutException("smtp-sink still writes a dump after " + timeoutMs + " ms");
            var result = new List<byte[]>();
            foreach (string f in Directory.GetFiles(DumpDir).OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f))
            {
                byte[] b = File.ReadAllBytes(f);
                int p = IndexOf(b, Encoding.ASCII.GetBytes("\nReceived: "), 0);
                p = Array.IndexOf(b, (byte)'\n', p + 1);      // "from ..."
                p = Array.IndexOf(b, (byte)'\n', p + 1);      // "\tby ..."
                p = Array.IndexOf(b, (byte)'\n', p + 1);      // "\tdate"
                result.Add(b.AsSpan(p + 1, b.Length - p - 2).ToArray());
            }
            return result;
        }

        /// <summary>Dump files smtp-sink holds open now, from its descriptors in /proc (proc(5)).</summary>
        private int DumpsOpen()
        {
            int open = 0;
            try
            {
                foreach (string fd in Directory.GetFiles("/proc/" + _process.Id + "/fd"))
                {
                    string? target = null;
                    try { target = new FileInfo(fd).LinkTarget; }
                    catch (IOException) { }   // closed while we looked
                    if (target != null && target.StartsWith(DumpDir, StringComparison.Ordinal)) open++;
                }
            }
            catch (DirectoryNotFoundException)
            {
                // smtp-sink has exited: nothing is open.
            }
            return open;
        }

        private static int IndexOf(byte[] hay, byte[] needle, int from)
        {
            for (int i = from; i <= hay.Length - needle.Length; i++)
            {
                if (hay.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
            }
            return -1;
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(); } catch (InvalidOperationException) { }
            _process.WaitForExit(5000);
            _process.Dispose();
            try { Directory.Delete(DumpDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
