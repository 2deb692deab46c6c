// Reading what a checked answer says (the message already passed DnsPacket's bounds
// checks, so only meaning is checked here): CNAME chains (RFC 1034 §3.6.2, followed a
// bounded number of hops inside the answer, a loop runs into the bound), MX records
// (RFC 1035 §3.3.9: the exchange name must end exactly at the end of RDATA; a record
// that breaks it is skipped) and A/AAAA records (RDATA exactly 4 / 16 octets).
// Only records whose owner is the name asked (or the end of its CNAME chain) count;
// records for other names in the answer section are ignored (RFC 5452 §6).

namespace NanoMailGateway.Core.Dns
{
    /// <summary>Interpretation of checked answers. Allocates only the strings it keeps.</summary>
    public static class DnsAnswer
    {
        /// <summary>Most MX records gathered from one answer before sorting; more are weighed by preference and the worst dropped.</summary>
        public const int MaxMxRecords = 16;

        /// <summary>
        /// Follows CNAME records in the answer section from <paramref name="name"/>; returns the
        /// end of the chain (the name itself when there is none), or null when the chain is
        /// longer than <paramref name="maxHops"/> (which includes loops) or malformed.
        /// </summary>
        public static string? FollowCname(byte[] p, int len, string name, int maxRecords, int maxHops)
        {
            string current = name;
            for (int hop = 0; hop <= maxHops; hop++)
            {
                string? next = null;
                int pos = DnsPacket.FirstRecord(p, len);
                int count = Bound(DnsWire.AnCount(p), maxRecords);
                for (int i = 0; i < count && pos >= 0; i++)
                {
                    int f = DnsPacket.FixedPart(p, len, pos);
                    int rd = DnsPacket.RdData(f);
                    int end = rd + DnsPacket.RdLength(p, f);
                    if (DnsPacket.Type(p, f) == DnsWire.TypeCname && DnsPacket.Class(p, f) == DnsWire.ClassIn
                        && DnsName.EqualsString(p, len, pos, current))
                    {
                        next = DnsName.Read(p, len, rd, end);
                        if (next == null || next.Length == 0) return null;
                        break;
                    }
                    pos = end;
                }
                if (next == null) return current;
                if (hop == maxHops) return null; // RFC 1034 §3.6.2 chains are short; a loop ends here
                current = next;
            }
            return null;
        }

        /// <summary>
        /// Gathers the MX records of <paramref name="owner"/> from the answer section into the
        /// arrays (at most <see cref="MaxMxRecords"/>, keeping the lowest preferences) and
        /// returns how many. <paramref name="rootSeen"/> tells whether an MX pointing to the
        /// root (null MX, RFC 7505) was present; such records are not gathered.
        /// <paramref name="malformed"/> counts MX records skipped for a bad exchange name.
        /// </summary>
        public static int CollectMx(byte[] p, int len, string owner, int maxRecords, int[] prefs, string[] names, long[] ttls, out bool rootSeen, out int malformed)
        {
            rootSeen = false;
            malformed = 0;
            int n = 0;
            int pos = DnsPacket.FirstRecord(p, len);
            int count = Bound(DnsWire.AnCount(p), maxRecords);
            for (int i = 0; i < count && pos >= 0; i++)
            {
                int f = DnsPacket.FixedPart(p, len, pos);
                int rd = DnsPacket.RdData(f);
                int rdlen = DnsPacket.RdLength(p, f);
                int end = rd + rdlen;
                if (DnsPacket.Type(p, f) == DnsWire.TypeMx && DnsPacket.Class(p, f) == DnsWire.ClassIn
                    && DnsName.EqualsString(p, len, pos, owner))
                {
                    int pref = rdlen >= 2 ? DnsWire.ReadUInt16(p, rd) : 0;
                    // RFC 1035 §3.3.9: PREFERENCE then EXCHANGE, which must fill RDATA exactly.
                    string? exchange = rdlen >= 3 ? DnsName.Read(p, len, rd + 2, end) : null;
                    if (exchange == null) malformed++;
                    if (exchange != null)
                    {
                        if (exchange.Length == 0)
                        {
                            rootSeen = true;
                        }
                        else
                        {
                            int slot = n;
                            if (n == prefs.Length)
                            {
                                slot = 0;
                                for (int k = 1; k < n; k++) if (prefs[k] > prefs[slot]) slot = k;
                                if (prefs[slot] <= pref) slot = -1; // not better than the worst kept
                            }
                            else
                            {
                                n++;
                            }
                            if (slot >= 0)
                            {
                                prefs[slot] = pref;
                                names[slot] = exchange;
                                ttls[slot] = DnsPacket.Ttl(p, f);
                            }
                        }
                    }
                }
                pos = end;
            }
            return n;
        }

        /// <summary>
        /// Adds the addresses of <paramref name="owner"/> (type A with 4 octets, or AAAA with
        /// 16) found in the sections selected (answer: <paramref name="fromSection"/> 0,
        /// additional: 2) to <paramref name="into"/> from index <paramref name="have"/>, up to
        /// its length; returns the new count and lowers <paramref name="ttl"/> to the smallest TTL used.
        /// </summary>
        public static int CollectAddresses(byte[] p, int len, string owner, int qtype, int fromSection, int maxRecords, string[] into, int have, ref long ttl)
        {
            int an = DnsWire.AnCount(p);
            int ns = DnsWire.NsCount(p);
            int total = Bound(an + ns + DnsWire.ArCount(p), maxRecords);
            int first = fromSection == 0 ? 0 : an + ns;
            int last = fromSection == 0 ? Bound(an, total) : total;
            int rdWant = qtype == DnsWire.TypeA ? 4 : 16;
            int pos = DnsPacket.FirstRecord(p, len);
            for (int i = 0; i < last && pos >= 0; i++)
            {
                int f = DnsPacket.FixedPart(p, len, pos);
                int rd = DnsPacket.RdData(f);
                int rdlen = DnsPacket.RdLength(p, f);
                if (i >= first && have < into.Length && DnsPacket.Type(p, f) == qtype && DnsPacket.Class(p, f) == DnsWire.ClassIn
                    && rdlen == rdWant && DnsName.EqualsString(p, len, pos, owner))
                {
                    string a = qtype == DnsWire.TypeA ? DnsPacket.FormatIPv4(p, rd) : DnsPacket.FormatIPv6(p, rd);
                    if (!Contains(into, have, a))
                    {
                        into[have++] = a;
                        long t = DnsPacket.Ttl(p, f);
                        if (t < ttl) ttl = t;
                    }
                }
                pos = rd + rdlen;
            }
            return have;
        }

        private static bool Contains(string[] a, int n, string s)
        {
            for (int i = 0; i < n; i++) if (a[i] == s) return true;
            return false;
        }

        private static int Bound(int count, int max) { return count > max ? max : count; }
    }
}
