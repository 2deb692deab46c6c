// `nmg queue list|flush|delete|hold|release [ID|ALL] --gateway URL`: the operator's queue
// commands against a running gateway, a board or `nmg run`, through its admin endpoint
// (README, "Admin endpoint"), in the words of Postfix:
//   list              the queue as the endpoint's /queue gives it (mailq's shape)
//   flush [ID|ALL]    deferred recipients due now, the runner woken (postqueue -f / -i ID)
//   delete ID         removed now (postsuper -d ID), or with --bounce after one report
//                     to the sender; one message at a time, never ALL
//   hold ID|ALL       delivery skips it until released (postsuper -h)
//   release ID|ALL    back in the queue, due at once (postsuper -H)
// What the gateway answers is printed; failures are one line on stderr with a sysexits
// code (AdminClient). Reading the queue of a stopped gateway's files is `nmg mailq`.

using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Admin;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The `queue` verb.</summary>
    public static class QueueCommand
    {
        /// <summary>Runs the verb with the arguments after its name; returns the exit code (sysexits.h).</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            return CommandLine.RunVerb(Create(stdout, stderr), args, stdout, stderr);
        }

        public static Command Create(TextWriter stdout, TextWriter stderr)
        {
            var action = new Argument<string>("ACTION") { Description = "list, flush, delete, hold or release" };
            action.AcceptOnlyFromAmong("list", "flush", "delete", "hold", "release");
            var id = new Argument<string?>("ID") { Description = "a queue id, or ALL (flush, hold, release)", Arity = ArgumentArity.ZeroOrOne };
            id.Validators.Add(r =>
            {
                // Not an id but an option nmg queue does not have (the parser takes it for ID).
                string? value = r.GetValueOrDefault<string?>();
                if (value != null && value.StartsWith('-')) r.AddError("unknown option '" + value + "'");
            });
            var bounce = new Option<bool>("--bounce") { Description = "delete: send the sender one report (default: remove silently, as postsuper -d)" };
            var gateway = new GatewayOptions();
            var verb = new CliVerb("queue", "list, flush, delete, hold or release queued mail on a running gateway",
                "Acts on the queue of a running gateway (a board or nmg run) through its admin endpoint:\n" +
                "list; flush [ID|ALL] (retry now); delete ID [--bounce]; hold ID|ALL; release ID|ALL.\n" +
                "The password comes from --password-file or $" + GatewayOptions.PasswordVariable + ", never from the command line.\n" +
                "Exit codes: 0 ok, 64 bad usage, 66 no such message, 69 gateway unreachable, 75 gateway busy,\n" +
                "76 unexpected answer, 77 password or client refused.")
            {
                action, id, bounce,
            };
            gateway.AddTo(verb);
            verb.SetAction(r =>
            {
                const string who = "nmg queue";
                string what = r.GetValue(action)!;
                string? target = r.GetValue(id);
                string? usage = Check(what, target, r.GetValue(bounce));
                if (usage != null)
                {
                    stderr.WriteLine(who + ": " + usage + " (see " + who + " --help)");
                    return ExitCodes.Usage;
                }
                AdminClient? client = gateway.Client(r, who, stderr, out int exit);
                if (client == null) return exit;
                AdminAnswer answer;
                if (what == "list") answer = client.Get("/queue");
                else
                {
                    var form = new List<KeyValuePair<string, string>>();
                    if (target != null && target != "ALL") form.Add(new KeyValuePair<string, string>("id", target));
                    if (what == "delete") form.Add(new KeyValuePair<string, string>("bounce", r.GetValue(bounce) ? "yes" : "no"));
                    answer = client.Post("/queue/" + (what == "flush" ? "retry" : what), form);
                }
                if (answer.ExitCode != ExitCodes.Ok)
                {
                    string subject = answer.ExitCode == ExitCodes.NoInput && target != null ? "no message " + target + " in the queue" : answer.Error;
                    stderr.WriteLine(who + ": " + subject);
                    return answer.ExitCode;
                }
                stdout.Write(answer.Body);
                return ExitCodes.Ok;
            });
            return verb;
        }

        /// <summary>What is wrong with the arguments, or null.</summary>
        private static string? Check(string action, string? id, bool bounce)
        {
            if (id != null && id != "ALL" && QueueId.Parse(id) < 0) return "bad queue id '" + id + "'";
            if (action == "list" && id != null) return "list takes no ID";
            if (action == "delete" && (id == null || id == "ALL")) return "delete needs one queue ID";
            if ((action == "hold" || action == "release") && id == null) return action + " needs a queue ID or ALL";
            if (bounce && action != "delete") return "--bounce goes with delete";
            return null;
        }
    }
}
