// A Postfix relay of its own for the side-by-side bench: main.cf and master.cf in a temp
// directory (`postfix -c DIR start`), its own queue and data directories, smtpd on a free
// loopback port, everything relayed to relayhost = [127.0.0.1]:PORT. Nothing under
// /etc/postfix is touched and no chroot is used; Postfix fsyncs its queue files as it
// always does. Logs go to DIR/maillog (through postlogd). Stop deletes it all.

using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace NanoMailGateway.Bench
{
    internal sealed class ThrowawayPostfix : IDisposable
    {
        private readonly string _root;
        private readonly string _config;
        private bool _running;

        public ThrowawayPostfix(string root, int relayPort)
        {
            _root = root;
            _config = Path.Combine(root, "conf");
            string queue = Path.Combine(root, "queue");
            string data = Path.Combine(root, "data");
            Directory.CreateDirectory(_config);
            Directory.CreateDirectory(queue);
            Directory.CreateDirectory(data);
            // Postfix's daemons run as mail_owner and must reach the queue through every parent
            // (a temp directory is made 0700).
            foreach (string d in new[] { Path.GetDirectoryName(root)!, root, _config, queue })
                File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Run("chown", "postfix", data);
            Port = BenchKit.FreePort();
            File.WriteAllText(Path.Combine(_config, "main.cf"),
                "compatibility_level = 3.6\n"
                + "queue_directory = " + queue + "\n"
                + "data_directory = " + data + "\n"
                + "meta_directory = " + _config + "\n"
                + "command_directory = /usr/sbin\n"
                + "daemon_directory = /usr/lib/postfix/sbin\n"
                + "shlib_directory = /usr/lib/postfix\n"
                + "mail_owner = postfix\n"
                + "setgid_group = postdrop\n"
                + "myhostname = postfix.bench.example\n"
                + "mydestination =\n"
                + "inet_interfaces = 127.0.0.1\n"
                + "inet_protocols = ipv4\n"
                + "mynetworks = 127.0.0.0/8\n"
                + "relayhost = [127.0.0.1]:" + relayPort + "\n"
                + "message_size_limit = 4194304\n"
                + "alias_maps =\n"
                + "alias_database =\n"
                + "maillog_file = " + Path.Combine(root, "maillog") + "\n"
                + "maillog_file_prefixes = " + root + "\n");
            // Debian's master.cf services, without chroot, and smtpd on our port only.
            File.WriteAllText(Path.Combine(_config, "master.cf"),
                "127.0.0.1:" + Port + " inet n - n - - smtpd\n"
                + "pickup unix n - n 60 1 pickup\n"
                + "cleanup unix n - n - 0 cleanup\n"
                + "qmgr unix n - n 300 1 qmgr\n"
                + "tlsmgr unix - - n 1000? 1 tlsmgr\n"
                + "rewrite unix - - n - - trivial-rewrite\n"
                + "bounce unix - - n - 0 bounce\n"
                + "defer unix - - n - 0 bounce\n"
                + "trace unix - - n - 0 bounce\n"
                + "verify unix - - n - 1 verify\n"
                + "flush unix n - n 1000? 0 flush\n"
                + "proxymap unix - - n - - proxymap\n"
                + "smtp unix - - n - - smtp\n"
                + "relay unix - - n - - smtp\n"
                + "showq unix n - n - - showq\n"
                + "error unix - - n - - error\n"
                + "retry unix - - n - - error\n"
                + "discard unix - - n - - discard\n"
                + "anvil unix - - n - 1 anvil\n"
                + "scache unix - - n - 1 scache\n"
                + "postlog unix-dgram n - n - 1 postlogd\n");
            foreach (string f in new[] { "postfix-files", "dynamicmaps.cf" })
            {
                if (File.Exists("/etc/postfix/" + f)) File.Copy("/etc/postfix/" + f, Path.Combine(_config, f));
            }
            try
            {
                Run("/usr/sbin/postfix", "-c", _config, "start");
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(e.Message + "\n" + Log, e);
            }
            _running = true;
            try
            {
                for (int i = 0; i < 200 && MasterPid == 0; i++)
                {
                    if (FindMaster(queue) is int pid) MasterPid = pid;
                    else Thread.Sleep(25);
                }
                if (MasterPid == 0) throw new InvalidOperationException("postfix master not found: " + Log);
                BenchKit.WaitForPort(Port, "postfix smtpd");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        // The master's pid file is locked while it runs (and .NET will not read a locked file):
        // find the master as the process named master whose working directory is our queue.
        private static int? FindMaster(string queue)
        {
            foreach (string dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "master" && new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget == queue) return pid;
                }
                catch (IOException)
                {
                    // gone meanwhile
                }
                catch (UnauthorizedAccessException)
                {
                    // not ours
                }
            }
            return null;
        }

        /// <summary>smtpd's port on 127.0.0.1.</summary>
        public int Port { get; }

        /// <summary>The master's pid, which is also the session id of every Postfix daemon it started.</summary>
        public int MasterPid { get; private set; }

        /// <summary>CPU milliseconds of the master and all its daemons so far.</summary>
        public double CpuMs => ProcessCpu.OfSession(MasterPid);

        public string Log
        {
            get
            {
                string f = Path.Combine(_root, "maillog");
                return File.Exists(f) ? File.ReadAllText(f) : "(no maillog)";
            }
        }

        private static void Run(string program, params string[] args)
        {
            var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException(program + " " + string.Join(" ", args) + " exited " + p.ExitCode + ": " + output);
        }

        public void Dispose()
        {
            if (_running)
            {
                _running = false;
                try
                {
                    Run("/usr/sbin/postfix", "-c", _config, "stop");
                }
                catch (InvalidOperationException)
                {
                    Run("/usr/sbin/postfix", "-c", _config, "abort");
                }
                for (int i = 0; i < 200 && MasterPid != 0 && Directory.Exists("/proc/" + MasterPid); i++) Thread.Sleep(25);
            }
        }
    }
}
