// ITlsProvider on the board: nanoFramework's SslStream(Socket) (mbedTLS underneath), which
// works on an already connected socket, so STARTTLS (RFC 3207), POP3 STLS (RFC 2595) and
// implicit TLS (RFC 8314) all use it. TLS 1.2 is the minimum (RFC 8996 retired 1.0/1.1;
// SslProtocols.Tls12 is also the lowest the board offers).
// Certificates come from files on I: (put there with nanoff --filedeployment): the
// server certificate and its PEM key for STARTTLS/STLS, and the one CA that outgoing
// delivery trusts when it verifies (there is no built-in CA bundle on the board).
// Board-only: .NET's SslStream takes a Stream, not a Socket, so the host tests cannot run
// this file; the emulator has its own HostTlsProvider.
// Left out on purpose: client certificates, a CA bundle of more than one root (mbedTLS
// accepts a PEM bundle in one file: concatenate roots into ca.pem if you need more).

using System;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Device
{
    /// <summary>TLS for the board. Thread-safe (certificates are read once, at start).</summary>
    public sealed class NanoTlsProvider : ITlsProvider
    {
        private readonly X509Certificate? _serverCertificate;
        private readonly X509Certificate? _trustedCa;

        /// <param name="serverCertificate">the gateway's certificate with its key, or null (no STARTTLS/STLS offered).</param>
        /// <param name="trustedCa">the CA that verified delivery must chain to, or null (verification then always fails).</param>
        public NanoTlsProvider(X509Certificate? serverCertificate, X509Certificate? trustedCa)
        {
            _serverCertificate = serverCertificate;
            _trustedCa = trustedCa;
        }

        public bool CanServe => _serverCertificate != null;

        public IConnection AuthenticateAsServer(IConnection plain, int timeoutMs)
        {
            if (_serverCertificate == null) throw new ConnectionException("no server certificate configured", 0);
            NanoSocketConnection socket = SocketOf(plain);
            SslStream ssl = new SslStream(socket.Socket);
            try
            {
                SetDeadline(socket, timeoutMs);
                ssl.AuthenticateAsServer(_serverCertificate, false, SslProtocols.Tls12);
                return new NanoTlsConnection(socket, ssl);
            }
            catch (Exception e)
            {
                ssl.Dispose();
                throw new ConnectionException("tls handshake (server) failed: " + e.Message, 0, e);
            }
        }

        public IConnection AuthenticateAsClient(IConnection plain, string targetHost, bool verify, int timeoutMs)
        {
            NanoSocketConnection socket = SocketOf(plain);
            SslStream ssl = new SslStream(socket.Socket);
            try
            {
                SetDeadline(socket, timeoutMs);
                // Opportunistic TLS (RFC 7435) takes any certificate; verified delivery needs
                // the chain to the configured CA and the name (mbedTLS checks targetHost).
                ssl.SslVerification = verify ? SslVerification.CertificateRequired : SslVerification.NoVerification;
                if (verify && _trustedCa == null) throw new ConnectionException("tls verification asked but no CA configured", 0);
                ssl.AuthenticateAsClient(targetHost, null!, _trustedCa!, SslProtocols.Tls12);
                return new NanoTlsConnection(socket, ssl);
            }
            catch (ConnectionException)
            {
                ssl.Dispose();
                throw;
            }
            catch (Exception e)
            {
                ssl.Dispose();
                throw new ConnectionException("tls handshake (client) with " + targetHost + " failed: " + e.Message, 0, e);
            }
        }

        /// <summary>The handshake has no deadline of its own: the socket's timeouts bound every read and write in it.</summary>
        private static void SetDeadline(NanoSocketConnection socket, int timeoutMs)
        {
            int t = timeoutMs <= 0 ? 0 : timeoutMs;
            socket.Socket.ReceiveTimeout = t;
            socket.Socket.SendTimeout = t;
        }

        private static NanoSocketConnection SocketOf(IConnection plain)
        {
            NanoSocketConnection? s = plain as NanoSocketConnection;
            if (s == null) throw new ArgumentException("the board's TLS needs a NanoSocketConnection");
            return s;
        }
    }
}
