// GET /metrics: the Prometheus text exposition format (version 0.0.4): for each metric a
// "# HELP" and a "# TYPE" line, then its samples; counters end in _total; every name
// starts with nmg_. Counters count since start (MailCounters); gauges are read from the
// queue, the pool and the board when the page is written. promtool check metrics accepts
// it (tests). Streamed like the status page: one buffer whatever the queue holds.
// Left out on purpose: histograms (no per-message timing is kept), labels per client or
// destination (unbounded).

using NanoMailGateway.Core.Gateway;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Writes /metrics.</summary>
    internal static class MetricsPage
    {
        /// <summary>The media type of the format (Prometheus exposition formats, text 0.0.4).</summary>
        public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

        public static void Write(HttpResponseWriter w, AdminServer s)
        {
            MailGateway g = s.Gateway;
            MessageStore q = g.Store;
            MailCounters c = s.Log.Counters;
            Metric(w, "nmg_messages_accepted_total", "counter", "Messages accepted with 250 after DATA since start.", c.Accepted);
            Metric(w, "nmg_recipients_delivered_total", "counter", "Recipient deliveries accepted by the next hop since start.", c.Delivered);
            Metric(w, "nmg_recipients_deferred_total", "counter", "Recipient attempts that failed temporarily since start.", c.Deferred);
            Metric(w, "nmg_recipients_bounced_total", "counter", "Recipients that failed for good since start.", c.Bounced);
            Head(w, "nmg_smtp_rejects_total", "counter", "Recipients or messages refused by the SMTP listener since start, by reason.");
            Sample(w, "nmg_smtp_rejects_total{reason=\"relay\"}", c.RejectedRelay);
            Sample(w, "nmg_smtp_rejects_total{reason=\"no_mailbox\"}", c.RejectedMailbox);
            Sample(w, "nmg_smtp_rejects_total{reason=\"mailbox_full\"}", c.RejectedFull);
            Sample(w, "nmg_smtp_rejects_total{reason=\"content\"}", c.RejectedContent);
            Metric(w, "nmg_connections_refused_busy_total", "counter", "Connections turned away for want of a session slot or buffers since start.", c.RefusedBusy);
            Metric(w, "nmg_smtp_sessions_total", "counter", "SMTP sessions accepted since start.", g.SmtpAccepted);
            Metric(w, "nmg_pop3_sessions_total", "counter", "POP3 sessions accepted since start.", g.Pop3Accepted);

            QueuedMessage[] all = q.GetMessages();
            int[] states = new int[(int)RecipientState.Held + 1];
            for (int i = 0; i < all.Length; i++)
            {
                for (int r = 0; r < all[i].RecipientCount; r++)
                {
                    int st = (int)all[i].GetStatus(r).State;
                    if (st >= 0 && st < states.Length) states[st]++;
                }
            }
            Metric(w, "nmg_queue_messages", "gauge", "Messages in the queue, mailbox messages included.", all.Length);
            Head(w, "nmg_queue_recipients", "gauge", "Recipients of queued messages, by state.");
            for (int st = 0; st < states.Length; st++)
            {
                w.Write("nmg_queue_recipients{state=\"");
                w.Write(RecipientStatus.StateName((RecipientState)st));
                w.Write("\"} ");
                w.WriteNumber(states[st]);
                w.Write("\n");
            }
            Metric(w, "nmg_queue_used_bytes", "gauge", "Flash the queue occupies, whole blocks.", q.UsedBytes);
            Metric(w, "nmg_queue_capacity_bytes", "gauge", "Flash the queue may use (storage_capacity).", q.Options.CapacityBytes);
            Metric(w, "nmg_queue_segments", "gauge", "Segment files of the queue.", q.SegmentCount);
            Metric(w, "nmg_buffers_in_use", "gauge", "Session buffers rented now.", g.Pool.InUse);
            Metric(w, "nmg_buffers", "gauge", "Session buffers in the pool.", g.Pool.Capacity);
            Metric(w, "nmg_uptime_seconds", "gauge", "Seconds since the gateway started.", s.Log.UptimeMs / 1000);
            long heap = s.FreeHeapBytes();
            if (heap >= 0) Metric(w, "nmg_heap_free_bytes", "gauge", "Free managed heap on the board.", heap);
        }

        private static void Metric(HttpResponseWriter w, string name, string type, string help, long value)
        {
            Head(w, name, type, help);
            Sample(w, name, value);
        }

        private static void Head(HttpResponseWriter w, string name, string type, string help)
        {
            w.Write("# HELP ");
            w.Write(name);
            w.Write(" ");
            w.Write(help);
            w.Write("\n# TYPE ");
            w.Write(name);
            w.Write(" ");
            w.Write(type);
            w.Write("\n");
        }

        private static void Sample(HttpResponseWriter w, string series, long value)
        {
            w.Write(series);
            w.Write(" ");
            w.WriteNumber(value);
            w.Write("\n");
        }
    }
}
