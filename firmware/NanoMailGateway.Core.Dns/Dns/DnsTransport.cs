// Sends one question to the configured servers and brings back an answer that can be
// believed (RFC 5452 §9.1): from the server and port asked, with our id, QR set and
// exactly our question, and every record in bounds. Anything else is dropped and the
// wait goes on until the try's deadline. Each try uses a fresh id and a fresh random
// source port (RFC 5452 §9.2). A truncated answer (TC) is asked again over TCP to the
// same server with a two-octet length prefix (RFC 1035 §4.2.2, RFC 7766 §5). A TCP answer
// may have up to 65535 octets; the first packet buffer's worth is kept, cut at the last
// whole record (DnsPacket.KeepWholeRecords), and the rest is never read: closing the
// connection drops it. The MX records come first (answer section), so what is cut is
// mostly the additional addresses, which the resolver then asks for itself. SERVFAIL, REFUSED, FORMERR, NOTIMP, timeouts and network errors
// move on to the next server; Attempts rounds over all servers, all within a deadline.
// Left out on purpose: parallel queries to several servers, TCP connection reuse.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Outcome of one <see cref="DnsTransport.Exchange"/>.</summary>
    internal enum DnsExchange
    {
        /// <summary>NOERROR: the buffer holds a checked answer.</summary>
        Answer = 0,

        /// <summary>NXDOMAIN: the name does not exist.</summary>
        NameError = 1,

        /// <summary>No server gave a usable answer before the deadline.</summary>
        Failed = 2,

        /// <summary>
        /// NOERROR over TCP, but longer than the packet buffer: the buffer holds its first whole
        /// records only, and the reason says so. What is missing may be what mattered.
        /// </summary>
        PartialAnswer = 3,
    }

    /// <summary>Query/answer exchange with the servers. Thread-safe (no state besides settings).</summary>
    internal sealed class DnsTransport
    {
        private const int Truncated = -2;
        private const int NoAnswer = -1;

        private readonly INetwork _network;
        private readonly IClock _clock;
        private readonly IRandom _random;
        private readonly DnsServer[] _servers;
        private readonly DnsOptions _options;

        public DnsTransport(INetwork network, IClock clock, IRandom random, DnsServer[] servers, DnsOptions options)
        {
            _network = network;
            _clock = clock;
            _random = random;
            _servers = servers;
            _options = options;
        }

        /// <summary>
        /// Asks for <paramref name="name"/>/<paramref name="qtype"/> until a server answers
        /// NOERROR or NXDOMAIN or <paramref name="deadline"/> (monotonic ms) passes. On Answer
        /// and NameError, <paramref name="buf"/>[0..<paramref name="length"/>) holds the checked
        /// message. On Failed, <paramref name="reason"/> says what the last server did.
        /// </summary>
        public DnsExchange Exchange(byte[] buf, string name, int qtype, long deadline, out int length, out string reason)
        {
            length = 0;
            reason = "no DNS server configured";
            for (int round = 0; round < _options.Attempts; round++)
            {
                for (int s = 0; s < _servers.Length; s++)
                {
                    DnsServer server = _servers[s];
                    long now = _clock.MonotonicMilliseconds;
                    if (now >= deadline)
                    {
                        reason = "DNS lookup deadline passed (last: " + reason + ")";
                        return DnsExchange.Failed;
                    }
                    long tryDeadline = Earlier(now + _options.TryTimeoutMs, deadline);
                    int rcode = TryUdp(server, buf, name, qtype, tryDeadline, out length, out reason);
                    bool cut = false;
                    if (rcode == Truncated)
                    {
                        now = _clock.MonotonicMilliseconds;
                        rcode = TryTcp(server, buf, name, qtype, Earlier(now + _options.TcpTimeoutMs, deadline), out length, out reason, out cut);
                    }
                    if (rcode == DnsWire.RcodeNoError) return cut ? DnsExchange.PartialAnswer : DnsExchange.Answer;
                    if (rcode == DnsWire.RcodeNxDomain) return DnsExchange.NameError;
                    if (rcode > 0) reason = RcodeName(rcode) + " from " + server.ToString();
                }
            }
            return DnsExchange.Failed;
        }

        /// <summary>One UDP try: an rcode, Truncated, or NoAnswer (timeout or network error, reason set).</summary>
        private int TryUdp(DnsServer server, byte[] buf, string name, int qtype, long tryDeadline, out int length, out string reason)
        {
            length = 0;
            reason = ""; // failure texts are built only on failure: a lookup that works allocates none
            int id = _random.Next(65536);
            int qlen = DnsWire.WriteQuery(buf, 0, id, name, qtype);
            if (qlen < 0)
            {
                reason = "bad query name";
                return NoAnswer;
            }
            IUdpSocket? socket = OpenSocket();
            if (socket == null)
            {
                reason = "no UDP socket";
                return NoAnswer;
            }
            try
            {
                socket.SendTo(buf, 0, qlen, server.Address, server.Port);
                string from = "";
                int fromPort = 0;
                while (true)
                {
                    long left = tryDeadline - _clock.MonotonicMilliseconds;
                    int n = left <= 0 ? ConnectionResult.TimedOut : socket.ReceiveFrom(buf, 0, buf.Length, (int)left, out from, out fromPort);
                    if (n == ConnectionResult.TimedOut)
                    {
                        reason = "timeout from " + server.ToString();
                        return NoAnswer;
                    }
                    // RFC 5452 §9.1: only the server and port we asked may answer.
                    if (fromPort != server.Port || from != server.Address) continue;
                    if (!DnsPacket.HeaderMatches(buf, n, id)) continue;
                    int pos = DnsPacket.MatchQuestion(buf, n, name, qtype);
                    if (pos < 0) continue;
                    // RFC 1035 §4.2.1: a truncated answer is asked again over TCP.
                    if (DnsWire.IsTruncated(buf)) return Truncated;
                    if (!DnsPacket.ValidateRecords(buf, n, pos, _options.MaxRecords)) continue;
                    length = n;
                    return DnsWire.Rcode(buf);
                }
            }
            catch (ConnectionException e)
            {
                reason = "network error with " + server.ToString() + ": " + e.Message;
                return NoAnswer;
            }
            finally
            {
                socket.Close();
            }
        }

        /// <summary>One TCP exchange with the same server (RFC 1035 §4.2.2); an rcode or NoAnswer. <paramref name="cut"/>: only the first whole records were kept.</summary>
        private int TryTcp(DnsServer server, byte[] buf, string name, int qtype, long deadline, out int length, out string reason, out bool cut)
        {
            length = 0;
            cut = false;
            reason = "TCP answer from " + server.ToString() + " missing or cut short before the deadline";
            int id = _random.Next(65536);
            int qlen = DnsWire.WriteQuery(buf, 2, id, name, qtype);
            if (qlen < 0)
            {
                reason = "bad query name";
                return NoAnswer;
            }
            DnsWire.WriteUInt16(buf, 0, qlen);
            long left = deadline - _clock.MonotonicMilliseconds;
            if (left <= 0) return NoAnswer;
            IConnection conn;
            try
            {
                conn = _network.Connect(server.Address, server.Port, (int)left);
            }
            catch (ConnectionException e)
            {
                reason = "TCP connect to " + server.ToString() + " failed: " + e.Message;
                return NoAnswer;
            }
            try
            {
                conn.Send(buf, 0, qlen + 2, (int)left);
                if (!ReadExactly(conn, buf, 0, 2, deadline)) return NoAnswer;
                int n = DnsWire.ReadUInt16(buf, 0);
                int whole = n;
                cut = n > buf.Length;
                if (cut) n = buf.Length;   // keep what fits; the rest stays unread
                if (!ReadExactly(conn, buf, 0, n, deadline)) return NoAnswer;
                if (cut) n = DnsPacket.KeepWholeRecords(buf, n);
                int pos = -1;
                if (n > 0 && DnsPacket.HeaderMatches(buf, n, id)) pos = DnsPacket.MatchQuestion(buf, n, name, qtype);
                if (pos < 0 || !DnsPacket.ValidateRecords(buf, n, pos, _options.MaxRecords))
                {
                    reason = "unusable TCP answer from " + server.ToString();
                    return NoAnswer;
                }
                length = n;
                if (cut) reason = "TCP answer from " + server.ToString() + " has " + whole.ToString() + " octets, only the first " + buf.Length.ToString() + " kept";
                return DnsWire.Rcode(buf);
            }
            catch (ConnectionException e)
            {
                reason = "TCP error with " + server.ToString() + ": " + e.Message;
                return NoAnswer;
            }
            finally
            {
                conn.Close();
            }
        }

        private bool ReadExactly(IConnection conn, byte[] buf, int offset, int count, long deadline)
        {
            while (count > 0)
            {
                long left = deadline - _clock.MonotonicMilliseconds;
                if (left <= 0) return false;
                int n = conn.Receive(buf, offset, count, (int)left);
                if (n <= 0) return false; // closed early or timed out
                offset += n;
                count -= n;
            }
            return true;
        }

        /// <summary>A UDP socket on an unpredictable port in 1024..65535 (RFC 5452 §9.2), or the system's choice after BindAttempts failures.</summary>
        private IUdpSocket? OpenSocket()
        {
            for (int i = 0; i < _options.BindAttempts; i++)
            {
                int port = 1024 + _random.Next(65536 - 1024);
                try
                {
                    return _network.OpenUdp(port);
                }
                catch (ConnectionException)
                {
                    // In use: draw again.
                }
            }
            try
            {
                return _network.OpenUdp(0);
            }
            catch (ConnectionException)
            {
                return null;
            }
        }

        private static long Earlier(long a, long b) { return a < b ? a : b; }

        /// <summary>RCODE names for reasons (RFC 1035 §4.1.1).</summary>
        internal static string RcodeName(int rcode)
        {
            switch (rcode)
            {
                case DnsWire.RcodeFormErr: return "FORMERR";
                case DnsWire.RcodeServFail: return "SERVFAIL";
                case DnsWire.RcodeNotImp: return "NOTIMP";
                case DnsWire.RcodeRefused: return "REFUSED";
                default: return "RCODE " + rcode.ToString();
            }
        }
    }
}
