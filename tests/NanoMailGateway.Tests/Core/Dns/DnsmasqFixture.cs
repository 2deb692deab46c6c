// A real dnsmasq on 127.0.0.1 (a free non-53 port) serving a small zone under .test:
//   example.test  MX 10 mx1, 20 mx2, 20 mx3 (each with an A record)
//   plain.test    A only (implicit MX)
//   nullmx.test   MX 0 "." (null MX, RFC 7505) and an A record that must not be used
//   big.test      40 MX records: over 512 octets, so the UDP answer is truncated (TC)
//   alias.test    CNAME example.test
//   anything else under .test: NXDOMAIN (--local=/test/)
// Started once per test class on first use, killed on dispose.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Dns
{
    public sealed class DnsmasqFixture : IDisposable
    {
        private readonly object _gate = new();
        private Process? _process;
        private string? _dir;
        private readonly List<string>? _zone;

        public DnsmasqFixture() { }

        /// <summary>A dnsmasq serving <paramref name="zone"/> (dnsmasq options) instead of the zone above.</summary>
        internal DnsmasqFixture(List<string> zone) { _zone = zone; }

        public int Port { get; private set; }

        public string Endpoint => "127.0.0.1:" + Port;

        public string Log { get; private set; } = "";

        public static List<string> ZoneArgs()
        {
            var a = new List<string>
            {
                "--local=/test/", "--local-ttl=300",
                "--mx-host=example.test,mx1.example.test,10",
                "--mx-host=example.test,mx2.example.test,20",
                "--mx-host=example.test,mx3.example.test,20",
                "--host-record=mx1.example.test,127.0.0.11",
                "--host-record=mx2.example.test,127.0.0.12",
                "--host-record=mx3.example.test,127.0.0.13",
                "--host-record=plain.test,127.0.0.9",
                "--mx-host=nullmx.test,.,0",
                "--host-record=nullmx.test,127.0.0.8",
                "--cname=alias.test,example.test",
            };
            for (int i = 0; i < 40; i++) a.Add("--mx-host=big.test,exchanger-with-a-long-name-" + i + ".big.test," + (100 + i));
            a.Add("--host-record=exchanger-with-a-long-name-0.big.test,127.0.0.20");
            return a;
        }

        /// <summary>Starts dnsmasq once (the caller has checked Peers.Require("dnsmasq")).</summary>
        public void EnsureStarted(string dnsmasq)
        {
            lock (_gate)
            {
                if (_process != null) return;
                _dir = Directory.CreateTempSubdirectory("nmg-dnsmasq-").FullName;
                // The free port is picked for UDP, but dnsmasq binds TCP on it too, and tests
                // running in parallel open ports all the time: when it cannot bind, try another.
                for (int attempt = 1; ; attempt++)
                {
                    if (TryStart(dnsmasq)) return;
                    if (attempt == 3) throw new InvalidOperationException("dnsmasq did not start on port " + Port + ": " + Log);
                }
            }
        }

        private bool TryStart(string dnsmasq)
        {
            Port = FreePort.Udp();
            var psi = new ProcessStartInfo(dnsmasq) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[]
            {
                "--keep-in-foreground", "--log-facility=-", "--port=" + Port, "--listen-address=127.0.0.1", "--bind-interfaces",
                "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=" + Path.Combine(_dir!, "dnsmasq.pid"),
            })
            {
                psi.ArgumentList.Add(a);
            }
            foreach (string a in _zone ?? ZoneArgs()) psi.ArgumentList.Add(a);
            var log = new System.Text.StringBuilder();
            var started = new ManualResetEventSlim();
            _process = Process.Start(psi)!;
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (log) log.AppendLine(e.Data);
                if (e.Data.Contains("started", StringComparison.Ordinal)) started.Set();
            };
            _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
            bool ok = started.Wait(TimeSpan.FromSeconds(10)) && !_process.HasExited;
            lock (log) Log = log.ToString();
            if (!ok)
            {
                try { if (!_process.HasExited) _process.Kill(); } catch (InvalidOperationException) { }
                _process.WaitForExit(5000);
                _process.Dispose();
                _process = null;
                return false;
            }
            Thread.Sleep(100); // it logs "started" just before its sockets are served
            return true;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_process != null)
                {
                    try { if (!_process.HasExited) _process.Kill(); } catch (InvalidOperationException) { }
                    _process.WaitForExit(5000);
                    _process.Dispose();
                    _process = null;
                }
                if (_dir != null) try { Directory.Delete(_dir, true); } catch (IOException) { }
            }
        }
    }
}
