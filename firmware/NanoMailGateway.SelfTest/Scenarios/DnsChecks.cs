// Scenario: DNS answers as the resolver meets them (Core/Dns), crafted octet by octet:
// - the parsers directly (DnsPacket, DnsName, DnsAnswer): MX with compression
//   (RFC 1035 §4.1.4), pointer loops, self and forward pointers, pointers into the
//   header, records cut short, the TC flag, null MX (RFC 7505), a question that is
//   not ours (RFC 5452 §9.1);
// - the whole resolver (MxResolver) over a scripted network (ScriptedDnsNetwork):
//   null MX is permanent 5.1.10, TC is asked again over TCP, NXDOMAIN is 5.1.2, a
//   looping answer is dropped and ends as a temporary failure, exchangers come in
//   preference order (RFC 5321 §5.1), and a domain without MX is its own implicit MX.

using NanoMailGateway.Core.Dns;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>DNS parser and resolver checks.</summary>
    public static class DnsChecks
    {
        private const int Id = 0x1234;
        private const int Answer = DnsPacketBuilder.FlagResponse | DnsPacketBuilder.FlagRecursion;

        // Each parser check builds its packet in a buffer of its own, made when it runs: a
        // static buffer would be heap from boot on nanoCLR (ARCHITECTURE.md, Memory) and
        // shrink what every other check has. 512 octets, as the resolver's packets.
        private const int PacketSize = 512;

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("dns.mx-compression", new Check(MxWithCompression));
            r.Run("dns.pointer-loop", new Check(PointerLoop));
            r.Run("dns.pointer-self-forward-header", new Check(PointerSelfForwardHeader));
            r.Run("dns.record-cut-short", new Check(RecordCutShort));
            r.Run("dns.truncation-flag", new Check(TruncationFlag));
            r.Run("dns.null-mx", new Check(NullMx));
            r.Run("dns.question-mismatch", new Check(QuestionMismatch));
            r.Run("dns.resolver.null-mx", new Check(ResolverNullMx));
            r.Run("dns.resolver.tc-retries-over-tcp", new Check(ResolverTruncatedUsesTcp));
            r.Run("dns.resolver.nxdomain", new Check(ResolverNxDomain));
            r.Run("dns.resolver.pointer-loop-dropped", new Check(ResolverPointerLoop));
            r.Run("dns.resolver.preference-order", new Check(ResolverPreferenceOrder));
            r.Run("dns.resolver.implicit-mx", new Check(ResolverImplicitMx));
        }

        private static void MxWithCompression()
        {
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer, 1, 2, 0, 1);
            int q = b.Question("example.org", DnsPacketBuilder.TypeMx);
            b.MxRecord(q, 10, "mx1", q);
            int mx2 = b.Length + 2 + 10 + 2; // owner pointer, fixed part, preference
            b.MxRecord(q, 5, "mx2", q);
            b.ARecord(mx2, 192, 0, 2, 25);
            byte[] p = b.Buffer;
            int len = b.Length;

            Expect.True(DnsPacket.HeaderMatches(p, len, Id), "header matches our id");
            Expect.True(!DnsPacket.HeaderMatches(p, len, Id + 1), "another id must not match");
            Expect.True(DnsPacket.MatchQuestion(p, len, "Example.ORG", DnsWire.TypeMx) > 0, "question matches ignoring case");
            int pos = DnsPacket.MatchQuestion(p, len, "example.org", DnsWire.TypeMx);
            Expect.True(DnsPacket.ValidateRecords(p, len, pos, 64), "records are well formed");

            int[] prefs = new int[4];
            string[] names = StringArray.New(4);
            long[] ttls = new long[4];
            int n = DnsAnswer.CollectMx(p, len, "example.org", 64, prefs, names, ttls, out bool root, out int malformed);
            Expect.Equal(2, n, "MX records");
            Expect.True(!root, "no null MX");
            Expect.Equal(0, malformed, "malformed");
            Expect.Equal("mx1.example.org", names[0], "first exchange through a pointer");
            Expect.Equal(10, prefs[0], "first preference");
            Expect.Equal("mx2.example.org", names[1], "second exchange");
            Expect.Equal(5, prefs[1], "second preference");

            string[] into = StringArray.New(2);
            long ttl = 100000;
            int a = DnsAnswer.CollectAddresses(p, len, "mx2.example.org", DnsWire.TypeA, 2, 64, into, 0, ref ttl);
            Expect.Equal(1, a, "addresses from the additional section (owner is a pointer into RDATA)");
            Expect.Equal("192.0.2.25", into[0], "address");
            Expect.Equal(300, ttl, "ttl");
        }

        private static void PointerLoop()
        {
            // RDATA of the answer: "a" then a pointer to the name at B; the name at B (the
            // additional record's owner) points back to "a": a two-pointer loop.
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer, 1, 1, 0, 1);
            int q = b.Question("example.org", DnsPacketBuilder.TypeMx);
            b.Name("", q);
            int rd = b.BeginRecord(DnsPacketBuilder.TypeMx, 300);
            b.U16(10);
            int labelA = b.Length;
            int target = labelA + 4; // "a" (2 octets) and the pointer (2) end the RDATA; B follows
            b.Name("a", target);
            b.EndRecord(rd);
            int nameB = b.Length;
            Expect.Equal(target, nameB, "layout");
            b.Name("", labelA);
            b.BeginRecord(DnsPacketBuilder.TypeA, 300);
            byte[] p = b.Buffer;

            Expect.Equal(-1, DnsName.Skip(p, b.Length, nameB), "loop from B");
            Expect.Equal(-1, DnsName.Skip(p, b.Length, labelA), "loop from A (forward pointer)");
            Expect.Null(DnsName.Read(p, b.Length, labelA, -1), "reading a looping name");
            int pos = DnsPacket.MatchQuestion(p, b.Length, "example.org", DnsWire.TypeMx);
            Expect.True(pos > 0, "question still matches");
            Expect.True(!DnsPacket.ValidateRecords(p, b.Length, pos, 64), "a looping message is rejected");
        }

        private static void PointerSelfForwardHeader()
        {
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer, 1, 1, 0, 0);
            int q = b.Question("example.org", DnsPacketBuilder.TypeMx);
            int self = b.Length;
            b.Name("", self);
            Expect.Equal(-1, DnsName.Skip(b.Buffer, b.Length, self), "pointer to itself");

            b.Header(Id, Answer, 1, 1, 0, 0);
            b.Question("example.org", DnsPacketBuilder.TypeMx);
            int fwd = b.Length;
            b.Name("", fwd + 2);
            b.Name("x", -1);
            Expect.Equal(-1, DnsName.Skip(b.Buffer, b.Length, fwd), "forward pointer");

            b.Header(Id, Answer, 1, 1, 0, 0);
            b.Question("example.org", DnsPacketBuilder.TypeMx);
            int hdr = b.Length;
            b.Name("", 4);
            Expect.Equal(-1, DnsName.Skip(b.Buffer, b.Length, hdr), "pointer into the header");

            // A legal backwards pointer still works, and its end is after the pointer.
            b.Header(Id, Answer, 1, 1, 0, 0);
            q = b.Question("example.org", DnsPacketBuilder.TypeMx);
            int ok = b.Length;
            b.Name("www", q);
            Expect.Equal(ok + 4 + 2, DnsName.Skip(b.Buffer, b.Length, ok), "end after a backwards pointer");
            Expect.Equal("www.example.org", DnsName.Read(b.Buffer, b.Length, ok, -1), "name through a pointer");
        }

        private static void RecordCutShort()
        {
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer, 1, 1, 0, 0);
            int q = b.Question("example.org", DnsPacketBuilder.TypeMx);
            int pos = b.Length;
            b.MxRecord(q, 10, "mx", q);
            int full = b.Length;
            Expect.True(DnsPacket.ValidateRecords(b.Buffer, full, pos, 64), "whole message");
            for (int cut = pos; cut < full; cut++)
            {
                Expect.True(!DnsPacket.ValidateRecords(b.Buffer, cut, pos, 64), "message cut at octet " + cut.ToString() + " of " + full.ToString());
            }
            // RDLENGTH claiming more than the message holds (RFC 1035 §4.1.3).
            b.Buffer[pos + 2 + 8] = 0x01;
            Expect.Equal(-1, DnsPacket.SkipRecord(b.Buffer, full, pos), "RDLENGTH past the end");
        }

        private static void TruncationFlag()
        {
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer | DnsPacketBuilder.FlagTruncated, 1, 0, 0, 0);
            b.Question("example.org", DnsPacketBuilder.TypeMx);
            Expect.True(DnsWire.IsTruncated(b.Buffer), "TC set");
            Expect.True(DnsPacket.HeaderMatches(b.Buffer, b.Length, Id), "a truncated answer is still ours");
            b.Header(Id, Answer, 1, 0, 0, 0);
            Expect.True(!DnsWire.IsTruncated(b.Buffer), "TC clear");
        }

        private static void NullMx()
        {
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer, 1, 1, 0, 0);
            int q = b.Question("nomail.example", DnsPacketBuilder.TypeMx);
            b.MxRecord(q, 0, "", -1);
            int[] prefs = new int[2];
            string[] names = StringArray.New(2);
            long[] ttls = new long[2];
            int n = DnsAnswer.CollectMx(b.Buffer, b.Length, "nomail.example", 64, prefs, names, ttls, out bool root, out int malformed);
            Expect.Equal(0, n, "exchangers");
            Expect.True(root, "null MX seen (RFC 7505)");
            Expect.Equal(0, malformed, "malformed");
        }

        private static void QuestionMismatch()
        {
            DnsPacketBuilder b = new DnsPacketBuilder(new byte[PacketSize]);
            b.Header(Id, Answer, 1, 0, 0, 0);
            b.Question("example.org", DnsPacketBuilder.TypeA);
            Expect.Equal(-1, DnsPacket.MatchQuestion(b.Buffer, b.Length, "example.org", DnsWire.TypeMx), "other type");
            Expect.Equal(-1, DnsPacket.MatchQuestion(b.Buffer, b.Length, "example.net", DnsWire.TypeA), "other name");
            b.Header(Id, Answer, 2, 0, 0, 0);
            b.Question("example.org", DnsPacketBuilder.TypeA);
            b.Question("example.org", DnsPacketBuilder.TypeA);
            Expect.Equal(-1, DnsPacket.MatchQuestion(b.Buffer, b.Length, "example.org", DnsWire.TypeA), "two questions");
            b.Header(Id, 0x0100, 1, 0, 0, 0);
            Expect.True(!DnsPacket.HeaderMatches(b.Buffer, 12, Id), "a query (QR clear) is not an answer");
        }

        private static MxResolver Resolver(ScriptedDnsNetwork net)
        {
            DnsOptions o = new DnsOptions();
            string[] servers = { ScriptedDnsNetwork.ServerAddress };
            o.Servers = servers;
            o.Attempts = 1;
            o.PacketBuffers = 1;
            o.PacketBufferSize = 512;
            o.CacheEntries = 2;
            return new MxResolver(net, new StepClock(), new CountingRandom(), o, new QuietLog());
        }

        private static void ResolverNullMx()
        {
            ScriptedDnsNetwork net = new ScriptedDnsNetwork();
            MxResult r = Resolver(net).Resolve("nullmx.example");
            Expect.True(r.Status == DnsStatus.NullMx, "status NullMx, got " + ((int)r.Status).ToString());
            Expect.Equal("5.1.10", r.EnhancedCode, "enhanced code");
            Expect.True(r.IsPermanent, "permanent");
        }

        private static void ResolverTruncatedUsesTcp()
        {
            ScriptedDnsNetwork net = new ScriptedDnsNetwork();
            MxResolver resolver = Resolver(net);
            MxResult r = resolver.Resolve("tc.example");
            Expect.True(r.Status == DnsStatus.Ok, "status Ok, got " + ((int)r.Status).ToString() + " " + r.Text);
            Expect.Equal(1, net.TcpConnects, "TCP connections after TC");
            Expect.Equal(1, r.Hosts.Length, "exchangers");
            Expect.Equal("mx.tc.example", r.Hosts[0].Name, "exchanger");
            Expect.Equal("192.0.2.7", r.Hosts[0].Addresses[0], "address");
            Expect.Equal(0, resolver.Pool.InUse, "packet buffer returned");
        }

        private static void ResolverNxDomain()
        {
            ScriptedDnsNetwork net = new ScriptedDnsNetwork();
            MxResult r = Resolver(net).Resolve("nowhere.example");
            Expect.True(r.Status == DnsStatus.NotFound, "status NotFound, got " + ((int)r.Status).ToString());
            Expect.Equal("5.1.2", r.EnhancedCode, "enhanced code");
        }

        private static void ResolverPointerLoop()
        {
            ScriptedDnsNetwork net = new ScriptedDnsNetwork();
            MxResult r = Resolver(net).Resolve("loop.example");
            Expect.True(r.Status == DnsStatus.TempFail, "status TempFail, got " + ((int)r.Status).ToString());
            Expect.Equal("4.4.3", r.EnhancedCode, "enhanced code");
            Expect.True(net.UdpAnswers >= 1, "the looping answer was sent and dropped");
        }

        private static void ResolverPreferenceOrder()
        {
            MxResult r = Resolver(new ScriptedDnsNetwork()).Resolve("pref.example");
            Expect.True(r.Status == DnsStatus.Ok, "status Ok, got " + ((int)r.Status).ToString() + " " + r.Text);
            Expect.Equal(2, r.Hosts.Length, "exchangers");
            Expect.Equal("a.pref.example", r.Hosts[0].Name, "preference 10 first");
            Expect.Equal(10, r.Hosts[0].Preference, "first preference");
            Expect.Equal("192.0.2.11", r.Hosts[0].Addresses[0], "first address (from the additional section)");
            Expect.Equal("b.pref.example", r.Hosts[1].Name, "preference 20 second");
        }

        private static void ResolverImplicitMx()
        {
            MxResult r = Resolver(new ScriptedDnsNetwork()).Resolve("implicit.example");
            Expect.True(r.Status == DnsStatus.Ok, "status Ok, got " + ((int)r.Status).ToString() + " " + r.Text);
            Expect.Equal(1, r.Hosts.Length, "exchangers");
            Expect.True(r.Hosts[0].IsImplicit, "the domain is its own implicit MX (RFC 5321 §5.1)");
            Expect.Equal("192.0.2.9", r.Hosts[0].Addresses[0], "address of the domain itself");
        }
    }
}
