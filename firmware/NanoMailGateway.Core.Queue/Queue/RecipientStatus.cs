// The latest committed status of one recipient, as kept in the RAM index and written in
// Status records. Immutable: a change is a new object and a new record (never a rewrite).

using System;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Status of one recipient. Immutable and thread-safe.</summary>
    public sealed class RecipientStatus
    {
        /// <summary>The status every recipient starts with.</summary>
        public static readonly RecipientStatus Initial = new RecipientStatus(RecipientState.Queued, 0, DateTime.MinValue, "", "", "", 0);

        /// <summary>Creates a status.</summary>
        /// <param name="state">The state.</param>
        /// <param name="attempts">Delivery attempts made so far.</param>
        /// <param name="nextAttemptUtc">When a Deferred recipient is due again (wall clock, UTC).</param>
        /// <param name="code">RFC 3463 enhanced status code of the last result ("4.4.1"), or "".</param>
        /// <param name="text">Last reply or error text (the store cuts it to MessageStore.MaxStatusText), or "".</param>
        /// <param name="mailbox">Local mailbox name for InMailbox/Expunged, or "".</param>
        /// <param name="uid">Mailbox UID (unique for the life of the store), or 0.</param>
        public RecipientStatus(RecipientState state, int attempts, DateTime nextAttemptUtc, string code, string text, string mailbox, long uid)
        {
            State = state;
            Attempts = attempts;
            NextAttemptUtc = nextAttemptUtc;
            Code = code;
            Text = text;
            Mailbox = mailbox;
            Uid = uid;
        }

        /// <summary>The state.</summary>
        public RecipientState State { get; }

        /// <summary>Attempts made so far.</summary>
        public int Attempts { get; }

        /// <summary>Next attempt for Deferred, or when the report of a Bouncing recipient is tried (UTC); DateTime.MinValue otherwise.</summary>
        public DateTime NextAttemptUtc { get; }

        /// <summary>RFC 3463 code of the last result, or "".</summary>
        public string Code { get; }

        /// <summary>Last reply or error text, or "".</summary>
        public string Text { get; }

        /// <summary>Mailbox name, or "".</summary>
        public string Mailbox { get; }

        /// <summary>Mailbox UID, or 0.</summary>
        public long Uid { get; }

        /// <summary>
        /// IMAP \Seen of a message in a mailbox (RFC 9051 §2.3.2), kept in the top bits of
        /// <see cref="Attempts"/>: once a message is filed its delivery attempts are history,
        /// and a 16-bit count never reaches 0x4000 (retries are at least 30 minutes apart
        /// over a lifetime of days), so the Status record keeps its format and a flag change
        /// is one ordinary Status record with its own CRC (README, IMAP mailboxes).
        /// </summary>
        public const int FlagSeen = 0x4000;

        /// <summary>IMAP \Deleted of a message in a mailbox; see <see cref="FlagSeen"/>.</summary>
        public const int FlagDeleted = 0x8000;

        /// <summary>The IMAP flag bits (<see cref="FlagSeen"/>, <see cref="FlagDeleted"/>) of an InMailbox recipient, else 0.</summary>
        public int MailboxFlags => State == RecipientState.InMailbox ? Attempts & (FlagSeen | FlagDeleted) : 0;

        /// <summary>True for Delivered, Failed and Expunged: nothing more will happen to this recipient.</summary>
        public bool IsFinal => State == RecipientState.Delivered || State == RecipientState.Failed || State == RecipientState.Expunged;

        /// <summary>True when delivery should try this recipient at <paramref name="nowUtc"/> (never for Bouncing: it failed for good).</summary>
        public bool IsDue(DateTime nowUtc)
        {
            return State == RecipientState.Queued || (State == RecipientState.Deferred && NextAttemptUtc <= nowUtc);
        }

        /// <summary>Lower-case state name for logs and mailq (never enum.ToString(), which prints a number on the device).</summary>
        public static string StateName(RecipientState state)
        {
            switch (state)
            {
                case RecipientState.Queued: return "queued";
                case RecipientState.Deferred: return "deferred";
                case RecipientState.Delivered: return "delivered";
                case RecipientState.Failed: return "failed";
                case RecipientState.InMailbox: return "mailbox";
                case RecipientState.Expunged: return "expunged";
                case RecipientState.Bouncing: return "bouncing";
                case RecipientState.Held: return "held";
                default: return "unknown";
            }
        }
    }
}
