// HostTlsProvider's server and client sides against each other over loopback, with a
// test CA: verified handshakes, the two ways verification fails, opportunistic TLS,
// data after the upgrade, deadlines and end of stream on the TLS connection.

using System;
using System.Diagnostics;
using System.Threading;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public sealed class HostTlsProviderTests : IClassFixture<HostTlsProviderTests.Pki>
    {
        /// <summary>One PKI for the class: key generation is the slow part.</summary>
        public sealed class Pki : IDisposable
        {
            public TestPki Files { get; } = new TestPki();

            public void Dispose() => Files.Dispose();
        }

        private const int Deadline = 5000;
        private readonly TestPki _pki;
        private readonly HostSocketNetwork _net = new();

        public HostTlsProviderTests(Pki pki)
        {
            _pki = pki.Files;
        }

        private static byte[] Bytes(string s) => System.Text.Encoding.ASCII.GetBytes(s);

        private static string ReadExactly(IConnection c, int count)
        {
            var buf = new byte[count];
            int got = 0;
            while (got < count)
            {
                int n = c.Receive(buf, got, count - got, Deadline);
                Assert.True(n > 0, "receive returned " + n + " after " + got + " bytes");
                got += n;
            }
            return System.Text.Encoding.ASCII.GetString(buf);
        }

        /// <summary>A plaintext pair on loopback: (client side, server side).</summary>
        private (IConnection Client, IConnection Server) Pair()
        {
            ITcpListener l = _net.Listen("127.0.0.1", 0, 4);
            try
            {
                IConnection c = _net.Connect("127.0.0.1", l.LocalPort, Deadline);
                return (c, l.Accept()!);
            }
            finally
            {
                l.Close();
            }
        }

        /// <summary>Runs the server handshake on a thread; Join returns its connection or its exception.</summary>
        private sealed class ServerSide
        {
            private readonly Thread _thread;
            private IConnection? _result;
            private Exception? _error;

            public ServerSide(HostTlsProvider provider, IConnection plain, int timeoutMs)
            {
                _thread = new Thread(() =>
                {
                    try
                    {
                        _result = provider.AuthenticateAsServer(plain, timeoutMs);
                    }
                    catch (Exception e)
                    {
                        _error = e;
                    }
                });
                _thread.Start();
            }

            public IConnection Join()
            {
                Assert.True(_thread.Join(10000), "server handshake never ended");
                if (_error != null) throw _error;
                return _result!;
            }

            /// <summary>
            /// True when the server saw the client's refusal: its handshake failed, or (TLS 1.3,
            /// where the server may finish first) its first read finds the stream ended or broken.
            /// </summary>
            public bool SawRefusal()
            {
                Assert.True(_thread.Join(10000), "server handshake never ended");
                if (_error != null) return _error is ConnectionException;
                try
                {
                    return _result!.Receive(new byte[8], 0, 8, Deadline) == ConnectionResult.Closed;
                }
                catch (ConnectionException)
                {
                    return true;
                }
                finally
                {
                    _result!.Close();
                }
            }
        }

        private HostTlsProvider Server() => new(_pki.ServerCertFile, _pki.ServerKeyFile, null);

        [Theory]
        [InlineData("localhost")]
        [InlineData("127.0.0.1")]
        public void VerifiedHandshakeCarriesDataBothWays(string targetHost)
        {
            var (c, s) = Pair();
            var server = new ServerSide(Server(), s, Deadline);
            IConnection client = new HostTlsProvider(null, null, _pki.CaFile).AuthenticateAsClient(c, targetHost, true, Deadline);
            IConnection secured = server.Join();
            try
            {
                Assert.True(client.IsSecure);
                Assert.True(secured.IsSecure);
                Assert.Equal("127.0.0.1", secured.RemoteAddress);
                Assert.Equal(c.LocalAddress, client.LocalAddress);
                Assert.Contains(((HostTlsConnection)client).Protocol, new[] { "Tls12", "Tls13" });
                client.Send(Bytes("EHLO sensor.lan\r\n"), 0, 17, Deadline);
                Assert.Equal("EHLO sensor.lan\r\n", ReadExactly(secured, 17));
                var big = new byte[100_000];
                for (int i = 0; i < big.Length; i++) big[i] = (byte)('a' + i % 26);
                var sender = new Thread(() => secured.Send(big, 0, big.Length, Deadline));
                sender.Start();
                string got = ReadExactly(client, big.Length);
                Assert.True(sender.Join(Deadline));
                Assert.Equal(System.Text.Encoding.ASCII.GetString(big), got);
            }
            finally
            {
                client.Close();
                secured.Close();
                client.Close();
            }
        }

        [Fact]
        public void CertificateFromAnotherCaIsNotTrusted()
        {
            var (c, s) = Pair();
            var server = new ServerSide(Server(), s, Deadline);
            var e = Assert.Throws<ConnectionException>(() =>
                new HostTlsProvider(null, null, _pki.OtherCaFile).AuthenticateAsClient(c, "localhost", true, Deadline));
            Assert.Contains("certificate not trusted", e.Message);
            Assert.True(server.SawRefusal());
            // The failed connection is closed, not left half-open.
            Assert.Throws<ConnectionException>(() => c.Send(Bytes("x"), 0, 1, 1000));
        }

        [Fact]
        public void CertificateForAnotherNameIsRejected()
        {
            var (c, s) = Pair();
            var server = new ServerSide(Server(), s, Deadline);
            var e = Assert.Throws<ConnectionException>(() =>
                new HostTlsProvider(null, null, _pki.CaFile).AuthenticateAsClient(c, "mail.example.org", true, Deadline));
            Assert.Contains("name mismatch", e.Message);
            Assert.DoesNotContain("not trusted", e.Message);
            Assert.True(server.SawRefusal());
        }

        [Fact]
        public void WithoutVerifyAnyCertificateIsAccepted()
        {
            var (c, s) = Pair();
            var server = new ServerSide(new HostTlsProvider(_pki.CombinedFile, null, null), s, Deadline);
            IConnection client = new HostTlsProvider(null, null, _pki.OtherCaFile).AuthenticateAsClient(c, "mail.example.org", false, Deadline);
            IConnection secured = server.Join();
            client.Send(Bytes("QUIT\r\n"), 0, 6, Deadline);
            Assert.Equal("QUIT\r\n", ReadExactly(secured, 6));
            client.Close();
            secured.Close();
        }

        [Fact]
        public void ReceiveTimesOutAndTheConnectionStaysUsable()
        {
            var (c, s) = Pair();
            var server = new ServerSide(Server(), s, Deadline);
            IConnection client = new HostTlsProvider(null, null, _pki.CaFile).AuthenticateAsClient(c, "localhost", true, Deadline);
            IConnection secured = server.Join();
            try
            {
                var sw = Stopwatch.StartNew();
                Assert.Equal(ConnectionResult.TimedOut, secured.Receive(new byte[8], 0, 8, 150));
                Assert.InRange(sw.ElapsedMilliseconds, 120, 3000);
                Assert.Equal(ConnectionResult.TimedOut, secured.Receive(new byte[8], 0, 8, 50));
                client.Send(Bytes("DATA\r\n"), 0, 6, Deadline);
                Assert.Equal("DATA\r\n", ReadExactly(secured, 6));
            }
            finally
            {
                client.Close();
                secured.Close();
            }
        }

        [Fact]
        public void PeerCloseReturnsZero()
        {
            var (c, s) = Pair();
            var server = new ServerSide(Server(), s, Deadline);
            IConnection client = new HostTlsProvider(null, null, _pki.CaFile).AuthenticateAsClient(c, "localhost", true, Deadline);
            IConnection secured = server.Join();
            client.Send(Bytes("bye"), 0, 3, Deadline);
            client.Close();
            Assert.Equal("bye", ReadExactly(secured, 3));
            int n;
            try
            {
                n = secured.Receive(new byte[8], 0, 8, Deadline);
            }
            catch (ConnectionException)
            {
                n = -2; // a reset is acceptable too, a hang or data is not
            }
            Assert.True(n == ConnectionResult.Closed || n == -2, "got " + n);
            secured.Close();
        }

        [Fact]
        public void CloseFromAnotherThreadUnblocksReceive()
        {
            var (c, s) = Pair();
            var server = new ServerSide(Server(), s, Deadline);
            IConnection client = new HostTlsProvider(null, null, _pki.CaFile).AuthenticateAsClient(c, "localhost", true, Deadline);
            IConnection secured = server.Join();
            int result = 99;
            var reader = new Thread(() =>
            {
                try
                {
                    result = secured.Receive(new byte[8], 0, 8, 0); // no deadline
                }
                catch (ConnectionException)
                {
                    result = -2;
                }
            });
            reader.Start();
            Thread.Sleep(100);
            secured.Close();
            Assert.True(reader.Join(3000), "Receive did not return after Close");
            Assert.True(result == ConnectionResult.Closed || result == -2, "got " + result);
            client.Close();
        }

        [Fact]
        public void ServerHandshakeGivesUpAtItsDeadline()
        {
            var (c, s) = Pair();
            try
            {
                var sw = Stopwatch.StartNew();
                // The client never sends a ClientHello.
                var e = Assert.Throws<ConnectionException>(() => Server().AuthenticateAsServer(s, 200));
                Assert.Equal(ConnectionException.TimedOut, e.ErrorCode);
                Assert.InRange(sw.ElapsedMilliseconds, 150, 3000);
                Assert.Equal(ConnectionResult.Closed, c.Receive(new byte[8], 0, 8, Deadline));
            }
            finally
            {
                c.Close();
            }
        }

        [Fact]
        public void ClientHandshakeAgainstAPlaintextPeerFails()
        {
            var (c, s) = Pair();
            var peer = new Thread(() =>
            {
                var buf = new byte[512];
                s.Receive(buf, 0, buf.Length, Deadline); // the ClientHello
                s.Send(Bytes("220 not tls\r\n"), 0, 13, Deadline);
                s.Close();
            });
            peer.Start();
            var e = Assert.Throws<ConnectionException>(() => new HostTlsProvider(null, null, _pki.CaFile).AuthenticateAsClient(c, "localhost", true, Deadline));
            Assert.StartsWith("TLS handshake failed", e.Message);
            Assert.True(peer.Join(Deadline));
        }

        [Fact]
        public void ProviderWithoutCertificateCannotServe()
        {
            Assert.False(new HostTlsProvider(null, null, null).CanServe);
            Assert.True(Server().CanServe);
            Assert.Throws<InvalidOperationException>(() => new HostTlsProvider(null, null, null).AuthenticateAsServer(new FakeConnection(), 100));
        }

        [Fact]
        public void BadFilesAreNamedInTheError()
        {
            var missing = Assert.Throws<ArgumentException>(() => new HostTlsProvider("/nonexistent/cert.pem", null, null));
            Assert.Contains("/nonexistent/cert.pem", missing.Message);
            var noKey = Assert.Throws<ArgumentException>(() => new HostTlsProvider(_pki.ServerCertFile, null, null));
            Assert.Contains(_pki.ServerCertFile, noKey.Message);
            var badCa = Assert.Throws<ArgumentException>(() => new HostTlsProvider(null, null, _pki.ServerKeyFile));
            Assert.Contains(_pki.ServerKeyFile, badCa.Message);
        }

        [Fact]
        public void OnlyHostConnectionsCanBeUpgraded()
        {
            Assert.Throws<ArgumentException>(() => new HostTlsProvider(null, null, null).AuthenticateAsClient(new FakeConnection(), "localhost", false, 100));
        }

        private sealed class FakeConnection : IConnection
        {
            public string RemoteAddress => "";
            public int RemotePort => 0;
            public string LocalAddress => "";
            public bool IsSecure => false;
            public int Receive(byte[] buffer, int offset, int count, int timeoutMs) => 0;
            public void Send(byte[] buffer, int offset, int count, int timeoutMs) { }
            public void Close() { }
        }
    }
}
