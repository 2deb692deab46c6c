// One queued message inside one delivery batch: which of its recipients are due now,
// and what the batch decided for each, so that the batch ends with one flush, one
// RFC 3464 report listing every recipient to report (RFC 3464 §2: one report may
// cover several recipients) and the removal when every recipient is final.

using System.Collections;
using NanoMailGateway.Core.Bounce;
using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Batch state of one message. Used by one delivery thread.</summary>
    internal sealed class MessageWork
    {
        public MessageWork(QueuedMessage message, int[] due)
        {
            Message = message;
            Due = due;
        }

        /// <summary>The message.</summary>
        public QueuedMessage Message { get; }

        /// <summary>Indexes of the recipients due in this batch.</summary>
        public int[] Due { get; }

        /// <summary>DsnRecipient entries to report to the sender at the end of the batch.</summary>
        public ArrayList Reports { get; } = new ArrayList();

        /// <summary>True when a status was buffered and not yet flushed.</summary>
        public bool Dirty { get; set; }

        /// <summary>The entries as an array for the composer.</summary>
        public DsnRecipient[] ReportArray()
        {
            DsnRecipient[] a = new DsnRecipient[Reports.Count];
            Reports.CopyTo(a);
            return a;
        }
    }
}
