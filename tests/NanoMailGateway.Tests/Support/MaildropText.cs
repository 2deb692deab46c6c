// A local mailbox message read whole into a string, in chunks of a chosen size, so that a
// test also covers reads that end in the middle of a line or a record.

using System.Text;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Tests.Support
{
    public static class MaildropText
    {
        /// <summary>Message <paramref name="index"/> of <paramref name="drop"/> as ASCII, read <paramref name="chunk"/> octets at a time.</summary>
        public static string Read(IMaildrop drop, int index, int chunk)
        {
            var buf = new byte[chunk];
            var sb = new StringBuilder();
            for (long pos = 0; ;)
            {
                int n = drop.Read(index, pos, buf, 0, buf.Length);
                if (n <= 0) break;
                sb.Append(Encoding.ASCII.GetString(buf, 0, n));
                pos += n;
            }
            return sb.ToString();
        }
    }
}
