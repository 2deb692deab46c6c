// Test helper: builds DNS messages byte by byte (uncompressed names unless raw bytes are
// given), so that tests can craft exactly the answer they need, good or hostile.

using System;
using System.Collections.Generic;
using System.Net;

namespace NanoMailGateway.Tests.Core.Dns
{
    public sealed class DnsReply
    {
        public const int A = 1, Cname = 5, Soa = 6, Mx = 15, Aaaa = 28;

        private readonly int _id;
        private readonly byte[] _qname;
        private readonly int _qtype;
        private readonly List<byte[]> _an = new(), _ns = new(), _ar = new();

        public int Rcode { get; set; }
        public bool Truncated { get; set; }
        public int? AnCountOverride { get; set; }

        public DnsReply(int id, string qname, int qtype, int rcode = 0)
        {
            _id = id;
            _qname = Name(qname);
            _qtype = qtype;
            Rcode = rcode;
        }

        public static DnsReply For(DnsQuery q, int rcode = 0) => new DnsReply(q.Id, q.Name, q.Type, rcode);

        public static byte[] Name(string dotted)
        {
            var b = new List<byte>();
            if (dotted.Length > 0 && dotted != ".")
            {
                foreach (string label in dotted.TrimEnd('.').Split('.'))
                {
                    b.Add((byte)label.Length);
                    foreach (char c in label) b.Add((byte)c);
                }
            }
            b.Add(0);
            return b.ToArray();
        }

        public static byte[] Record(byte[] owner, int type, uint ttl, byte[] rdata, int? rdlength = null)
        {
            var b = new List<byte>(owner);
            b.Add((byte)(type >> 8)); b.Add((byte)type);
            b.Add(0); b.Add(1);
            b.Add((byte)(ttl >> 24)); b.Add((byte)(ttl >> 16)); b.Add((byte)(ttl >> 8)); b.Add((byte)ttl);
            int len = rdlength ?? rdata.Length;
            b.Add((byte)(len >> 8)); b.Add((byte)len);
            b.AddRange(rdata);
            return b.ToArray();
        }

        public static byte[] MxData(int pref, string exchange)
        {
            var b = new List<byte> { (byte)(pref >> 8), (byte)pref };
            b.AddRange(Name(exchange));
            return b.ToArray();
        }

        public DnsReply Answer(byte[] rawRecord) { _an.Add(rawRecord); return this; }

        public DnsReply Authority(byte[] rawRecord) { _ns.Add(rawRecord); return this; }

        public DnsReply Additional(byte[] rawRecord) { _ar.Add(rawRecord); return this; }

        public DnsReply MxRecord(string owner, int pref, string exchange, uint ttl = 300) => Answer(Record(Name(owner), Mx, ttl, MxData(pref, exchange)));

        public DnsReply ARecord(string owner, string ip, uint ttl = 300, bool additional = false)
        {
            byte[] r = Record(Name(owner), A, ttl, IPAddress.Parse(ip).GetAddressBytes());
            return additional ? Additional(r) : Answer(r);
        }

        public DnsReply CnameRecord(string owner, string target, uint ttl = 300) => Answer(Record(Name(owner), Cname, ttl, Name(target)));

        public byte[] Build()
        {
            var b = new List<byte>
            {
                (byte)(_id >> 8), (byte)_id,
                (byte)(0x80 | 0x01 | (Truncated ? 0x02 : 0)), (byte)(0x80 | Rcode),
                0, 1,
            };
            int an = AnCountOverride ?? _an.Count;
            b.Add((byte)(an >> 8)); b.Add((byte)an);
            b.Add((byte)(_ns.Count >> 8)); b.Add((byte)_ns.Count);
            b.Add((byte)(_ar.Count >> 8)); b.Add((byte)_ar.Count);
            b.AddRange(_qname);
            b.Add((byte)(_qtype >> 8)); b.Add((byte)_qtype);
            b.Add(0); b.Add(1);
            foreach (var r in _an) b.AddRange(r);
            foreach (var r in _ns) b.AddRange(r);
            foreach (var r in _ar) b.AddRange(r);
            return b.ToArray();
        }
    }
}
