// No open relay: from an untrusted, unauthenticated client every trick of the relay
// book (percent hack, bang path, source route, quoted "@", user@a@b, address literals,
// trailing dots, case, suffixes), with a normal sender and with MAIL FROM:<>, is either
// refused or lands in a local mailbox; no remote recipient is ever accepted.

using System;
using System.Text;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpOpenRelayTests : SmtpTranscriptTests
    {
        public static readonly string[] Tricks =
        {
            "<victim@remote.example>",
            "<victim@REMOTE.EXAMPLE>",
            "victim@remote.example",
            " <victim@remote.example>",
            "<victim%remote.example@gw.example.net>",
            "<victim%remote.example>",
            "<remote.example!victim@gw.example.net>",
            "<remote.example!victim>",
            "<@gw.example.net:victim@remote.example>",
            "<@gw.example.net,@local.example:victim@remote.example>",
            "<\"victim@remote.example\"@gw.example.net>",
            "<\"victim@remote.example\">",
            "<victim@remote.example@gw.example.net>",
            "<victim@gw.example.net@remote.example>",
            "<victim@[192.0.2.99]>",
            "<victim@[127.0.0.1]>",
            "<victim@[IPv6:::1]>",
            "<victim@remote.example.>",
            "<victim@gw.example.net.>",
            "<victim@gw.example.net.remote.example>",
            "<victim@remote-gw.example.net.example>",
            "<victim@remote.example%gw.example.net>",
            "<victim@remote.example> NOTIFY=NEVER",
            "<victim@remote.example> ORCPT=rfc822;victim@gw.example.net",
            "<postmaster@remote.example>",
            "<victim@remote.example >",
            "<victim\\@remote.example@gw.example.net>",
            "<victim@remote.example\0@gw.example.net>",
        };

        [Theory]
        [InlineData("<>")]
        [InlineData("<sender@sensor.example>")]
        [InlineData("<alerts@gw.example.net>")]
        public void NoTrickRelays(string sender)
        {
            var h = NewHarness();
            var script = new StringBuilder("EHLO relay-tester\r\n");
            foreach (string trick in Tricks)
            {
                script.Append("MAIL FROM:").Append(sender).Append("\r\n");
                script.Append("RCPT TO:").Append(trick).Append("\r\n");
                script.Append("RCPT TO:<alerts@gw.example.net>\r\nDATA\r\nSubject: relay test\r\n\r\nx\r\n.\r\n");
            }
            script.Append("QUIT\r\n");
            h.Options.ErrorLimit = 1000;
            string t = h.Transcript(script.ToString());
            Assert.EndsWith("221 2.0.0 Bye\r\n", t);
            Assert.Equal(Tricks.Length, h.Store.Committed().Length);
            foreach (var m in h.Store.Committed())
            {
                for (int i = 0; i < m.Envelope.RecipientCount; i++)
                {
                    var r = m.Envelope.GetRecipient(i);
                    Assert.True(r.IsLocal, "remote recipient accepted: " + r.Address);
                    string domain = r.Address.Substring(r.Address.LastIndexOf('@') + 1);
                    Assert.True(domain == "gw.example.net" || domain == "local.example", "accepted " + r.Address);
                }
            }
            Assert.Contains("554 5.7.1 Relay access denied", t);
        }

        [Fact]
        public void TrustedClientsRelay()
        {
            var h = NewHarness();
            string t = h.Transcript("EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<victim@remote.example>\r\nRCPT TO:<v@[192.0.2.99]>\r\nDATA\r\n.\r\n", SmtpHarness.TrustedAddress);
            Assert.Equal("220 250 250 250 250 354 250", SmtpHarness.CodeString(t));
            var e = h.Store.Committed()[0].Envelope;
            Assert.False(e.GetRecipient(0).IsLocal);
            Assert.False(e.GetRecipient(1).IsLocal);
        }

        [Fact]
        public void RelayDenialIsLogged()
        {
            var h = NewHarness();
            h.Transcript("EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<victim@remote.example>\r\n");
            Assert.Contains(h.Log.Lines, l => l.Contains("reject: RCPT from [198.51.100.7]: 554 5.7.1 <victim@remote.example>", StringComparison.Ordinal));
        }
    }
}
