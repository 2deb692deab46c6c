// Scenario: the RFC 3464 bounce (Core/Bounce): DsnComposer writes a report about a
// message into the queue's writer; the check reads the report's shape line by line:
// - header: From MAILER-DAEMON, To the original sender, Auto-Submitted: auto-replied
//   (RFC 3834 §5), MIME-Version, multipart/report; report-type=delivery-status (RFC 6522);
// - three parts between the boundary lines: text/plain, message/delivery-status with
//   Reporting-MTA, Final-Recipient, Action, Status, Diagnostic-Code (RFC 3464 §2.2, §2.3),
//   text/rfc822-headers with the original header section and not its body;
// - CRLF only, no line over 998 octets (RFC 5322 §2.1.1);
// - DsnPolicy: never a report about a message from <> (RFC 5321 §6.1), NOTIFY=NEVER.

using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Bounce shape checks.</summary>
    public static class BounceChecks
    {
        private const string Original = "From: sensor@example.org\r\nTo: ops@example.net\r\nSubject: disk full\r\nMessage-ID: <1@example.org>\r\n\r\nbody line\r\n.dot line\r\n";

        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("bounce.rfc3464-shape", new Check(Rfc3464Shape));
            r.Run("bounce.never-bounce-a-bounce", new Check(NeverBounceABounce));
        }

        private static void Rfc3464Shape()
        {
            Envelope original = new Envelope("sensor@example.org");
            EnvelopeRecipient rcpt = new EnvelopeRecipient("ops@example.net", false, DsnNotify.Unspecified, null);
            original.AddRecipient(rcpt);
            StepClock clock = new StepClock();
            DsnRecipient[] report = new DsnRecipient[]
            {
                new DsnRecipient(rcpt, DsnAction.Failed, new DeliveryStatus(DeliveryOutcome.Permanent, 550, "5.1.1", "<ops@example.net>: User unknown"),
                    "mx.example.net", clock.UtcNow, clock.UtcNow),
            };
            DsnComposerOptions o = new DsnComposerOptions();
            o.HostName = "gw.example.org";
            DsnComposer composer = new DsnComposer(o, clock, new CountingRandom());
            TinyMessageStore store = new TinyMessageStore(4096);
            IMessageWriter w = store.BeginMessage(new Envelope(""))!;
            Expect.True(composer.Compose(w, original, report, new BytesContent(Original)), "compose");
            w.Commit();
            string text = store.TextOf(0);
            Transcript t = new Transcript(NanoMailGateway.Core.Text.Ascii.GetBytes(text), text.Length);

            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) Expect.Fail("bare LF at " + i.ToString());
                if (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) Expect.Fail("bare CR at " + i.ToString());
            }
            for (int i = 0; i < t.Count; i++)
            {
                Expect.True(t.Line(i).Length <= 998, "line " + i.ToString() + " longer than 998 octets");
            }

            Expect.True(t.Find("From: Mail Delivery System <MAILER-DAEMON@gw.example.org>", 0) >= 0, "From MAILER-DAEMON");
            Expect.True(t.Find("To: <sensor@example.org>", 0) >= 0, "To the original sender");
            Expect.True(t.Find("Auto-Submitted: auto-replied", 0) >= 0, "Auto-Submitted");
            Expect.True(t.Find("MIME-Version: 1.0", 0) >= 0, "MIME-Version");
            int ct = t.Find("Content-Type: multipart/report; report-type=delivery-status;", 0);
            Expect.True(ct >= 0, "multipart/report");
            int end = t.FindExact("", 0);
            Expect.True(ct < end, "Content-Type is in the header section");
            Expect.Equal(-1, t.Find("Auto-Submitted:", end), "Auto-Submitted only in the header section");

            string boundary = Boundary(text);
            Expect.True(boundary.Length > 0, "boundary parameter");
            int p1 = t.Find("--" + boundary, end);
            int p2 = t.Find("--" + boundary, p1 + 1);
            int p3 = t.Find("--" + boundary, p2 + 1);
            int close = t.Find("--" + boundary + "--", 0);
            Expect.True(p1 > end && p2 > p1 && p3 > p2, "three parts");
            Expect.True(close > p3, "closing boundary after the third part");
            Expect.Equal(close, t.Find("--" + boundary, p3 + 1), "no fourth part");
            Expect.Equal(close + 1, t.Count, "nothing after the closing boundary");

            int plain = t.Find("Content-Type: text/plain", p1);
            Expect.True(plain > p1 && plain < p2, "part 1 is text/plain");
            int ds = t.Find("Content-Type: message/delivery-status", p2);
            Expect.True(ds > p2 && ds < p3, "part 2 is message/delivery-status");
            Expect.True(Between(t, "Reporting-MTA: dns; gw.example.org", p2, p3), "Reporting-MTA");
            Expect.True(Between(t, "Final-Recipient: rfc822;", p2, p3), "Final-Recipient");
            Expect.True(Between(t, "Action: failed", p2, p3), "Action: failed");
            Expect.True(Between(t, "Status: 5.1.1", p2, p3), "Status: 5.1.1");
            Expect.True(Between(t, "Remote-MTA: dns; mx.example.net", p2, p3), "Remote-MTA");
            Expect.True(Between(t, "Diagnostic-Code: smtp; 550", p2, p3), "Diagnostic-Code");
            int hdrs = t.Find("Content-Type: text/rfc822-headers", p3);
            Expect.True(hdrs > p3 && hdrs < close, "part 3 is text/rfc822-headers");
            Expect.True(Between(t, "Subject: disk full", p3, close), "original header returned");
            Expect.True(Between(t, "Message-ID: <1@example.org>", p3, close), "original Message-ID returned");
            Expect.True(!Between(t, "body line", 0, t.Count), "original body not returned (headers only)");
        }

        private static void NeverBounceABounce()
        {
            Expect.True(!DsnPolicy.ShouldNotify("", DsnNotify.Unspecified, DsnAction.Failed, true), "a message from <> never gets a report");
            Expect.True(!DsnPolicy.ShouldNotify("", DsnNotify.Failure, DsnAction.Failed, true), "not even with NOTIFY=FAILURE");
            Expect.True(DsnPolicy.ShouldNotify("sensor@example.org", DsnNotify.Unspecified, DsnAction.Failed, false), "failure is reported by default");
            Expect.True(!DsnPolicy.ShouldNotify("sensor@example.org", DsnNotify.Never, DsnAction.Failed, true), "NOTIFY=NEVER");
            Expect.True(!DsnPolicy.ShouldNotify("sensor@example.org", DsnNotify.Unspecified, DsnAction.Delivered, true), "success is not reported by default");
        }

        private static bool Between(Transcript t, string prefix, int from, int to)
        {
            int i = t.Find(prefix, from);
            return i >= 0 && i < to;
        }

        /// <summary>The boundary="..." parameter of the first Content-Type, or "".</summary>
        private static string Boundary(string text)
        {
            int b = text.IndexOf("boundary=\"");
            if (b < 0) return "";
            b += 10;
            int e = text.IndexOf('"', b);
            return e < 0 ? "" : text.Substring(b, e - b);
        }
    }
}
