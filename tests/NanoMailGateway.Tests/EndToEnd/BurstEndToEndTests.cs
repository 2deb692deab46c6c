// A burst of senders against `nmg run` on the smallest board's profile (esp32-c3: one
// SMTP slot): ten clients per slot connect over and over at once, each reading the
// greeting, saying EHLO and QUIT. Every connection must get its first line (220, or
// 421 4.3.2 when no slot came free in time) within 1 s (README, Bursts). With the
// listen queue of 4 the kernel dropped the SYNs beyond it, and those senders came back
// only after TCP's retransmission timeout (1 s, then 3 s): a silent wait, not an answer.

using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Xunit;

namespace NanoMailGateway.Tests.EndToEnd
{
    public sealed class BurstEndToEndTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-burst-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        [Fact]
        public void Ten_senders_per_slot_each_get_their_first_line_within_a_second()
        {
            string cfg = ByteExactTests.HoldingConfig(_dir);
            using var nmg = NmgProcess.Start(cfg, Path.Combine(_dir, "data"), "esp32-c3");
            string[] hostPort = nmg.Smtp.Split(':');
            int port = int.Parse(hostPort[1]);
            const int senders = 10;   // the esp32-c3 has one SMTP slot
            long slowest = 0;
            int greeted = 0, refused = 0;
            string? failure = null;
            var until = DateTime.UtcNow.AddSeconds(4);
            var threads = new Thread[senders];
            for (int i = 0; i < senders; i++)
            {
                threads[i] = new Thread(() =>
                {
                    while (DateTime.UtcNow < until)
                    {
                        var sw = Stopwatch.StartNew();
                        try
                        {
                            using var c = new TcpClient();
                            c.Connect("127.0.0.1", port);
                            c.ReceiveTimeout = 10000;
                            var reader = new StreamReader(c.GetStream(), Encoding.ASCII);
                            string? first = reader.ReadLine();
                            long ms = sw.ElapsedMilliseconds;
                            lock (threads)
                            {
                                if (ms > slowest) slowest = ms;
                                if (first != null && first.StartsWith("220 ", StringComparison.Ordinal)) greeted++;
                                else if (first != null && first.StartsWith("421 4.3.2", StringComparison.Ordinal)) refused++;
                                else failure ??= "first line: " + (first ?? "(closed)");
                            }
                            if (first == null || !first.StartsWith("220 ", StringComparison.Ordinal)) continue;
                            byte[] talk = Encoding.ASCII.GetBytes("EHLO burst.example\r\nQUIT\r\n");
                            c.GetStream().Write(talk, 0, talk.Length);
                            while (reader.ReadLine() is string line && !line.StartsWith("221", StringComparison.Ordinal)) { }
                        }
                        catch (Exception e) when (e is IOException || e is SocketException)
                        {
                            lock (threads) failure ??= e.GetType().Name + " after " + sw.ElapsedMilliseconds + " ms: " + e.Message;
                        }
                    }
                });
                threads[i].Start();
            }
            foreach (var t in threads) t.Join();
            Assert.Null(failure);
            Assert.True(greeted > 4 * senders, "sessions greeted: " + greeted + " (refused " + refused + ")");
            Assert.True(slowest < 1000, "slowest first line " + slowest + " ms (greeted " + greeted + ", refused " + refused + ")");
        }
    }
}
