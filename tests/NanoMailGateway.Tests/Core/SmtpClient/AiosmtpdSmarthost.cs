// A real TLS smarthost for interop tests: python3-aiosmtpd with AUTH (PLAIN, LOGIN)
// on a STARTTLS port (AUTH only after TLS) and on an implicit-TLS port, using a
// certificate from the test PKI. Messages land as files; a recording TCP relay in
// front of it captures every byte the client sends, so tests can prove that the
// password never crossed the wire in plaintext.

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.SmtpClient
{
    internal sealed class AiosmtpdSmarthost : IDisposable
    {
        private const string Script = @"
import os, ssl, sys, warnings
warnings.simplefilter('ignore')
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
cert, key, outdir, user, pw, p1, p2 = sys.argv[1:8]
class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(outdir) if f.endswith('.eml')])
        with open(os.path.join(outdir, 'msg%d.env' % n), 'w') as f:
            f.write('%s\n%s\n%s\n' % (envelope.mail_from, ','.join(envelope.rcpt_tos), session.authenticated))
        with open(os.path.join(outdir, 'msg%d.eml' % n), 'wb') as f:
            f.write(envelope.original_content)
        return '250 2.0.0 Ok: queued'
def auth(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == pw.encode()
    return AuthResult(success=ok, handled=False)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)
ctx.load_cert_chain(cert, key)
c1 = Controller(Handler(), hostname='127.0.0.1', port=int(p1), tls_context=ctx, require_starttls=True,
                authenticator=auth, auth_required=True, auth_require_tls=True)
c2 = Controller(Handler(), hostname='127.0.0.1', port=int(p2), ssl_context=ctx,
                authenticator=auth, auth_required=True, auth_require_tls=False)
c1.start(); c2.start()
print('READY', flush=True)
sys.stdin.read()
c1.stop(); c2.stop()
";

        private readonly Process _process;
        private readonly string _dir;

        public AiosmtpdSmarthost(string certFile, string keyFile, string user, string password)
        {
            string python = Peers.RequirePython("aiosmtpd");
            _dir = Path.Combine(Path.GetTempPath(), "nmg-aiosmtpd-" + Guid.NewGuid().ToString("N"));
            OutDir = Path.Combine(_dir, "out");
            Directory.CreateDirectory(OutDir);
            string script = Path.Combine(_dir, "smarthost.py");
            File.WriteAllText(script, Script);
            StartTlsPort = FreePort.Tcp();
            ImplicitTlsPort = FreePort.Tcp();
            var psi = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { script, certFile, keyFile, OutDir, user, password, StartTlsPort.ToString(), ImplicitTlsPort.ToString() }) psi.ArgumentList.Add(a);
            _process = Process.Start(psi)!;
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Stderr) Stderr.Add(e.Data); };
            _process.BeginErrorReadLine();
            var ready = _process.StandardOutput.ReadLineAsync();
            if (!ready.Wait(20000) || ready.Result != "READY")
            {
                Dispose();
                throw new InvalidOperationException("aiosmtpd did not start: " + string.Join("\n", Stderr));
            }
        }

        public System.Collections.Generic.List<string> Stderr { get; } = new System.Collections.Generic.List<string>();

        public int StartTlsPort { get; }

        public int ImplicitTlsPort { get; }

        public string OutDir { get; }

        public byte[] Message(int i) => File.ReadAllBytes(Path.Combine(OutDir, "msg" + i + ".eml"));

        public string[] EnvelopeOf(int i) => File.ReadAllLines(Path.Combine(OutDir, "msg" + i + ".env"));

        public int MessageCount => Directory.GetFiles(OutDir, "*.eml").Length;

        public void Dispose()
        {
            try { _process.StandardInput.Close(); } catch (IOException) { }
            if (!_process.WaitForExit(3000))
            {
                try { _process.Kill(); } catch (InvalidOperationException) { }
                _process.WaitForExit(3000);
            }
            _process.Dispose();
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }
    }

    /// <summary>A TCP relay on loopback that records every byte the client sends upstream.</summary>
    internal sealed class RecordingRelay : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly MemoryStream _clientBytes = new MemoryStream();
        private readonly Thread _thread;

        public RecordingRelay(int upstreamPort)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _thread = new Thread(() =>
            {
                try
                {
                    using TcpClient down = _listener.AcceptTcpClient();
                    using var up = new TcpClient();
                    up.Connect(IPAddress.Loopback, upstreamPort);
                    var a = new Thread(() => Pump(down.GetStream(), up.GetStream(), true)) { IsBackground = true };
                    var b = new Thread(() => Pump(up.GetStream(), down.GetStream(), false)) { IsBackground = true };
                    a.Start(); b.Start();
                    a.Join(); b.Join();
                }
                catch (SocketException) { }
                catch (ObjectDisposedException) { }
            }) { IsBackground = true };
            _thread.Start();
        }

        public int Port { get; }

        /// <summary>
        /// Fails when the client's bytes show the password in any form a PLAIN or LOGIN
        /// exchange would carry it, or an AUTH command at all (everything must be inside TLS).
        /// </summary>
        public void AssertNoSecretOnTheWire(string user, string password)
        {
            string s = System.Text.Encoding.Latin1.GetString(ClientBytes);
            Xunit.Assert.DoesNotContain(password, s);
            Xunit.Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)), s);
            Xunit.Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0" + user + "\0" + password)), s);
            Xunit.Assert.DoesNotContain("AUTH", s);
        }

        public byte[] ClientBytes
        {
            get { lock (_clientBytes) return _clientBytes.ToArray(); }
        }

        private void Pump(Stream from, Stream to, bool record)
        {
            byte[] buf = new byte[16384];
            try
            {
                int n;
                while ((n = from.Read(buf, 0, buf.Length)) > 0)
                {
                    if (record) lock (_clientBytes) _clientBytes.Write(buf, 0, n);
                    to.Write(buf, 0, n);
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
            try { to.Close(); } catch (IOException) { }
        }

        public void Dispose()
        {
            _listener.Stop();
            _thread.Join(3000);
        }
    }
}
