// GET /: the status page. Plain HTML that needs no JavaScript and reads on a phone
// (viewport meta, one column, tables that scroll sideways): the board, uptime, free heap,
// flash use, the buffer pool, the counters since start, the queue (id, age, size, sender,
// each recipient's state, next attempt and last error) with the operator's actions as
// small forms, and the last log lines. Written straight into the response as it goes
// (HttpResponseWriter), so the page costs one buffer however long the queue is.
// Every value from mail (addresses, reply texts) is HTML-escaped; every form carries the
// per-start token that cross-site pages cannot read (AdminSession checks it).
// Left out on purpose: auto-refresh, sorting, paging (the queue is bounded by
// queue_max_messages), the DNS cache.

using System;
using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Writes the status page.</summary>
    internal static class StatusPage
    {
        public static void Write(HttpResponseWriter w, AdminServer s)
        {
            MailGateway g = s.Gateway;
            MessageStore q = g.Store;
            DateTime now = s.Clock.UtcNow;
            w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
            w.WriteHtml(g.Config.Hostname);
            w.Write(" - NanoMailGateway</title><style>"
                + "body{font-family:sans-serif;margin:0.5em;max-width:60em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
                + ".scroll{overflow-x:auto}#queue td{word-break:break-word}#queue button{margin:1px 0}pre{white-space:pre-wrap;font-size:85%}"
                + ".deferred,.bouncing{color:#a40}.failed{color:#b00}.delivered,.mailbox{color:#070}.held{color:#06c}"
                + "</style></head><body>\n<h1>");
            w.WriteHtml(g.Config.Hostname);
            w.Write("</h1>\n<h2>Board</h2>\n<table id=\"board\">");
            Row(w, "board", g.Config.Board.Name);
            w.Write("<tr><th>uptime</th><td>");
            w.WriteNumber(s.Log.UptimeMs / 1000);
            w.Write(" s</td></tr><tr><th>free heap</th><td>");
            long heap = s.FreeHeapBytes();
            if (heap < 0) w.Write("not measured here");
            else { w.WriteNumber(heap); w.Write(" bytes of "); w.WriteNumber(g.Config.Board.HeapBytes); }
            w.Write("</td></tr><tr><th>flash (queue)</th><td>");
            w.WriteNumber(q.UsedBytes);
            w.Write(" of ");
            w.WriteNumber(q.Options.CapacityBytes);
            w.Write(" bytes, ");
            w.WriteNumber(q.SegmentCount);
            w.Write(" segments</td></tr><tr><th>session buffers</th><td>");
            w.WriteNumber(g.Pool.InUse);
            w.Write(" of ");
            w.WriteNumber(g.Pool.Capacity);
            w.Write(" in use, ");
            w.WriteNumber(g.Pool.Refusals);
            w.Write(" refusals</td></tr></table>\n<h2>Since start</h2>\n<table id=\"counters\">");
            MailCounters c = s.Log.Counters;
            Count(w, "accepted", c.Accepted);
            Count(w, "delivered", c.Delivered);
            Count(w, "deferred", c.Deferred);
            Count(w, "bounced", c.Bounced);
            Count(w, "refused: relay access denied", c.RejectedRelay);
            Count(w, "refused: no such mailbox", c.RejectedMailbox);
            Count(w, "refused: mailbox full", c.RejectedFull);
            Count(w, "refused after DATA", c.RejectedContent);
            Count(w, "refused: busy", c.RefusedBusy);
            w.Write("</table>\n<h2>Queue</h2>\n");
            QueuedMessage[] all = q.GetMessages();
            w.Write("<p>Messages: ");
            w.WriteNumber(all.Length);
            w.Write("</p>\n");
            Action(w, s, "retry", "", "", "Retry all now");
            w.Write("\n<div class=\"scroll\"><table id=\"queue\"><tr><th>message</th><th>recipients</th><th>actions</th></tr>\n");
            for (int i = 0; i < all.Length; i++) Message(w, s, all[i], now);
            w.Write("</table></div>\n<h2>Log</h2>\n<pre id=\"log\">");
            string[] lines = s.Log.LastLines();
            for (int i = 0; i < lines.Length; i++)
            {
                w.WriteHtml(lines[i]);
                w.Write("\n");
            }
            w.Write("</pre>\n</body></html>\n");
        }

        private static void Message(HttpResponseWriter w, AdminServer s, QueuedMessage m, DateTime now)
        {
            w.Write("<tr id=\"q-");
            w.Write(m.QueueId);
            w.Write("\"><td><b>");
            w.Write(m.QueueId);
            w.Write("</b><br>");
            Age(w, now - m.ArrivalUtc);
            w.Write(" old, ");
            w.WriteNumber(m.Size);
            w.Write(" bytes<br>from &lt;");
            w.WriteHtml(m.Envelope.Sender);
            w.Write("&gt;</td><td>");
            bool held = false;
            for (int r = 0; r < m.RecipientCount; r++)
            {
                RecipientStatus st = m.GetStatus(r);
                if (st.State == RecipientState.Held) held = true;
                string state = RecipientStatus.StateName(st.State);
                if (r > 0) w.Write("<br>");
                w.WriteHtml(m.Envelope.GetRecipient(r).Address);
                w.Write(" <span class=\"");
                w.Write(state);
                w.Write("\">");
                w.Write(state);
                w.Write("</span>");
                if (QueueListing.Waits(st))
                {
                    w.Write(", next attempt in ");
                    Age(w, st.NextAttemptUtc - now);
                }
                if (st.Text.Length > 0)
                {
                    w.Write("<br><small>");
                    w.WriteHtml(st.Code);
                    w.Write(" ");
                    w.WriteHtml(st.Text);
                    w.Write("</small>");
                }
            }
            w.Write("</td><td>");
            Action(w, s, "retry", m.QueueId, "", "Retry");
            if (held) Action(w, s, "release", m.QueueId, "", "Release");
            else Action(w, s, "hold", m.QueueId, "", "Hold");
            Action(w, s, "delete", m.QueueId, "yes", "Delete, bounce");
            Action(w, s, "delete", m.QueueId, "no", "Delete silently");
            w.Write("</td></tr>\n");
        }

        private static void Action(HttpResponseWriter w, AdminServer s, string action, string id, string bounce, string label)
        {
            w.Write("<form method=\"post\" action=\"/queue/");
            w.Write(action);
            w.Write("\"><input type=\"hidden\" name=\"token\" value=\"");
            w.Write(s.Token);
            w.Write("\">");
            if (id.Length > 0)
            {
                w.Write("<input type=\"hidden\" name=\"id\" value=\"");
                w.Write(id);
                w.Write("\">");
            }
            if (bounce.Length > 0)
            {
                w.Write("<input type=\"hidden\" name=\"bounce\" value=\"");
                w.Write(bounce);
                w.Write("\">");
            }
            w.Write("<button type=\"submit\" id=\"");
            w.Write(action);
            w.Write(bounce.Length > 0 ? "-" + bounce : "");
            w.Write(id.Length > 0 ? "-" + id : "-all");
            w.Write("\">");
            w.Write(label);
            w.Write("</button></form>");
        }

        private static void Row(HttpResponseWriter w, string name, string value)
        {
            w.Write("<tr><th>");
            w.Write(name);
            w.Write("</th><td>");
            w.WriteHtml(value);
            w.Write("</td></tr>");
        }

        private static void Count(HttpResponseWriter w, string name, int value)
        {
            w.Write("<tr><th>");
            w.Write(name);
            w.Write("</th><td>");
            w.WriteNumber(value);
            w.Write("</td></tr>");
        }

        /// <summary>A span as "3d 4h", "2h 5m", "7m 3s" or "12s" (negative spans as "0s").</summary>
        private static void Age(HttpResponseWriter w, TimeSpan t)
        {
            long sec = t.Ticks / TimeSpan.TicksPerSecond;
            if (sec < 0) sec = 0;
            long big;
            long small;
            string bu;
            string su;
            if (sec >= 86400) { big = sec / 86400; small = sec % 86400 / 3600; bu = "d "; su = "h"; }
            else if (sec >= 3600) { big = sec / 3600; small = sec % 3600 / 60; bu = "h "; su = "m"; }
            else if (sec >= 60) { big = sec / 60; small = sec % 60; bu = "m "; su = "s"; }
            else { w.WriteNumber(sec); w.Write("s"); return; }
            w.WriteNumber(big);
            w.Write(bu);
            w.WriteNumber(small);
            w.Write(su);
        }
    }
}
