// IConnection over an authenticated SslStream on the board. Deadlines: a TLS record can
// hold bytes that Poll on the socket does not see, so reads use the socket's
// ReceiveTimeout (nanoFramework throws SocketException 10060 when it passes) instead of
// Poll. Disposing the SslStream closes the socket (ARCHITECTURE.md, Platform facts).
// Board-only (see NanoTlsProvider).

using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using NanoMailGateway.Board.Adapters;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Board.Device
{
    /// <summary>A TLS stream. Owns the SslStream and the socket under it.</summary>
    internal sealed class NanoTlsConnection : IConnection
    {
        private readonly NanoSocketConnection _plain;
        private readonly SslStream _ssl;
        private int _closed;

        public NanoTlsConnection(NanoSocketConnection plain, SslStream ssl)
        {
            _plain = plain;
            _ssl = ssl;
        }

        public string RemoteAddress => _plain.RemoteAddress;

        public int RemotePort => _plain.RemotePort;

        public string LocalAddress => _plain.LocalAddress;

        public bool IsSecure => true;

        public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                _plain.Socket.ReceiveTimeout = timeoutMs <= 0 ? 0 : timeoutMs;
                return _ssl.Read(buffer, offset, count);
            }
            catch (SocketException e)
            {
                int code = NanoSocketErrors.ToWsa(e.ErrorCode);
                if (code == ConnectionException.TimedOut) return ConnectionResult.TimedOut;
                throw new ConnectionException("tls receive failed: " + e.Message, code, e);
            }
            catch (Exception e)
            {
                throw Broken("tls receive failed", e);
            }
        }

        public void Send(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                _plain.Socket.SendTimeout = timeoutMs <= 0 ? 0 : timeoutMs;
                _ssl.Write(buffer, offset, count);
            }
            catch (Exception e)
            {
                throw Broken("tls send failed", e);
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            try
            {
                _ssl.Dispose();
            }
            catch (Exception)
            {
                // Already broken: closing is best effort.
            }
            _plain.Close();
        }

        private static ConnectionException Broken(string what, Exception e)
        {
            SocketException? se = e as SocketException;
            int code = se != null ? NanoSocketErrors.ToWsa(se.ErrorCode) : (e is IOException || e is ObjectDisposedException ? ConnectionException.Reset : 0);
            return new ConnectionException(what + ": " + e.Message, code, e);
        }
    }
}
