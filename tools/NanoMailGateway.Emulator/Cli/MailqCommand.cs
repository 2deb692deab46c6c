// nmg mailq: lists the flash queue like Postfix's `postqueue -p` (mailq). It opens the
// data directory read-only (HostFileStore read-only + MessageStore.OpenReadOnly), so it
// works on the files of a stopped gateway and beside a running one without disturbing
// it: nothing is created, appended or deleted, and a record being written is just an
// incomplete tail to it. The queue's segment files (q*.seg) sit at the top of the data
// directory, as on the board's flat LittleFS drive.
//
// Output (times in UTC, Postfix's ctime-like format):
//   -Queue ID- --Size-- ----Arrival Time---- -Sender/Recipient-------
//   0000002k       1234 Sat Nov 28 12:00:00  alarm@sensor.lan
//   (deferred, 2 attempts, next Sat Nov 28 12:30:00: 4.4.1 connection timed out)
//                                            ops@example.com
//
//   -- 2 Kbytes in 1 Request.
// A recipient still Queued has no status line; a null sender shows as MAILER-DAEMON; a
// message the operator holds has '!' after its id (Postfix's mark). Mail whose only
// recipients left are in local mailboxes waits for POP3 or IMAP, not for delivery: it is
// listed after the queue under its own heading with its own total, so the queue's count
// is what is still to be delivered.
// Exit codes: 0 ok, 64 usage, 66 data directory missing, 74 the files cannot be read.

using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Emulator.Host;

namespace NanoMailGateway.Emulator.Cli
{
    /// <summary>The `nmg mailq` verb.</summary>
    public static class MailqCommand
    {
        /// <summary>Runs the verb with the arguments after its name; returns the exit code (sysexits.h).</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
        {
            return CommandLine.RunVerb(Create(stdout, stderr), args, stdout, stderr);
        }

        public static Command Create(TextWriter stdout, TextWriter stderr)
        {
            Option<string> data = CommandLine.Value("--data", "DIR", "the data directory (default: ./" + RunCommand.DefaultDataDir + ")");
            var verb = new CliVerb("mailq", "list the mail queue of a stopped or running gateway (postqueue -p)",
                "Lists the mail queue in DIR read-only, like postqueue -p; mail kept in local mailboxes is listed after it, apart.\n" +
                "Exit codes: 0 ok, 64 bad usage, 66 data directory missing, 74 queue files unreadable.")
            {
                data,
            };
            verb.SetAction(r => List(r.GetValue(data) ?? RunCommand.DefaultDataDir, stdout, stderr));
            return verb;
        }

        private static int List(string dir, TextWriter stdout, TextWriter stderr)
        {
            if (!Directory.Exists(dir))
            {
                stderr.WriteLine("nmg mailq: data directory " + dir + " does not exist");
                return ExitCodes.NoInput;
            }
            QueuedMessage[] messages;
            try
            {
                messages = Load(dir);
            }
            catch (StorageException e)
            {
                stderr.WriteLine("nmg mailq: cannot read the queue in " + dir + ": " + e.Message);
                return ExitCodes.IoErr;
            }
            Print(messages, stdout);
            return ExitCodes.Ok;
        }

        /// <summary>Recovers the index read-only; retries when a running gateway deletes a segment under it.</summary>
        private static QueuedMessage[] Load(string dir)
        {
            var clock = new SystemClock();
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    MessageStore store = MessageStore.OpenReadOnly(new HostFileStore(dir, true), clock);
                    QueuedMessage[] list = store.GetMessages();
                    store.Close();
                    return list;
                }
                catch (StorageException) when (attempt < 3)
                {
                    // Compaction in the running gateway removed a file between list and read.
                }
            }
        }

        /// <summary>Writes the listing in postqueue -p form, mail kept in local mailboxes apart.</summary>
        public static void Print(QueuedMessage[] messages, TextWriter o)
        {
            var queued = new System.Collections.Generic.List<QueuedMessage>();
            var filed = new System.Collections.Generic.List<QueuedMessage>();
            foreach (QueuedMessage m in messages) (InMailboxOnly(m) ? filed : queued).Add(m);
            if (queued.Count == 0) o.WriteLine("Mail queue is empty");
            else
            {
                long kbytes = Block(queued, o);
                o.WriteLine("-- " + kbytes + " Kbytes in " + queued.Count + (queued.Count == 1 ? " Request." : " Requests."));
            }
            if (filed.Count == 0) return;
            o.WriteLine();
            o.WriteLine("Mail in local mailboxes (read with POP3 or IMAP; nothing left to deliver):");
            long kb = Block(filed, o);
            o.WriteLine("-- " + kb + " Kbytes in " + filed.Count + (filed.Count == 1 ? " message" : " messages") + " in mailboxes.");
        }

        /// <summary>True when every recipient still on the gateway is in a local mailbox: the message waits for its reader, not for delivery.</summary>
        private static bool InMailboxOnly(QueuedMessage m)
        {
            bool any = false;
            for (int i = 0; i < m.RecipientCount; i++)
            {
                RecipientStatus s = m.GetStatus(i);
                if (s.State == RecipientState.InMailbox) any = true;
                else if (!s.IsFinal) return false;
            }
            return any;
        }

        // One block per message; a held message has '!' after its id, as in Postfix's mailq.
        private static long Block(System.Collections.Generic.List<QueuedMessage> messages, TextWriter o)
        {
            o.WriteLine("-Queue ID- --Size-- ----Arrival Time---- -Sender/Recipient-------");
            long total = 0;
            foreach (QueuedMessage m in messages)
            {
                total += m.Size;
                string sender = m.Envelope.Sender.Length == 0 ? "MAILER-DAEMON" : m.Envelope.Sender;
                string id = m.QueueId;
                for (int i = 0; i < m.RecipientCount; i++) if (m.GetStatus(i).State == RecipientState.Held) { id += "!"; break; }
                o.WriteLine(id.PadRight(10) + " " + m.Size.ToString(CultureInfo.InvariantCulture).PadLeft(8) + " " + Time(m.ArrivalUtc) + "  " + sender);
                for (int i = 0; i < m.RecipientCount; i++)
                {
                    RecipientStatus s = m.GetStatus(i);
                    if (s.State != RecipientState.Queued) o.WriteLine("(" + Describe(s) + ")");
                    o.WriteLine(new string(' ', 41) + m.Envelope.GetRecipient(i).Address);
                }
                o.WriteLine();
            }
            return (total + 1023) / 1024;
        }

        private static string Describe(RecipientStatus s)
        {
            string d = RecipientStatus.StateName(s.State);
            if (s.Attempts > 0) d += ", " + s.Attempts + (s.Attempts == 1 ? " attempt" : " attempts");
            if (s.State == RecipientState.Deferred) d += ", next " + Time(s.NextAttemptUtc);
            if (s.Mailbox.Length > 0) d += ", mailbox " + s.Mailbox + (s.Uid != 0 ? " uid " + s.Uid : "");
            string why = (s.Code + " " + s.Text).Trim();
            if (why.Length > 0) d += ": " + why;
            return d;
        }

        /// <summary>"Sat Nov 28 12:00:00" (ctime without the year, day padded with a space, UTC).</summary>
        private static string Time(DateTime t)
        {
            return t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
                + t.ToString(" HH:mm:ss", CultureInfo.InvariantCulture);
        }
    }
}
