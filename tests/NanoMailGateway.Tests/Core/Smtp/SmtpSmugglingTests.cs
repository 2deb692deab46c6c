// SMTP smuggling (CVE-2023-51764 and friends): each non-standard end-of-data sequence
// is followed by a complete second transaction inside the data. Exactly one message
// must be stored, holding the smuggled transaction as content.

using System;
using Xunit;
using NanoMailGateway.SelfTest;
using NanoMailGateway.Tests.Support;

namespace NanoMailGateway.Tests.Core.Smtp
{
    public class SmtpSmugglingTests : SmtpTranscriptTests
    {
        public static readonly TheoryData<string, string> Sequences = new TheoryData<string, string>
        {
            { "LF.LF", "\n.\n" },
            { "LF.CRLF", "\n.\r\n" },
            { "CR.CR", "\r.\r" },
            { "CRLF.LF", "\r\n.\n" },
            { "CR.CRLF", "\r.\r\n" },
            { "CRLF.CR", "\r\n.\r" },
            { "LF.CR", "\n.\r" },
            { "CR.LF", "\r.\n" },
            { "CRLF NUL.CRLF", "\r\n\0.\r\n" },
            { "CRLF.NUL CRLF", "\r\n.\0\r\n" },
            { "CRLF SP.CRLF", "\r\n .\r\n" },
            { "CRLF.SP CRLF", "\r\n. \r\n" },
            { "CRLF.CR CRLF", "\r\n.\r\r\n" },
            { "LFCR.CRLF", "\n\r.\r\n" },
            { "CRLF CR.CRLF", "\r\n\r.\r\n" },
        };

        [Theory]
        [MemberData(nameof(Sequences))]
        public void SmuggledTransactionStaysContent(string name, string sequence)
        {
            var h = NewHarness();
            string smuggled = "MAIL FROM:<ceo@gw.example.net>\r\nRCPT TO:<victim@local.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nSMUGGLED-BODY\r\n";
            string script = "EHLO attacker\r\nMAIL FROM:<a@attacker.example>\r\nRCPT TO:<alerts@gw.example.net>\r\nDATA\r\n"
                + "Subject: carrier\r\n\r\nfirst" + sequence + smuggled + ".\r\nQUIT\r\n";
            string t = h.Transcript(script);
            Assert.Equal("220 250 250 250 354 250 221", SmtpHarness.CodeString(t));
            var m = Assert.Single(h.Store.Committed());
            Assert.Equal("alerts@gw.example.net", m.Envelope.GetRecipient(0).Address);
            Assert.Equal(1, m.Envelope.RecipientCount);
            Assert.Contains("MAIL FROM:<ceo@gw.example.net>\r\nRCPT TO:<victim@local.example>\r\nDATA\r\nSubject: smuggled", m.Text);
            Assert.EndsWith("SMUGGLED-BODY\r\n", m.Text);
            // nothing raw goes into the queue: every CR and LF is part of a CRLF
            string s = m.Text.Replace("\r\n", "");
            Assert.DoesNotContain("\r", s);
            Assert.DoesNotContain("\n", s);
            Assert.NotNull(name);
        }
    }
}
