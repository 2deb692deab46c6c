// A message as `nmg send` reads it from stdin and hands it to the SMTP client, like
// sendmail -t -i or msmtp:
//   - lines end in LF or CRLF; each goes out with CRLF (RFC 5321 §2.3.8); without -i a
//     line holding a single "." ends the input, as with sendmail;
//   - a line longer than 998 octets is refused (RFC 5322 §2.1.1), never folded or cut;
//   - the header section is the leading run of fields (name ":" ...) and their folded
//     continuation lines (RFC 5322 §2.2); the body follows the empty line, which is
//     added when the input has a body line right after the fields;
//   - From: (the envelope sender, unless it is null), Date: and Message-ID: are added
//     when missing (RFC 5322 §3.6: Date and From are required, Message-ID should be there);
//   - Bcc: fields are always removed (RFC 5322 §3.6.3 leaves it to the sender; a blind
//     recipient must not show), and To:, Cc: and Bcc: addresses are kept for -t.
// Dot-stuffing is the SMTP client's (DotStuffer), on the way out.

using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Emulator.Submission
{
    /// <summary>The message to submit: CRLF lines, not dot-stuffed, with the header fields it needs.</summary>
    public sealed class SubmittedMessage
    {
        /// <summary>RFC 5322 §2.1.1: at most 998 characters on a line, CRLF excluded.</summary>
        public const int MaxLineOctets = 998;

        private static readonly byte[] Crlf = { 13, 10 };

        private SubmittedMessage(byte[] content, List<string> headerRecipients, bool eightBit)
        {
            Content = content;
            HeaderRecipients = headerRecipients;
            EightBit = eightBit;
        }

        /// <summary>The message as it goes out (CRLF lines, before dot-stuffing).</summary>
        public byte[] Content { get; }

        /// <summary>The addresses of the To:, Cc: and Bcc: fields, in order (for -t).</summary>
        public List<string> HeaderRecipients { get; }

        /// <summary>True when an octet is over 127: the message needs 8BITMIME (RFC 6152).</summary>
        public bool EightBit { get; }

        /// <summary>
        /// Prepares <paramref name="input"/>. <paramref name="dotEndsInput"/>: a "." line ends it
        /// (no -i). <paramref name="sender"/>: the envelope sender for a missing From: ("" adds none).
        /// <paramref name="hostName"/>: the right side of the Message-ID.
        /// </summary>
        /// <exception cref="FormatException">a line is over 998 octets; the message says which.</exception>
        public static SubmittedMessage Prepare(byte[] input, bool dotEndsInput, string sender, string hostName, DateTime utc)
        {
            List<byte[]> lines = Lines(input, dotEndsInput);
            int fieldsEnd = 0;
            while (fieldsEnd < lines.Count && lines[fieldsEnd].Length > 0
                && (FieldName(lines[fieldsEnd]) != null || (fieldsEnd > 0 && IsContinuation(lines[fieldsEnd]))))
            {
                fieldsEnd++;
            }
            var output = new MemoryStream(input.Length + 256);
            var recipients = new List<string>();
            bool hasFrom = false, hasDate = false, hasMessageId = false;
            int i = 0;
            while (i < fieldsEnd)
            {
                int next = i + 1;
                while (next < fieldsEnd && IsContinuation(lines[next])) next++;
                string name = FieldName(lines[i])!;
                hasFrom |= Is(name, "From");
                hasDate |= Is(name, "Date");
                hasMessageId |= Is(name, "Message-ID");
                if (Is(name, "To") || Is(name, "Cc") || Is(name, "Bcc"))
                {
                    recipients.AddRange(AddressList.Parse(Unfolded(lines, i, next, name.Length)));
                }
                if (!Is(name, "Bcc"))
                {
                    for (int k = i; k < next; k++) WriteLine(output, lines[k]);
                }
                i = next;
            }
            if (!hasFrom && sender.Length > 0) WriteLine(output, Encoding.UTF8.GetBytes("From: " + sender));
            if (!hasDate) WriteLine(output, Encoding.ASCII.GetBytes("Date: " + Rfc5322Date.Format(utc)));
            if (!hasMessageId) WriteLine(output, Encoding.ASCII.GetBytes("Message-ID: " + NewMessageId(hostName, utc)));
            WriteLine(output, Array.Empty<byte>());
            int body = fieldsEnd < lines.Count && lines[fieldsEnd].Length == 0 ? fieldsEnd + 1 : fieldsEnd;
            for (int k = body; k < lines.Count; k++) WriteLine(output, lines[k]);
            byte[] content = output.ToArray();
            return new SubmittedMessage(content, recipients, Array.Exists(content, b => b > 127));
        }

        /// <summary>"&lt;time.random@host&gt;" (RFC 5322 §3.6.4: unique, with a domain on the right).</summary>
        private static string NewMessageId(string hostName, DateTime utc)
        {
            return "<" + utc.Ticks.ToString("x") + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant() + "@" + hostName + ">";
        }

        /// <summary>The input split at LF (a CR before it dropped), up to a "." line when that ends input.</summary>
        private static List<byte[]> Lines(byte[] input, bool dotEndsInput)
        {
            var lines = new List<byte[]>();
            int start = 0;
            while (start < input.Length)
            {
                int lf = Array.IndexOf(input, (byte)'\n', start);
                int end = lf < 0 ? input.Length : lf;
                int length = end - start;
                if (length > 0 && input[end - 1] == '\r') length--;
                if (dotEndsInput && length == 1 && input[start] == '.') break;
                if (length > MaxLineOctets)
                {
                    throw new FormatException("line " + (lines.Count + 1) + " is longer than " + MaxLineOctets + " octets (RFC 5322 §2.1.1)");
                }
                lines.Add(input.AsSpan(start, length).ToArray());
                start = end + 1;
            }
            return lines;
        }

        /// <summary>The field name when <paramref name="line"/> starts a field (RFC 5322 §3.6.8
        /// ftext, obsolete space before the colon allowed, §4.5), else null.</summary>
        private static string? FieldName(byte[] line)
        {
            int colon = Array.IndexOf(line, (byte)':');
            if (colon <= 0) return null;
            string name = Encoding.ASCII.GetString(line, 0, colon).TrimEnd(' ', '\t');
            if (name.Length == 0) return null;
            foreach (char c in name)
            {
                if (c < 33 || c > 126) return null;
            }
            return name;
        }

        private static bool IsContinuation(byte[] line)
        {
            return line.Length > 0 && (line[0] == ' ' || line[0] == '\t');
        }

        private static bool Is(string name, string wanted)
        {
            return string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The field body of lines [from, to), unfolded (RFC 5322 §2.2.3).</summary>
        private static string Unfolded(List<byte[]> lines, int from, int to, int nameLength)
        {
            var sb = new StringBuilder();
            for (int k = from; k < to; k++) sb.Append(Encoding.UTF8.GetString(lines[k]));
            string field = sb.ToString();
            return field.Substring(field.IndexOf(':', nameLength) + 1);
        }

        private static void WriteLine(MemoryStream output, byte[] line)
        {
            output.Write(line, 0, line.Length);
            output.Write(Crlf, 0, 2);
        }
    }
}
