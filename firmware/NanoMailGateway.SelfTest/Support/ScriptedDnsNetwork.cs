// A DNS server in memory behind the INetwork seam, for MxResolver checks without
// sockets. It reads each query the resolver sends (id, name, type), answers from a
// fixed table of hostile and ordinary cases, and serves TCP (two-octet length prefix,
// RFC 1035 §4.2.2) for the truncated case:
//   nullmx.example  MX "0 ." (RFC 7505)
//   tc.example      UDP: TC set, no records; TCP: MX 10 mx.tc.example + A 192.0.2.7
//   mx.tc.example   A 192.0.2.7
//   loop.example    an answer whose owner name is a pointer to itself
//   pref.example    MX 20 b.pref.example, MX 10 a.pref.example, with their A records
//   implicit.example  no MX (NOERROR, empty answer); A 192.0.2.9 (implicit MX, RFC 5321 §5.1)
//   example.net     MX 10 mx.example.net, A 192.0.2.25: the MX of the delivery scenario,
//                   whose SMTP side is the ScriptedPeer set in SmtpPeer (TCP port 25)
//   anything else   NXDOMAIN
// Left out on purpose: listening (the resolver never listens), several servers.
// Not thread-safe: for the synchronous DeliveryAgent.RunOnce and MxResolver calls.

using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Scripted DNS over in-memory UDP and TCP. One resolver thread.</summary>
    public sealed class ScriptedDnsNetwork : INetwork
    {
        /// <summary>The only server address (TEST-NET-1); port 53.</summary>
        public const string ServerAddress = "192.0.2.53";

        private const int Port = 53;

        /// <summary>Address of mx.example.net (TEST-NET-1).</summary>
        public const string MxAddress = "192.0.2.25";

        /// <summary>TCP connections the resolver opened.</summary>
        public int TcpConnects { get; private set; }

        /// <summary>UDP answers sent.</summary>
        public int UdpAnswers { get; private set; }

        /// <summary>The SMTP server behind 192.0.2.25:25, used once by the next connect; null refuses.</summary>
        public ScriptedPeer? SmtpPeer { get; set; }

        /// <summary>TCP connections to port 25.</summary>
        public int SmtpConnects { get; private set; }

        /// <inheritdoc/>
        public ITcpListener Listen(string address, int port, int backlog)
        {
            throw new ConnectionException("the scripted DNS network does not listen", ConnectionException.Refused);
        }

        /// <inheritdoc/>
        public IConnection Connect(string address, int port, int timeoutMs)
        {
            if (address == MxAddress && port == 25)
            {
                SmtpConnects++;
                ScriptedPeer? peer = SmtpPeer;
                SmtpPeer = null;
                if (peer == null) throw new ConnectionException("connection refused (scripted)", ConnectionException.Refused);
                return peer.Client;
            }
            if (address != ServerAddress || port != Port) throw new ConnectionException("refused", ConnectionException.Refused);
            TcpConnects++;
            return new Tcp(this);
        }

        /// <inheritdoc/>
        public IUdpSocket OpenUdp(int localPort)
        {
            return new Udp(this, localPort == 0 ? 5353 : localPort);
        }

        /// <summary>
        /// Writes the answer to the query at <paramref name="query"/>[<paramref name="offset"/>..]
        /// into <paramref name="into"/> from offset 0; returns its length. Straight into the
        /// socket's own buffer: a scratch packet would be one more 512-octet allocation in the
        /// middle of a delivery, which a fragmented 54 KB heap cannot always place.
        /// </summary>
        private int Answer(byte[] query, int offset, int count, bool overTcp, byte[] into)
        {
            int id = (query[offset] << 8) | query[offset + 1];
            string name = ReadQueryName(query, offset + 12, offset + count, out int qtype);
            DnsPacketBuilder b = new DnsPacketBuilder(into);
            int flags = DnsPacketBuilder.FlagResponse | DnsPacketBuilder.FlagRecursion;
            if (name == "nullmx.example" && qtype == DnsPacketBuilder.TypeMx)
            {
                b.Header(id, flags, 1, 1, 0, 0);
                int q = b.Question(name, qtype);
                b.MxRecord(q, 0, "", -1);
            }
            else if (name == "tc.example" && qtype == DnsPacketBuilder.TypeMx && !overTcp)
            {
                b.Header(id, flags | DnsPacketBuilder.FlagTruncated, 1, 0, 0, 0);
                b.Question(name, qtype);
            }
            else if (name == "tc.example" && qtype == DnsPacketBuilder.TypeMx)
            {
                b.Header(id, flags, 1, 1, 0, 1);
                int q = b.Question(name, qtype);
                int mx = b.Length + 2 + 10 + 2;
                b.MxRecord(q, 10, "mx", q);
                b.ARecord(mx, 192, 0, 2, 7);
            }
            else if (name == "mx.tc.example" && qtype == DnsPacketBuilder.TypeA)
            {
                b.Header(id, flags, 1, 1, 0, 0);
                int q = b.Question(name, qtype);
                b.ARecord(q, 192, 0, 2, 7);
            }
            else if (name == "pref.example" && qtype == DnsPacketBuilder.TypeMx)
            {
                b.Header(id, flags, 1, 2, 0, 2);
                int q = b.Question(name, qtype);
                int mxB = b.Length + 2 + 10 + 2;
                b.MxRecord(q, 20, "b", q);
                int mxA = b.Length + 2 + 10 + 2;
                b.MxRecord(q, 10, "a", q);
                b.ARecord(mxB, 192, 0, 2, 22);
                b.ARecord(mxA, 192, 0, 2, 11);
            }
            else if (name == "example.net" && qtype == DnsPacketBuilder.TypeMx)
            {
                b.Header(id, flags, 1, 1, 0, 1);
                int q = b.Question(name, qtype);
                int mx = b.Length + 2 + 10 + 2;
                b.MxRecord(q, 10, "mx", q);
                b.ARecord(mx, 192, 0, 2, 25);
            }
            else if (name == "mx.example.net" && qtype == DnsPacketBuilder.TypeA)
            {
                b.Header(id, flags, 1, 1, 0, 0);
                int q = b.Question(name, qtype);
                b.ARecord(q, 192, 0, 2, 25);
            }
            else if (name == "implicit.example" && qtype == DnsPacketBuilder.TypeMx)
            {
                b.Header(id, flags, 1, 0, 0, 0);
                b.Question(name, qtype);
            }
            else if (name == "implicit.example" && qtype == DnsPacketBuilder.TypeA)
            {
                b.Header(id, flags, 1, 1, 0, 0);
                int q = b.Question(name, qtype);
                b.ARecord(q, 192, 0, 2, 9);
            }
            else if (name == "loop.example")
            {
                b.Header(id, flags, 1, 1, 0, 0);
                b.Question(name, qtype);
                int self = b.Length;
                b.Name("", self);
                int rd = b.BeginRecord(qtype, 300);
                b.U16(10);
                b.Name("", -1);
                b.EndRecord(rd);
            }
            else
            {
                b.Header(id, flags | 3, 1, 0, 0, 0); // RCODE 3, NXDOMAIN
                b.Question(name, qtype);
            }
            return b.Length;
        }

        private static string ReadQueryName(byte[] p, int pos, int end, out int qtype)
        {
            string name = "";
            while (pos < end && p[pos] != 0)
            {
                int l = p[pos];
                if (name.Length > 0) name += ".";
                name += Ascii.GetString(p, pos + 1, l);
                pos += 1 + l;
            }
            qtype = pos + 2 < end ? (p[pos + 1] << 8) | p[pos + 2] : 0;
            return name;
        }

        private sealed class Udp : IUdpSocket
        {
            private readonly ScriptedDnsNetwork _net;
            private byte[]? _query;   // the last query sent, answered when it is received: no answer buffer of its own

            public Udp(ScriptedDnsNetwork net, int port)
            {
                _net = net;
                LocalPort = port;
            }

            public int LocalPort { get; }

            public void SendTo(byte[] buffer, int offset, int count, string address, int port)
            {
                if (address != ServerAddress || port != Port) return; // nobody there: the resolver times out
                byte[] q = new byte[count];
                System.Array.Copy(buffer, offset, q, 0, count);
                _query = q;
            }

            public int ReceiveFrom(byte[] buffer, int offset, int count, int timeoutMs, out string fromAddress, out int fromPort)
            {
                fromAddress = ServerAddress;
                fromPort = Port;
                byte[]? q = _query;
                if (q == null) return ConnectionResult.TimedOut;
                // The resolver receives into a whole packet buffer (at least 512 octets, RFC 1035 §4.2.1).
                if (offset != 0 || count < 512) throw new System.ArgumentException("scripted DNS answers need a whole packet buffer");
                _query = null;
                _net.UdpAnswers++;
                return _net.Answer(q, 0, q.Length, false, buffer);
            }

            public void Close()
            {
            }
        }

        private sealed class Tcp : IConnection
        {
            private readonly ScriptedDnsNetwork _net;
            private readonly byte[] _query = new byte[300];
            private readonly byte[] _reply = new byte[512];   // the answer; its two-octet length prefix is sent from _replyLength
            private int _queryLength;
            private int _replyLength;
            private int _sent = -1;                            // octets of prefix and answer handed out; -1: no answer yet

            public Tcp(ScriptedDnsNetwork net)
            {
                _net = net;
            }

            public string RemoteAddress => ServerAddress;

            public int RemotePort => Port;

            public string LocalAddress => "192.0.2.10";

            public bool IsSecure => false;

            public void Send(byte[] buffer, int offset, int count, int timeoutMs)
            {
                if (_queryLength + count > _query.Length) throw new ConnectionException("query too long", ConnectionException.Reset);
                System.Array.Copy(buffer, offset, _query, _queryLength, count);
                _queryLength += count;
                if (_queryLength < 2) return;
                int want = (_query[0] << 8) | _query[1];
                if (_queryLength < want + 2) return;
                _replyLength = _net.Answer(_query, 2, want, true, _reply);
                _sent = 0;
            }

            public int Receive(byte[] buffer, int offset, int count, int timeoutMs)
            {
                if (_sent < 0 || _sent >= _replyLength + 2 || count <= 0) return 0;
                if (_sent < 2)
                {
                    // The length prefix alone, one octet per read: the resolver must reassemble TCP reads.
                    buffer[offset] = (byte)(_sent == 0 ? _replyLength >> 8 : _replyLength);
                    _sent++;
                    return 1;
                }
                int n = _replyLength + 2 - _sent;
                if (n > count) n = count;
                System.Array.Copy(_reply, _sent - 2, buffer, offset, n);
                _sent += n;
                return n;
            }

            public void Close()
            {
            }
        }
    }
}
