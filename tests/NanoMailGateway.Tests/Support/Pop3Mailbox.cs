// Reading a running gateway's mailbox over POP3 (RFC 1939) in end-to-end tests, polling
// until the expected mail has been delivered.

using System.Diagnostics;
using System.Text;
using System.Threading;
using Xunit;

namespace NanoMailGateway.Tests.Support
{
    internal static class Pop3Mailbox
    {
        /// <summary>Polls <paramref name="user"/>'s mailbox until it holds <paramref name="count"/> messages (10 s), then returns them (RETR, unstuffed).</summary>
        public static string[] WaitFor(string pop3, string user, string password, int count)
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                using var c = new LineClient(pop3);
                c.ReadLine();
                c.Command("USER " + user);
                if (!c.Command("PASS " + password).StartsWith("+OK"))
                {
                    // [IN-USE]: the previous poll's session has not released the lock yet.
                    Assert.True(sw.ElapsedMilliseconds < 10000, user + "'s mailbox stays locked");
                    Thread.Sleep(50);
                    continue;
                }
                string stat = c.Command("STAT");
                int n = int.Parse(stat.Split(' ')[1]);
                if (n >= count)
                {
                    var messages = new string[n];
                    for (int i = 0; i < n; i++)
                    {
                        Assert.StartsWith("+OK", c.Command("RETR " + (i + 1)));
                        var sb = new StringBuilder();
                        for (string? line = c.ReadLine(); line != "."; line = c.ReadLine())
                        {
                            Assert.NotNull(line);
                            sb.Append(line!.StartsWith('.') ? line.Substring(1) : line).Append("\r\n");
                        }
                        messages[i] = sb.ToString();
                    }
                    c.Command("QUIT");
                    return messages;
                }
                c.Command("QUIT");
                Assert.True(sw.ElapsedMilliseconds < 10000, "mailbox has " + n + " of " + count + " messages after 10 s");
                Thread.Sleep(100);
            }
        }
    }
}
