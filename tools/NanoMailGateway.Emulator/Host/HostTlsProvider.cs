// ITlsProvider on the host: SslStream over the socket of an already connected
// NanoSocketConnection, so STARTTLS (RFC 3207), POP3 STLS (RFC 2595) and implicit TLS
// (RFC 8314) share one call. TLS 1.2 and 1.3 only (RFC 8996 retires 1.0 and 1.1).
// Server side: certificate chain and key from PEM files. Client side with verify: the
// peer's chain must end at the configured CA file (custom root trust, not the OS store)
// and its name must match the target (RFC 6125); without verify any certificate is
// accepted (opportunistic TLS, RFC 7435). The handshake has a hard deadline: when it
// passes, the socket is closed, which ends the handshake whatever it waits for.
// Left out on purpose: client certificates, revocation checks (the board cannot do
// them either), session resumption tuning, ALPN.

using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>TLS on host sockets. Thread-safe after construction.</summary>
    public sealed class HostTlsProvider : ITlsProvider
    {
        private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

        private readonly SslStreamCertificateContext? _serverContext;
        private readonly X509Certificate2Collection? _trustedRoots;

        /// <summary>
        /// Loads the configuration. <paramref name="certFile"/>: PEM with the server
        /// certificate first, then any intermediates (null = no server side, CanServe false).
        /// <paramref name="keyFile"/>: PEM private key (null = the key is in certFile).
        /// <paramref name="caFile"/>: PEM CA certificates that verified peers must chain to
        /// (null = the operating system's trust store).
        /// </summary>
        /// <exception cref="ArgumentException">a file is missing or does not hold what it should; the message names it.</exception>
        public HostTlsProvider(string? certFile, string? keyFile, string? caFile)
        {
            if (certFile != null) _serverContext = LoadServerContext(certFile, keyFile);
            if (caFile != null) _trustedRoots = LoadCertificates(caFile, "CA file");
        }

        public bool CanServe => _serverContext != null;

        public IConnection AuthenticateAsServer(IConnection plain, int timeoutMs)
        {
            if (_serverContext == null) throw new InvalidOperationException("no server certificate configured (check CanServe)");
            NanoSocketConnection host = AsHost(plain);
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _serverContext,
                EnabledSslProtocols = Protocols,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            var ssl = new SslStream(new NetworkStream(host.Socket, ownsSocket: false), leaveInnerStreamOpen: false);
            Handshake(host, ssl, ssl.AuthenticateAsServerAsync(options), timeoutMs, null);
            return new HostTlsConnection(host, ssl);
        }

        public IConnection AuthenticateAsClient(IConnection plain, string targetHost, bool verify, int timeoutMs)
        {
            NanoSocketConnection host = AsHost(plain);
            var verdict = new Verdict(targetHost, _trustedRoots != null ? "the configured CA" : "the system's trusted CAs");
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = Protocols,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (sender, cert, chain, errors) => verdict.Decide(verify, errors, chain),
            };
            if (verify && _trustedRoots != null)
            {
                // Only the configured CA anchors a chain (relay_ca_file), not the OS store.
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.AddRange(_trustedRoots);
                options.CertificateChainPolicy = policy;
            }
            var ssl = new SslStream(new NetworkStream(host.Socket, ownsSocket: false), leaveInnerStreamOpen: false);
            Handshake(host, ssl, ssl.AuthenticateAsClientAsync(options), timeoutMs, verdict);
            return new HostTlsConnection(host, ssl);
        }

        /// <summary>Waits for the handshake; on any failure closes the connection and throws.</summary>
        private static void Handshake(NanoSocketConnection host, SslStream ssl, Task handshake, int timeoutMs, Verdict? verdict)
        {
            bool done;
            try
            {
                done = handshake.Wait(timeoutMs <= 0 ? -1 : timeoutMs);
            }
            catch (AggregateException e)
            {
                ssl.Dispose();
                CloseGracefully(host);
                Exception inner = e.InnerException ?? e;
                string why = verdict?.Failure ?? inner.Message;
                throw new ConnectionException("TLS handshake failed: " + why, SocketErrorOf(inner), inner);
            }
            if (!done)
            {
                // Closing the socket ends the pending handshake; its fault is observed here.
                _ = handshake.ContinueWith(t => t.Exception, TaskScheduler.Default);
                ssl.Dispose();
                CloseGracefully(host);
                throw new ConnectionException("TLS handshake timed out after " + timeoutMs + " ms", ConnectionException.TimedOut);
            }
        }

        /// <summary>Closes the plain connection under a TLS stream with a FIN first: a pending
        /// SslStream read makes .NET's Close abortive (RST), and the peer should see an orderly
        /// close. Host-only: nanoFramework's Socket has no Shutdown.</summary>
        internal static void CloseGracefully(NanoSocketConnection plain)
        {
            try { plain.Socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            plain.Close();
        }

        private static int SocketErrorOf(Exception e)
        {
            for (Exception? x = e; x != null; x = x.InnerException)
            {
                if (x is SocketException se) return (int)se.SocketErrorCode;
            }
            return 0;
        }

        private static NanoSocketConnection AsHost(IConnection plain)
        {
            if (plain is NanoSocketConnection h) return h;
            throw new ArgumentException("HostTlsProvider upgrades NanoSocketConnection only, got " + plain.GetType().Name, nameof(plain));
        }

        private static SslStreamCertificateContext LoadServerContext(string certFile, string? keyFile)
        {
            try
            {
                X509Certificate2Collection chain = LoadCertificates(certFile, "certificate file");
                using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
                // A PEM-loaded key is ephemeral; SslStream's server side wants a key it can
                // persist on some platforms, so go through PKCS#12 once.
                X509Certificate2 leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
                var intermediates = new X509Certificate2Collection();
                for (int i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
                return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException("cannot load TLS certificate " + certFile + " with key " + (keyFile ?? certFile) + ": " + e.Message, nameof(certFile), e);
            }
            catch (IOException e)
            {
                throw new ArgumentException("cannot read " + (keyFile ?? certFile) + ": " + e.Message, nameof(keyFile), e);
            }
        }

        private static X509Certificate2Collection LoadCertificates(string file, string what)
        {
            var all = new X509Certificate2Collection();
            try
            {
                all.ImportFromPemFile(file);
            }
            catch (Exception e) when (e is IOException || e is CryptographicException || e is UnauthorizedAccessException)
            {
                throw new ArgumentException("cannot read " + what + " " + file + ": " + e.Message, nameof(file), e);
            }
            if (all.Count == 0) throw new ArgumentException(what + " " + file + " holds no PEM certificate", nameof(file));
            return all;
        }

        /// <summary>The client's decision on the server's certificate, kept to explain a failed handshake.</summary>
        private sealed class Verdict
        {
            private readonly string _targetHost;
            private readonly string _anchor;

            public Verdict(string targetHost, string anchor)
            {
                _targetHost = targetHost;
                _anchor = anchor;
            }

            public string? Failure { get; private set; }

            public bool Decide(bool verify, SslPolicyErrors errors, X509Chain? chain)
            {
                if (!verify) return true; // RFC 7435: encrypt without authenticating
                if (errors == SslPolicyErrors.None) return true;
                if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
                {
                    Failure = "server sent no certificate";
                }
                else if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    string status = "";
                    if (chain != null)
                    {
                        foreach (X509ChainStatus s in chain.ChainStatus) status += (status.Length == 0 ? "" : ", ") + s.Status;
                    }
                    Failure = "certificate not trusted: no chain to " + _anchor + " (" + (status.Length == 0 ? "chain error" : status) + ")";
                    if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) Failure += "; name mismatch";
                }
                else
                {
                    Failure = "name mismatch: the certificate does not name " + _targetHost;
                }
                return false;
            }
        }
    }
}
