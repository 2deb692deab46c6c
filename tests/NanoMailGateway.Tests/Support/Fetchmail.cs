// Runs the real fetchmail against a POP3 (or IMAP) server on loopback with a generated rc file in a
// private HOME, delivering through an MDA that appends to a file, and returns what it
// delivered. Fails the test when fetchmail exits non-zero (its output is in the message).

using System;
using System.IO;
using System.Text;
using Xunit;

namespace NanoMailGateway.Tests.Support
{
    public static class Fetchmail
    {
        /// <param name="fetchmail">Path from Peers.Require("fetchmail").</param>
        /// <param name="home">An empty directory used as HOME (rc file, ids, pid file, delivered mail).</param>
        /// <param name="keep">True: fetchmail's "keep" (nothing deleted on the server).</param>
        public static string FetchAll(string fetchmail, string home, int port, string user, string password, bool keep, TimeSpan deadline, string proto = "POP3")
        {
            string mbox = Path.Combine(home, "delivered");
            string rc = Path.Combine(home, ".fetchmailrc");
            File.WriteAllText(rc,
                "set no syslog\n" +
                "poll 127.0.0.1 with proto " + proto + " port " + port + " timeout 20\n" +
                "  user \"" + user + "\" there with password \"" + password + "\" is \"nobody\" here\n" +
                "  options " + (keep ? "keep " : "") + "fetchall no sslcertck sslproto ''\n" +
                "  mda \"cat >> " + mbox + "\"\n");
            File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite); // fetchmail refuses a readable rc
            var r = ProcessRunner.Run("/usr/bin/env", new[]
            {
                "HOME=" + home, fetchmail, "-f", rc, "-i", Path.Combine(home, ".fetchids"),
                "--pidfile", Path.Combine(home, ".fetchmail.pid"), "--nodetach", "-v",
            }, null, deadline);
            Assert.True(r.ExitCode == 0, "fetchmail exit " + r.ExitCode + "\n" + r.StdOut + r.StdErr);
            return File.ReadAllText(mbox, Encoding.Latin1);
        }
    }
}
