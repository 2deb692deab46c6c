// Tells a start after an unexpected stop from one after a clean stop (README, Notices): a
// small file in the store's directory, written when the gateway has started and deleted
// when it stops cleanly (the emulator on Ctrl-C or SIGTERM). Found at start, the previous
// run ended otherwise: SIGKILL, a crash, a power cut, a reset. The board has no clean stop
// (nanoFramework offers no reset cause either), so there every start but the first after
// a deployment reports one. The name is no queue segment's ("q" + hex + ".seg"), so
// recovery passes it by. It lives in Core.Admin, beside MailGateway rather than in it, because
// only the emulator and the board app use it: the self-test never loads this assembly, and
// every type in a loaded one costs heap on nanoCLR (ARCHITECTURE.md, Assemblies).
// Left out on purpose: counting restarts across boots (the file would have to grow).

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Core.Health
{
    /// <summary>The run marker file. Stateless; call from the thread that starts and stops the gateway.</summary>
    public static class RunMarker
    {
        /// <summary>The marker's file name in the store's directory.</summary>
        public const string FileName = "nmg.running";

        /// <summary>Writes the marker (durably). True when it was already there: the previous run did not stop cleanly.</summary>
        /// <exception cref="StorageException">the medium failed.</exception>
        public static bool Begin(IFileStore files)
        {
            string[] names = files.List();
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] == FileName) return true;
            }
            IStoredFile? f = files.Open(FileName, true);
            if (f == null) return false;
            try
            {
                // One octet: an empty file may not reach LittleFS's flash until it holds data.
                f.Append(new byte[] { (byte)'1' }, 0, 1);
                f.Sync();
            }
            finally
            {
                f.Close();
            }
            return false;
        }

        /// <summary>Deletes the marker: this run stopped cleanly.</summary>
        public static void End(IFileStore files)
        {
            files.Delete(FileName);
        }
    }
}
