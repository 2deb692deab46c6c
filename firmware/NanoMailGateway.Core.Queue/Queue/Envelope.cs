// The SMTP envelope of one message (RFC 5321 §2.3.1): what the listener accepted and
// what delivery must honour. The queue stores it with the message data.
// Bounded: at most max_recipients recipients (board profile), strings within the
// RFC 5321 §4.5.3.1 size limits (checked by the listener before they get here).

using System;
using System.Collections;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>An envelope being built by a listener session, then queued. Not thread-safe.</summary>
    public sealed class Envelope
    {
        private readonly ArrayList _recipients = new ArrayList();

        /// <summary>Creates an envelope for the reverse-path <paramref name="sender"/> ("" for the null path &lt;&gt;).</summary>
        public Envelope(string sender)
        {
            Sender = sender;
        }

        /// <summary>The reverse-path without brackets; "" is the null reverse-path (bounces).</summary>
        public string Sender { get; }

        /// <summary>RFC 3461 ENVID (xtext decoded), or null.</summary>
        public string? EnvelopeId { get; set; }

        /// <summary>RFC 3461 RET.</summary>
        public DsnReturn Return { get; set; }

        /// <summary>RFC 6152 BODY=8BITMIME was declared.</summary>
        public bool EightBitMime { get; set; }

        /// <summary>RFC 1870 SIZE= declared by the client, or 0.</summary>
        public long DeclaredSize { get; set; }

        /// <summary>IP address of the client that handed the message over ("" for locally generated mail).</summary>
        public string ClientAddress { get; set; } = "";

        /// <summary>The EHLO/HELO name the client gave.</summary>
        public string ClientHelo { get; set; } = "";

        /// <summary>The SMTP AUTH identity, or null when the client did not authenticate.</summary>
        public string? AuthenticatedUser { get; set; }

        /// <summary>When the queue accepted the message (set by the queue at commit).</summary>
        public DateTime ArrivalUtc { get; set; }

        /// <summary>Number of recipients.</summary>
        public int RecipientCount => _recipients.Count;

        /// <summary>The recipient at <paramref name="index"/> (0-based, in RCPT order).</summary>
        public EnvelopeRecipient GetRecipient(int index)
        {
            return (EnvelopeRecipient)_recipients[index]!;
        }

        /// <summary>Adds a recipient; the caller enforces max_recipients.</summary>
        public void AddRecipient(EnvelopeRecipient recipient)
        {
            _recipients.Add(recipient);
        }

        /// <summary>True when <paramref name="address"/> is already a recipient (compared exactly).</summary>
        public bool HasRecipient(string address)
        {
            for (int i = 0; i < _recipients.Count; i++)
            {
                if (((EnvelopeRecipient)_recipients[i]!).Address == address) return true;
            }
            return false;
        }
    }
}
