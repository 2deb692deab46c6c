using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NanoMailGateway.Emulator.Cli;
using NanoMailGateway.Emulator.Gateway;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Cli
{
    public sealed class RunCommandTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("nmg-run-").FullName;

        public void Dispose()
        {
            Directory.Delete(_dir, true);
        }

        private string WriteConfig(string extra = "")
        {
            string cfg = Path.Combine(_dir, "main.cf");
            File.WriteAllText(cfg, "hostname = gw.example\nsmtp_listen = 127.0.0.1:0\npop3_listen = 127.0.0.1:0\n" + extra);
            return cfg;
        }

        /// <summary>Runs `nmg run` in-process until the gateway listens, calls <paramref name="whileRunning"/>, then stops it.</summary>
        private (int code, string stdout, string stderr) RunInProcess(string[] args, Action<EmulatorGateway>? whileRunning = null)
        {
            var outText = new StringWriter();
            var errText = new StringWriter();
            TextWriter stdout = TextWriter.Synchronized(outText);
            TextWriter stderr = TextWriter.Synchronized(errText);
            using var stop = new CancellationTokenSource();
            using var up = new ManualResetEventSlim();
            EmulatorGateway? gw = null;
            int code = -1;
            var t = new Thread(() => code = RunCommand.Run(args, stdout, stderr, stop.Token, g => { gw = g; up.Set(); }));
            t.Start();
            if (up.Wait(10000)) whileRunning?.Invoke(gw!);
            stop.Cancel();
            Assert.True(t.Join(10000), "run did not stop");
            lock (stdout) lock (stderr) return (code, outText.ToString(), errText.ToString());
        }

        private static string ReadGreeting(string endpoint)
        {
            int colon = endpoint.LastIndexOf(':');
            using var c = new TcpClient(endpoint.Substring(0, colon), int.Parse(endpoint.Substring(colon + 1)));
            c.ReceiveTimeout = 5000;
            var buf = new byte[512];
            int n = c.GetStream().Read(buf, 0, buf.Length);
            return Encoding.ASCII.GetString(buf, 0, n);
        }

        [Fact]
        public void RunsOnFreePortsAcceptsConnectionsAndStops()
        {
            string data = Path.Combine(_dir, "data");
            string smtpGreeting = "", pop3Greeting = "";
            var (code, stdout, stderr) = RunInProcess(new[] { "--config", WriteConfig(), "--data", data, "--board", "esp32-c3" }, g =>
            {
                Assert.Single(g.SmtpEndpoints);
                Assert.DoesNotContain(":0", g.SmtpEndpoints[0][^2..]);
                Assert.Equal(6, g.Pool.Capacity); // boards/esp32-c3.conf buffer_count
                Assert.Equal(512, g.Pool.BufferSize);
                smtpGreeting = ReadGreeting(g.SmtpEndpoints[0]);
                pop3Greeting = ReadGreeting(g.Pop3Endpoints[0]);
            });
            Assert.Equal("", stderr);
            Assert.Equal(0, code);
            Assert.Equal("220 gw.example ESMTP NanoMailGateway\r\n", smtpGreeting);
            Assert.Equal("+OK", pop3Greeting.Substring(0, 3));
            Assert.Contains("nmg: queue: 0 messages recovered", stdout);
            Assert.Contains("nmg: board esp32-c3: heap 54K, storage 192K, 8 sockets", stdout);
            Assert.Contains("buffers 6 x 512 bytes (3K), sessions smtp 1 pop3 1 delivery 1, message_size_limit 32K", stdout);
            Assert.Matches(@"nmg: smtp listening on 127\.0\.0\.1:[1-9]\d*", stdout);
            Assert.Matches(@"nmg: pop3 listening on 127\.0\.0\.1:[1-9]\d*", stdout);
            Assert.Contains("nmg: data in " + data, stdout);
            Assert.Matches(@"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d gw\.example nmg/master\[0\]: daemon started -- board esp32-c3", stdout);
            Assert.Matches(@"gw\.example nmg/smtpd\[\d+\]: connect from \[127\.0\.0\.1\]", stdout);
            Assert.Matches(@"gw\.example nmg/qmgr\[0\]: queue recovered in \d+ ms: 0 messages", stdout);
            Assert.Contains("nmg/master[0]: terminating on signal", stdout);
            Assert.True(Directory.Exists(data));
        }

        [Fact]
        public void PostmasterPasswordIsCreatedOnceAndKept()
        {
            string data = Path.Combine(_dir, "data");
            string cfg = WriteConfig();
            var first = RunInProcess(new[] { "--config", cfg, "--data", data });
            Assert.Equal(0, first.code);
            Match m = Regex.Match(first.stdout, @"created account 'postmaster' with password ([a-z2-9]{16}) \(shown once");
            Assert.True(m.Success, first.stdout);
            string password = m.Groups[1].Value;
            string accounts = File.ReadAllText(Path.Combine(data, "accounts"));
            Assert.Contains("user.postmaster = " + password + "\n", accounts);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "accounts")));
            }

            var second = RunInProcess(new[] { "--config", cfg, "--data", data });
            Assert.Equal(0, second.code);
            Assert.DoesNotContain("created account", second.stdout);
            Assert.DoesNotContain(password, second.stdout); // shown once
            Assert.Equal(accounts, File.ReadAllText(Path.Combine(data, "accounts")));
        }

        [Fact]
        public void AccountsFromTheConfigWinAndNoPasswordIsGenerated()
        {
            string data = Path.Combine(_dir, "data");
            var r = RunInProcess(new[] { "--config", WriteConfig("user.postmaster = fromconfig\n"), "--data", data }, g =>
            {
                Assert.Equal("fromconfig", g.Config.FindAccount("postmaster")!.Secret);
            });
            Assert.Equal(0, r.code);
            Assert.DoesNotContain("created account", r.stdout);
            Assert.False(File.Exists(Path.Combine(data, "accounts")));
        }

        [Fact]
        public void FileAccountsAreMergedBehindConfigAccounts()
        {
            string data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "accounts"), "user.postmaster = fromfile\nuser.sensor = s1\n");
            var r = RunInProcess(new[] { "--config", WriteConfig("user.sensor = s2\n"), "--data", data }, g =>
            {
                Assert.Equal("fromfile", g.Config.FindAccount("postmaster")!.Secret);
                Assert.Equal("s2", g.Config.FindAccount("sensor")!.Secret);
            });
            Assert.Equal(0, r.code);
        }

        [Fact]
        public void BadAccountsFileExits78WithItsLine()
        {
            string data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            string path = Path.Combine(data, "accounts");
            File.WriteAllText(path, "user.postmaster = ok\nuser.bad name = x\n");
            var o = new StringWriter();
            var e = new StringWriter();
            Assert.Equal(78, RunCommand.Run(new[] { "--config", WriteConfig(), "--data", data }, o, e, CancellationToken.None, null));
            Assert.StartsWith("nmg: " + path + ":2: ", e.ToString());
        }

        [Fact]
        public void AddressInUseExits71()
        {
            var busy = new TcpListener(System.Net.IPAddress.Loopback, 0);
            busy.Start();
            try
            {
                int port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
                string cfg = Path.Combine(_dir, "main.cf");
                File.WriteAllText(cfg, "smtp_listen = 127.0.0.1:" + port + "\npop3_listen = 127.0.0.1:0\n");
                var o = new StringWriter();
                var e = new StringWriter();
                int code = RunCommand.Run(new[] { "--config", cfg, "--data", Path.Combine(_dir, "data") }, o, e, CancellationToken.None, null);
                Assert.Equal(71, code);
                Assert.Contains("cannot listen on 127.0.0.1:" + port, e.ToString());
            }
            finally
            {
                busy.Stop();
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        /// <summary>What users do: start `dotnet nmg.dll run`, connect, send SIGTERM, expect a clean exit 0.</summary>
        [SkippableFact]
        public void ChildProcessStopsCleanlyOnSigterm()
        {
            Skip.If(OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
            string nmg = typeof(CommandLine).Assembly.Location;
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = _dir,
            };
            foreach (string a in new[] { nmg, "run", "--config", WriteConfig() }) psi.ArgumentList.Add(a);
            var output = new StringBuilder();
            using var up = new ManualResetEventSlim();
            using var p = Process.Start(psi)!;
            try
            {
                p.OutputDataReceived += (_, e) =>
                {
                    if (e.Data == null) return;
                    lock (output) output.AppendLine(e.Data);
                    if (e.Data.Contains("daemon started")) up.Set();
                };
                p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine("stderr: " + e.Data); };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                Assert.True(up.Wait(30000), "nmg did not start: " + output);
                string text;
                lock (output) text = output.ToString();
                string endpoint = Regex.Match(text, @"smtp listening on (\S+)").Groups[1].Value;
                Assert.StartsWith("220 gw.example ESMTP", ReadGreeting(endpoint));

                Assert.Equal(0, kill(p.Id, 15));
                Assert.True(p.WaitForExit(15000), "nmg did not stop on SIGTERM");
                p.WaitForExit();
                lock (output) text = output.ToString();
                Assert.Equal(0, p.ExitCode);
                Assert.Contains("nmg/master[0]: terminating on signal", text);
                // No config data dir given: the default ./nmg-data in the working directory.
                Assert.True(File.Exists(Path.Combine(_dir, "nmg-data", "accounts")));
            }
            finally
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
        }
    }
}
