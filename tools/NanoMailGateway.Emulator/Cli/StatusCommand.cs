// `nmg status --gateway URL`: a running gateway's health in a few lines for a terminal,
// read from its /metrics (README, "Admin endpoint"): the same numbers Prometheus scrapes,
// so what the operator reads and what the monitoring alerts on never disagree.
//   gateway    http://192.168.10.5:8025/, up 3h 12m, heap free 41,236 bytes
//   queue      4 messages, 52 KB of 192 KB flash (27 %), 5 segments
//   recipients 2 deferred, 1 held, 3 in mailboxes
//   since start 120 accepted, 117 delivered, 5 deferred, 1 bounced
//   refused    2 relay, 0 no mailbox, 0 mailbox full, 0 content, 0 busy
//   sessions   41 SMTP, 6 POP3; buffers 2 of 8 in use
// A metric the gateway does not send (heap on the emulator) is left out of its line.

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using NanoMailGateway.Emulator.Admin;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The `status` verb.</summary>
    public static class StatusCommand
    {
        /// <summary>Runs the verb with the arguments after its name; returns the exit code (sysexits.h).</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            return CommandLine.RunVerb(Create(stdout, stderr), args, stdout, stderr);
        }

        public static Command Create(TextWriter stdout, TextWriter stderr)
        {
            var gateway = new GatewayOptions();
            var verb = new CliVerb("status", "show a running gateway's uptime, queue, counters and sessions",
                "Prints the health of a running gateway (a board or nmg run) from its admin endpoint's /metrics.\n" +
                "The password comes from --password-file or $" + GatewayOptions.PasswordVariable + ", never from the command line.\n" +
                "Exit codes: 0 ok, 64 bad usage, 69 gateway unreachable, 75 gateway busy, 76 unexpected answer,\n" +
                "77 password or client refused.");
            gateway.AddTo(verb);
            verb.SetAction(r =>
            {
                const string who = "nmg status";
                AdminClient? client = gateway.Client(r, who, stderr, out int exit);
                if (client == null) return exit;
                AdminAnswer answer = client.Get("/metrics");
                if (answer.ExitCode != ExitCodes.Ok)
                {
                    stderr.WriteLine(who + ": " + answer.Error);
                    return answer.ExitCode;
                }
                Dictionary<string, long>? m = Parse(answer.Body);
                if (m == null || !m.ContainsKey("nmg_uptime_seconds"))
                {
                    stderr.WriteLine(who + ": the answer is not the gateway's metrics");
                    return ExitCodes.Protocol;
                }
                stdout.Write(Format(m, client.Gateway.ToString()));
                return ExitCodes.Ok;
            });
            return verb;
        }

        /// <summary>The samples of a text exposition (name with labels → value), or null when a line is not one.</summary>
        internal static Dictionary<string, long>? Parse(string text)
        {
            var samples = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string raw in text.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.Length == 0 || line[0] == '#') continue;
                int space = line.LastIndexOf(' ');
                if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) return null;
                samples[line.Substring(0, space)] = v;
            }
            return samples;
        }

        /// <summary>The lines of the summary.</summary>
        internal static string Format(Dictionary<string, long> m, string gateway)
        {
            long Get(string name) => m.TryGetValue(name, out long v) ? v : 0;
            var o = new StringBuilder();
            o.Append("gateway     ").Append(gateway).Append(", up ").Append(Duration(Get("nmg_uptime_seconds")));
            if (m.TryGetValue("nmg_heap_free_bytes", out long heap)) o.Append(", heap free ").Append(N(heap)).Append(" bytes");
            o.Append('\n');
            long used = Get("nmg_queue_used_bytes");
            long capacity = Get("nmg_queue_capacity_bytes");
            o.Append("queue       ").Append(N(Get("nmg_queue_messages"))).Append(" messages, ")
                .Append(N((used + 1023) / 1024)).Append(" KB of ").Append(N(capacity / 1024)).Append(" KB flash (")
                .Append(capacity > 0 ? (used * 100 / capacity).ToString(CultureInfo.InvariantCulture) : "0").Append(" %), ")
                .Append(N(Get("nmg_queue_segments"))).Append(" segments\n");
            var states = new List<string>();
            foreach (KeyValuePair<string, long> s in m)
            {
                const string prefix = "nmg_queue_recipients{state=\"";
                if (!s.Key.StartsWith(prefix, StringComparison.Ordinal) || s.Value == 0) continue;
                string state = s.Key.Substring(prefix.Length, s.Key.Length - prefix.Length - 2);
                states.Add(N(s.Value) + " " + (state == "mailbox" ? "in mailboxes" : state));
            }
            o.Append("recipients  ").Append(states.Count == 0 ? "none" : string.Join(", ", states)).Append('\n');
            o.Append("since start ").Append(N(Get("nmg_messages_accepted_total"))).Append(" accepted, ")
                .Append(N(Get("nmg_recipients_delivered_total"))).Append(" delivered, ")
                .Append(N(Get("nmg_recipients_deferred_total"))).Append(" deferred, ")
                .Append(N(Get("nmg_recipients_bounced_total"))).Append(" bounced\n");
            o.Append("refused     ").Append(N(Get("nmg_smtp_rejects_total{reason=\"relay\"}"))).Append(" relay, ")
                .Append(N(Get("nmg_smtp_rejects_total{reason=\"no_mailbox\"}"))).Append(" no mailbox, ")
                .Append(N(Get("nmg_smtp_rejects_total{reason=\"mailbox_full\"}"))).Append(" mailbox full, ")
                .Append(N(Get("nmg_smtp_rejects_total{reason=\"content\"}"))).Append(" content, ")
                .Append(N(Get("nmg_connections_refused_busy_total"))).Append(" busy\n");
            o.Append("sessions    ").Append(N(Get("nmg_smtp_sessions_total"))).Append(" SMTP, ")
                .Append(N(Get("nmg_pop3_sessions_total"))).Append(" POP3; buffers ")
                .Append(N(Get("nmg_buffers_in_use"))).Append(" of ").Append(N(Get("nmg_buffers"))).Append(" in use\n");
            return o.ToString();
        }

        private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

        private static string Duration(long seconds)
        {
            if (seconds < 60) return seconds.ToString(CultureInfo.InvariantCulture) + "s";
            long minutes = seconds / 60;
            if (minutes < 60) return minutes.ToString(CultureInfo.InvariantCulture) + "m";
            long hours = minutes / 60;
            if (hours < 48) return hours.ToString(CultureInfo.InvariantCulture) + "h " + (minutes % 60).ToString("00", CultureInfo.InvariantCulture) + "m";
            return (hours / 24).ToString(CultureInfo.InvariantCulture) + "d " + (hours % 24).ToString(CultureInfo.InvariantCulture) + "h";
        }
    }
}
