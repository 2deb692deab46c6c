// The ESMTP parameters after the path of MAIL FROM and RCPT TO (RFC 5321 §4.1.2
// esmtp-param = esmtp-keyword ["=" esmtp-value], separated by spaces), parsed in place:
//   MAIL: SIZE=n (RFC 1870), BODY=7BIT|8BITMIME (RFC 6152), AUTH=xtext|<> (RFC 4954 §5),
//         RET=FULL|HDRS and ENVID=xtext (RFC 3461 §4.3-4.4)
//   RCPT: NOTIFY=NEVER|SUCCESS,FAILURE,DELAY and ORCPT=addr-type;xtext (RFC 3461 §4.1-4.2)
// xtext (RFC 3461 §4) is decoded: "+" HEXCHAR HEXCHAR; other chars %d33-126 except "+"
// and "=". A parameter given twice is a syntax error (RFC 3461 §4: "MUST NOT appear
// more than once"). Unknown keywords are reported for a 555 (RFC 5321 §4.1.1.11).
// Keywords and values are string constants compared in place (a literal stays in flash;
// a static byte[] is heap from boot on nanoCLR, ARCHITECTURE.md, Memory).
// Left out on purpose: SMTPUTF8, BODY=BINARYMIME (we advertise neither).

using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Outcome of parameter parsing.</summary>
    public enum SmtpParameterResult
    {
        /// <summary>All parameters known and valid.</summary>
        Ok,
        /// <summary>Bad syntax or value (501 5.5.4).</summary>
        Invalid,
        /// <summary>A keyword we do not support (555 5.5.4).</summary>
        Unknown,
    }

    /// <summary>Parsed MAIL/RCPT parameters; reused per command by one session. Not thread-safe.</summary>
    public sealed class SmtpParameters
    {
        /// <summary>RFC 3461 §4.4: ENVID at most 100 characters.</summary>
        public const int MaxEnvelopeId = 100;

        /// <summary>RFC 3461 §4.2: ORCPT at most 500 characters.</summary>
        public const int MaxOriginalRecipient = 500;

        private const string KeySize = "SIZE";
        private const string KeyBody = "BODY";
        private const string KeyAuth = "AUTH";
        private const string KeyRet = "RET";
        private const string KeyEnvId = "ENVID";
        private const string KeyNotify = "NOTIFY";
        private const string KeyOrcpt = "ORCPT";
        private const string Body7Bit = "7BIT";
        private const string Body8BitMime = "8BITMIME";
        private const string RetFull = "FULL";
        private const string RetHdrs = "HDRS";
        private const string NotifyNever = "NEVER";
        private const string NotifySuccess = "SUCCESS";
        private const string NotifyFailure = "FAILURE";
        private const string NotifyDelay = "DELAY";

        /// <summary>SIZE= value, or -1 when not given.</summary>
        public long Size { get; private set; }

        /// <summary>BODY=8BITMIME was given.</summary>
        public bool EightBitMime { get; private set; }

        /// <summary>AUTH= was given (its value is not trusted: RFC 4954 §5).</summary>
        public bool HasAuth { get; private set; }

        /// <summary>RET=.</summary>
        public DsnReturn Return { get; private set; }

        /// <summary>ENVID= decoded, or null.</summary>
        public string? EnvelopeId { get; private set; }

        /// <summary>NOTIFY=.</summary>
        public DsnNotify Notify { get; private set; }

        /// <summary>ORCPT= as "addr-type;address" with the address xtext-decoded, or null.</summary>
        public string? OriginalRecipient { get; private set; }

        /// <summary>Parses MAIL FROM parameters in [offset, end).</summary>
        public SmtpParameterResult ParseMail(byte[] b, int offset, int end)
        {
            Clear();
            bool seenSize = false, seenBody = false;
            int p = offset;
            while (true)
            {
                p = NextParameter(b, p, end, out int keyLength, out int valueStart, out int valueEnd);
                if (p < 0) return SmtpParameterResult.Ok;
                int valueLength = valueStart < 0 ? -1 : valueEnd - valueStart;
                if (valueLength <= 0) return IsKnownMailKey(b, p, keyLength) ? SmtpParameterResult.Invalid : SmtpParameterResult.Unknown;
                if (Ascii.EqualsIgnoreCase(b, p, keyLength, KeySize))
                {
                    if (seenSize) return SmtpParameterResult.Invalid;
                    seenSize = true;
                    Size = Ascii.ParseDecimal(b, valueStart, valueLength, 999999999999999L); // RFC 1870 §4: 1*20DIGIT
                    if (Size < 0) return SmtpParameterResult.Invalid;
                }
                else if (Ascii.EqualsIgnoreCase(b, p, keyLength, KeyBody))
                {
                    if (seenBody) return SmtpParameterResult.Invalid;
                    seenBody = true;
                    if (Ascii.EqualsIgnoreCase(b, valueStart, valueLength, Body8BitMime)) EightBitMime = true;
                    else if (!Ascii.EqualsIgnoreCase(b, valueStart, valueLength, Body7Bit)) return SmtpParameterResult.Invalid;
                }
                else if (Ascii.EqualsIgnoreCase(b, p, keyLength, KeyAuth))
                {
                    // RFC 4954 §5: AUTH=<> or an xtext mailbox; checked, then not trusted.
                    if (HasAuth) return SmtpParameterResult.Invalid;
                    HasAuth = true;
                    bool empty = valueLength == 2 && b[valueStart] == (byte)'<' && b[valueStart + 1] == (byte)'>';
                    if (!empty && DecodeXtext(b, valueStart, valueLength, 500) == null) return SmtpParameterResult.Invalid;
                }
                else if (Ascii.EqualsIgnoreCase(b, p, keyLength, KeyRet))
                {
                    if (Return != DsnReturn.Unspecified) return SmtpParameterResult.Invalid;
                    if (Ascii.EqualsIgnoreCase(b, valueStart, valueLength, RetFull)) Return = DsnReturn.Full;
                    else if (Ascii.EqualsIgnoreCase(b, valueStart, valueLength, RetHdrs)) Return = DsnReturn.Headers;
                    else return SmtpParameterResult.Invalid;
                }
                else if (Ascii.EqualsIgnoreCase(b, p, keyLength, KeyEnvId))
                {
                    if (EnvelopeId != null) return SmtpParameterResult.Invalid;
                    EnvelopeId = DecodeXtext(b, valueStart, valueLength, MaxEnvelopeId); // RFC 3461 §4.4
                    if (EnvelopeId == null) return SmtpParameterResult.Invalid;
                }
                else
                {
                    return SmtpParameterResult.Unknown;
                }
                p = valueEnd;
            }
        }

        /// <summary>Parses RCPT TO parameters in [offset, end).</summary>
        public SmtpParameterResult ParseRcpt(byte[] b, int offset, int end)
        {
            Clear();
            bool seenNotify = false;
            int p = offset;
            while (true)
            {
                p = NextParameter(b, p, end, out int keyLength, out int valueStart, out int valueEnd);
                if (p < 0) return SmtpParameterResult.Ok;
                int valueLength = valueStart < 0 ? -1 : valueEnd - valueStart;
                bool known = Ascii.EqualsIgnoreCase(b, p, keyLength, KeyNotify) || Ascii.EqualsIgnoreCase(b, p, keyLength, KeyOrcpt);
                if (!known) return SmtpParameterResult.Unknown;
                if (valueLength <= 0) return SmtpParameterResult.Invalid;
                if (Ascii.EqualsIgnoreCase(b, p, keyLength, KeyNotify))
                {
                    if (seenNotify) return SmtpParameterResult.Invalid;
                    seenNotify = true;
                    if (!ParseNotify(b, valueStart, valueEnd)) return SmtpParameterResult.Invalid;
                }
                else
                {
                    if (OriginalRecipient != null) return SmtpParameterResult.Invalid;
                    // RFC 3461 §4.2: orcpt-parameter = "ORCPT=" addr-type ";" xtext
                    int semi = Ascii.IndexOf(b, valueStart, valueLength, (byte)';');
                    if (semi <= valueStart) return SmtpParameterResult.Invalid;
                    for (int i = valueStart; i < semi; i++)
                    {
                        if (!SmtpPath.IsAtext(b[i])) return SmtpParameterResult.Invalid;
                    }
                    string? address = DecodeXtext(b, semi + 1, valueEnd - semi - 1, MaxOriginalRecipient);
                    if (address == null || address.Length == 0) return SmtpParameterResult.Invalid;
                    OriginalRecipient = Ascii.GetString(b, valueStart, semi - valueStart + 1) + address;
                    if (OriginalRecipient.Length > MaxOriginalRecipient) return SmtpParameterResult.Invalid;
                }
                p = valueEnd;
            }
        }

        /// <summary>
        /// Finds the next esmtp-param (RFC 5321 §4.1.2: esmtp-keyword ["=" esmtp-value]) in
        /// [p, end). Returns where its keyword starts, or -1 when only spaces remain.
        /// <paramref name="valueStart"/> is -1 when there is no "="; the value ends at
        /// <paramref name="valueEnd"/>, where the next search starts.
        /// </summary>
        private static int NextParameter(byte[] b, int p, int end, out int keyLength, out int valueStart, out int valueEnd)
        {
            p = SmtpCommand.SkipSpaces(b, p, end);
            int keyEnd = p;
            while (keyEnd < end && b[keyEnd] != (byte)'=' && b[keyEnd] != Ascii.SP) keyEnd++;
            keyLength = keyEnd - p;
            valueStart = keyEnd < end && b[keyEnd] == (byte)'=' ? keyEnd + 1 : -1;
            valueEnd = valueStart < 0 ? keyEnd : valueStart;
            while (valueEnd < end && b[valueEnd] != Ascii.SP) valueEnd++;
            return p >= end ? -1 : p;
        }

        // RFC 3461 §4.1: "NEVER" alone, or a comma list of SUCCESS, FAILURE, DELAY.
        private bool ParseNotify(byte[] b, int start, int end)
        {
            DsnNotify n = DsnNotify.Unspecified;
            int p = start;
            while (p < end)
            {
                int itemEnd = p;
                while (itemEnd < end && b[itemEnd] != (byte)',') itemEnd++;
                int len = itemEnd - p;
                DsnNotify item;
                if (Ascii.EqualsIgnoreCase(b, p, len, NotifyNever)) item = DsnNotify.Never;
                else if (Ascii.EqualsIgnoreCase(b, p, len, NotifySuccess)) item = DsnNotify.Success;
                else if (Ascii.EqualsIgnoreCase(b, p, len, NotifyFailure)) item = DsnNotify.Failure;
                else if (Ascii.EqualsIgnoreCase(b, p, len, NotifyDelay)) item = DsnNotify.Delay;
                else return false;
                if ((n & item) != 0) return false;
                n |= item;
                p = itemEnd + 1;
                if (itemEnd < end && p >= end) return false; // trailing comma
            }
            if ((n & DsnNotify.Never) != 0 && n != DsnNotify.Never) return false; // NEVER stands alone
            Notify = n;
            return n != DsnNotify.Unspecified;
        }

        /// <summary>
        /// Decodes RFC 3461 §4 xtext ("+2B" = "+"); returns null on bad syntax or when the
        /// decoded text is longer than <paramref name="maxLength"/>.
        /// </summary>
        public static string? DecodeXtext(byte[] b, int offset, int count, int maxLength)
        {
            char[] c = new char[count];
            int n = 0;
            int end = offset + count;
            for (int p = offset; p < end; p++)
            {
                byte x = b[p];
                if (x == (byte)'+')
                {
                    if (p + 2 >= end) return null;
                    int hi = HexValue(b[p + 1]);
                    int lo = HexValue(b[p + 2]);
                    if (hi < 0 || lo < 0) return null;
                    c[n++] = (char)(hi * 16 + lo);
                    p += 2;
                }
                else if (x >= 33 && x <= 126 && x != (byte)'=')
                {
                    c[n++] = (char)x;
                }
                else
                {
                    return null;
                }
                if (n > maxLength) return null;
            }
            return new string(c, 0, n);
        }

        // RFC 3461 §4: HEXCHAR is upper-case "0"-"9" / "A"-"F" only.
        private static int HexValue(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9') return b - '0';
            if (b >= (byte)'A' && b <= (byte)'F') return b - 'A' + 10;
            return -1;
        }

        private static bool IsKnownMailKey(byte[] b, int p, int len)
        {
            return Ascii.EqualsIgnoreCase(b, p, len, KeySize) || Ascii.EqualsIgnoreCase(b, p, len, KeyBody)
                || Ascii.EqualsIgnoreCase(b, p, len, KeyAuth) || Ascii.EqualsIgnoreCase(b, p, len, KeyRet)
                || Ascii.EqualsIgnoreCase(b, p, len, KeyEnvId);
        }

        private void Clear()
        {
            Size = -1;
            EightBitMime = false;
            HasAuth = false;
            Return = DsnReturn.Unspecified;
            EnvelopeId = null;
            Notify = DsnNotify.Unspecified;
            OriginalRecipient = null;
        }
    }
}
