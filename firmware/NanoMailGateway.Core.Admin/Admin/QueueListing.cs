// GET /queue: the queue as plain text for scripts and `nmg queue list`, one message per
// block in the shape of Postfix's mailq: "ID SIZE ARRIVAL <sender>", then one indented
// line per recipient with its state, the next attempt and the last result. Mailbox
// mail is marked "mailbox" so that it reads apart from mail still to be delivered.
// Left out on purpose: JSON (no serializer on the board; the text has a fixed shape).

using System;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Writes /queue.</summary>
    internal static class QueueListing
    {
        public static void Write(HttpResponseWriter w, MessageStore store, DateTime now)
        {
            QueuedMessage[] all = store.GetMessages();
            long bytes = 0;
            for (int i = 0; i < all.Length; i++)
            {
                QueuedMessage m = all[i];
                bytes += m.Size;
                w.Write(m.QueueId);
                w.Write(" ");
                w.WriteNumber(m.Size);
                w.Write(" ");
                Time(w, m.ArrivalUtc);
                w.Write(" <");
                w.Write(m.Envelope.Sender);
                w.Write(">\n");
                for (int r = 0; r < m.RecipientCount; r++)
                {
                    RecipientStatus s = m.GetStatus(r);
                    w.Write("    ");
                    w.Write(m.Envelope.GetRecipient(r).Address);
                    w.Write(" ");
                    w.Write(RecipientStatus.StateName(s.State));
                    if (Waits(s))
                    {
                        w.Write(" next=");
                        Time(w, s.NextAttemptUtc);
                    }
                    if (s.Text.Length > 0)
                    {
                        w.Write(" (");
                        w.Write(s.Code);
                        w.Write(" ");
                        w.Write(s.Text);
                        w.Write(")");
                    }
                    w.Write("\n");
                }
            }
            w.Write("-- ");
            w.WriteNumber((bytes + 1023) / 1024);
            w.Write(" Kbytes in ");
            w.WriteNumber(all.Length);
            w.Write(" Requests.\n");
        }

        /// <summary>True when the recipient waits for a next attempt (a retry or its report), which the listings show.</summary>
        internal static bool Waits(RecipientStatus s)
        {
            return (s.State == RecipientState.Deferred || s.State == RecipientState.Bouncing) && s.NextAttemptUtc != DateTime.MinValue;
        }

        // ISO 8601 UTC, to the second ("2026-12-03T20:15:07Z").
        private static void Time(HttpResponseWriter w, DateTime t)
        {
            w.WriteNumber(t.Year);
            w.Write("-");
            Two(w, t.Month);
            w.Write("-");
            Two(w, t.Day);
            w.Write("T");
            Two(w, t.Hour);
            w.Write(":");
            Two(w, t.Minute);
            w.Write(":");
            Two(w, t.Second);
            w.Write("Z");
        }

        private static void Two(HttpResponseWriter w, int v)
        {
            if (v < 10) w.Write("0");
            w.WriteNumber(v);
        }
    }
}
