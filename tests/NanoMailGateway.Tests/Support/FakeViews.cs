// Host-side views of the shared fakes (the self-test's Support, compiled for the device):
// arrays and text for xunit's asserts, and waits for tests whose peers run on their own
// threads. Only views live here; a fake's behaviour goes into the self-test's Support
// (README, Contributing).

using System;
using System.Diagnostics;
using System.Threading;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.SelfTest;

namespace NanoMailGateway.Tests.Support
{
    /// <summary>One committed message of a <see cref="TinyMessageStore"/>, copied out.</summary>
    public sealed class StoredMessage
    {
        public StoredMessage(string queueId, Envelope envelope, byte[] data)
        {
            QueueId = queueId;
            Envelope = envelope;
            Data = data;
        }

        public string QueueId { get; }
        public Envelope Envelope { get; }
        public byte[] Data { get; }

        /// <summary>The data as Latin-1 text (one char per byte).</summary>
        public string Text => System.Text.Encoding.Latin1.GetString(Data);

        /// <summary>The data after our Received: field (which always comes first, three lines).</summary>
        public string TextAfterReceived
        {
            get
            {
                string t = Text;
                int i = t.IndexOf("\r\n", StringComparison.Ordinal);
                i = t.IndexOf("\r\n", i + 2, StringComparison.Ordinal);
                i = t.IndexOf("\r\n", i + 2, StringComparison.Ordinal);
                return t.Substring(i + 2);
            }
        }
    }

    public static class FakeViews
    {
        /// <summary>The committed messages, in commit order.</summary>
        public static StoredMessage[] Committed(this TinyMessageStore store)
        {
            var all = new StoredMessage[store.Count];
            for (int i = 0; i < all.Length; i++) all[i] = new StoredMessage(store.QueueIdOf(i), store.EnvelopeOf(i), store.DataOf(i));
            return all;
        }

        /// <summary>Waits until <paramref name="count"/> messages are committed (interop tests: the 250 may race the check).</summary>
        public static bool WaitFor(this TinyMessageStore store, int count, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (store.Count < count && sw.Elapsed < timeout) Thread.Sleep(10);
            return store.Count >= count;
        }

        /// <summary>Unique ids of the messages now in <paramref name="mailbox"/>.</summary>
        public static string[] Uids(this TinyMaildropStore store, string mailbox)
        {
            var all = new string[store.CountOf(mailbox)];
            for (int i = 0; i < all.Length; i++) all[i] = store.UidOf(mailbox, i);
            return all;
        }

        /// <summary>Octets of the messages now in <paramref name="mailbox"/>.</summary>
        public static byte[][] Messages(this TinyMaildropStore store, string mailbox)
        {
            var all = new byte[store.CountOf(mailbox)][];
            for (int i = 0; i < all.Length; i++) all[i] = store.MessageOf(mailbox, i);
            return all;
        }
    }
}
