// Writes DNS messages octet by octet (RFC 1035 §4.1) into a caller's buffer, so that a
// check can craft exactly the answer it needs, good or hostile: compression pointers
// anywhere (§4.1.4), any flags, RDLENGTH patched after the RDATA. No validation on
// purpose: hostile packets are the point.

namespace NanoMailGateway.SelfTest
{
    /// <summary>Appends to a fixed buffer; one packet at a time.</summary>
    public sealed class DnsPacketBuilder
    {
        /// <summary>QR: this is a response (RFC 1035 §4.1.1).</summary>
        public const int FlagResponse = 0x8000;

        /// <summary>TC: the message was truncated.</summary>
        public const int FlagTruncated = 0x0200;

        /// <summary>RD and RA, as a recursive server answers.</summary>
        public const int FlagRecursion = 0x0180;

        public const int TypeA = 1;
        public const int TypeMx = 15;

        private readonly byte[] _p;
        private int _len;

        /// <summary>Builds into <paramref name="buffer"/>, from offset 0.</summary>
        public DnsPacketBuilder(byte[] buffer)
        {
            _p = buffer;
        }

        /// <summary>The buffer written.</summary>
        public byte[] Buffer => _p;

        /// <summary>Octets written so far; also the offset of the next octet.</summary>
        public int Length => _len;

        /// <summary>Starts over: writes the 12-octet header.</summary>
        public void Header(int id, int flags, int qd, int an, int ns, int ar)
        {
            _len = 0;
            U16(id);
            U16(flags);
            U16(qd);
            U16(an);
            U16(ns);
            U16(ar);
        }

        /// <summary>Writes one octet.</summary>
        public void Octet(int b)
        {
            _p[_len++] = (byte)b;
        }

        /// <summary>Writes a 16-bit value, network order.</summary>
        public void U16(int v)
        {
            _p[_len++] = (byte)(v >> 8);
            _p[_len++] = (byte)v;
        }

        /// <summary>
        /// Writes the labels of <paramref name="dotted"/> ("" for none) and then either the
        /// root octet (<paramref name="pointer"/> &lt; 0) or a compression pointer to
        /// <paramref name="pointer"/>. Returns the offset where the name starts.
        /// </summary>
        public int Name(string dotted, int pointer)
        {
            int start = _len;
            int label = 0;
            int lenPos = -1;
            for (int i = 0; i < dotted.Length; i++)
            {
                char c = dotted[i];
                if (c == '.')
                {
                    _p[lenPos] = (byte)label;
                    lenPos = -1;
                    continue;
                }
                if (lenPos < 0)
                {
                    lenPos = _len++;
                    label = 0;
                }
                _p[_len++] = (byte)c;
                label++;
            }
            if (lenPos >= 0) _p[lenPos] = (byte)label;
            if (pointer < 0)
            {
                Octet(0);
            }
            else
            {
                Octet(0xC0 | (pointer >> 8));
                Octet(pointer & 0xFF);
            }
            return start;
        }

        /// <summary>Writes a question for <paramref name="name"/> (uncompressed), class IN. Returns the name's offset.</summary>
        public int Question(string name, int qtype)
        {
            int at = Name(name, -1);
            U16(qtype);
            U16(1);
            return at;
        }

        /// <summary>
        /// Writes TYPE, CLASS IN, TTL and a placeholder RDLENGTH after an owner name already
        /// written; returns the RDLENGTH offset for <see cref="EndRecord"/>.
        /// </summary>
        public int BeginRecord(int type, int ttl)
        {
            U16(type);
            U16(1);
            U16(ttl >> 16);
            U16(ttl & 0xFFFF);
            int at = _len;
            U16(0);
            return at;
        }

        /// <summary>Sets RDLENGTH to the octets written since <see cref="BeginRecord"/>.</summary>
        public void EndRecord(int rdLengthAt)
        {
            int n = _len - rdLengthAt - 2;
            _p[rdLengthAt] = (byte)(n >> 8);
            _p[rdLengthAt + 1] = (byte)n;
        }

        /// <summary>Writes a whole MX record: owner as a pointer, preference, exchange (labels + pointer or root).</summary>
        public void MxRecord(int ownerPointer, int preference, string exchangeLabels, int exchangePointer)
        {
            Name("", ownerPointer);
            int rd = BeginRecord(TypeMx, 300);
            U16(preference);
            Name(exchangeLabels, exchangePointer);
            EndRecord(rd);
        }

        /// <summary>Writes a whole A record whose owner is a pointer to <paramref name="ownerPointer"/>.</summary>
        public void ARecord(int ownerPointer, int a, int b, int c, int d)
        {
            Name("", ownerPointer);
            int rd = BeginRecord(TypeA, 300);
            Octet(a);
            Octet(b);
            Octet(c);
            Octet(d);
            EndRecord(rd);
        }
    }
}
