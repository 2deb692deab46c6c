// The client end of an in-memory connection for transcript tests that drive a server
// session by hand (the POP3 and IMAP power-cut tests): send text, and collect what comes
// back into one StringBuilder until the caller has what it waits for.

using System;
using System.Text;
using NanoMailGateway.Core.Simulation;
using Xunit;

namespace NanoMailGateway.Tests.Support
{
    public static class MemoryWire
    {
        /// <summary>Sends <paramref name="s"/> as ASCII (5 s deadline).</summary>
        public static void Send(MemoryConnection c, string s)
        {
            byte[] b = Encoding.ASCII.GetBytes(s);
            c.Send(b, 0, b.Length, 5000);
        }

        /// <summary>Appends what arrives to <paramref name="text"/> until <paramref name="done"/> holds; fails when the server closes or is silent for 5 s first.</summary>
        public static void ReceiveUntil(MemoryConnection c, StringBuilder text, Func<bool> done)
        {
            var buf = new byte[4096];
            while (!done())
            {
                int n = c.Receive(buf, 0, buf.Length, 5000);
                Assert.True(n > 0, "server closed or timed out; have: " + text);
                text.Append(Encoding.ASCII.GetString(buf, 0, n));
            }
        }
    }
}
