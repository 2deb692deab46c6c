// What several benchmarks need: a log that discards, a message body generator, and
// starting a peer such as smtp-sink on a free loopback port. The clock is the emulator's
// SystemClock (NanoMailGateway.Emulator.Host), the same one `nmg run` uses.

using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Bench
{
    internal static class BenchKit
    {
        /// <summary>An ILog that keeps nothing: benchmarks measure the work, not the console.</summary>
        public sealed class NullLog : ILog
        {
            public void Write(string component, int session, string text) { }
        }

        /// <summary>
        /// A message of about <paramref name="size"/> bytes with CRLF lines, every tenth line
        /// starting with a dot (so dot-stuffing is exercised), addressed to <paramref name="to"/>.
        /// </summary>
        public static byte[] MakeMessage(int size, string to)
        {
            var sb = new StringBuilder("From: bench@gw.test\r\nTo: " + to + "\r\nSubject: bench\r\n\r\n");
            int line = 0;
            while (sb.Length < size - 80) sb.Append(line++ % 10 == 0 ? "." : "").Append("line ").Append(line).Append(" of the benchmark message 0123456789 abcdefghij\r\n");
            while (sb.Length < size - 2) sb.Append('x');
            sb.Append("\r\n");
            return Encoding.ASCII.GetBytes(sb.ToString());
        }

        /// <summary>A TCP port on loopback that was free a moment ago.</summary>
        public static int FreePort()
        {
            var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        /// <summary>Starts Postfix's smtp-sink on 127.0.0.1:<paramref name="port"/> (as nobody when run as root); kill it when done.</summary>
        public static System.Diagnostics.Process StartSmtpSink(int port)
        {
            string sink = System.IO.File.Exists("/usr/sbin/smtp-sink") ? "/usr/sbin/smtp-sink" : "smtp-sink";
            var psi = new System.Diagnostics.ProcessStartInfo(sink) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (Environment.UserName == "root") { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add("nobody"); }
            psi.ArgumentList.Add("127.0.0.1:" + port);
            psi.ArgumentList.Add("64");
            return System.Diagnostics.Process.Start(psi)!;
        }

        /// <summary>Waits up to 5 s until something accepts on 127.0.0.1:<paramref name="port"/>.</summary>
        public static void WaitForPort(int port, string what)
        {
            for (int i = 0; i < 200; i++)
            {
                try
                {
                    using var c = new TcpClient();
                    c.Connect("127.0.0.1", port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(25);
                }
            }
            throw new InvalidOperationException(what + " did not start on port " + port);
        }
    }
}
