// An example of code on the board sending its own alert through the gateway (README,
// Notices): it watches one input (here the free managed heap, read through BoardHealth;
// a sensor on a GPIO pin would be read the same way) and, when the value falls below a
// threshold, submits one message to notify_to with the gateway's LocalSubmission
// (MailGateway.Delivery.Submission). It re-arms only
// when the value has risen a quarter above the threshold again, so a value that hovers at
// the threshold sends one alert, not one a minute (the same idea as CapacityWatch's episodes).
// The message is composed and queued in-process (LocalSubmission: from <>, Auto-Submitted:
// auto-generated); no SMTP connection, no socket, no buffer from the session pool.
// Off by default: Program.Watch makes one only when its line there is uncommented.
// Left out on purpose: anything board-specific beyond BoardHealth (pins differ per board).

using NanoMailGateway.Board.Device;
using NanoMailGateway.Core.Delivery;
using NanoMailGateway.Core.Gateway;

namespace NanoMailGateway.Board.Examples
{
    /// <summary>Mails notify_to when the free heap falls below a threshold. Call Check from one thread.</summary>
    public sealed class LowHeapAlert
    {
        /// <summary>A threshold that leaves room for one more session on the esp32-c3 (README, Supported boards).</summary>
        public const uint DefaultThresholdBytes = 4 * 1024;

        private readonly MailGateway _gateway;
        private readonly uint _threshold;
        private bool _armed = true;

        public LowHeapAlert(MailGateway gateway, uint thresholdBytes)
        {
            _gateway = gateway;
            _threshold = thresholdBytes;
        }

        /// <summary>Reads the input once; submits the alert on a fall below the threshold. True when one was queued.</summary>
        public bool Check()
        {
            uint free = BoardHealth.FreeHeap();
            if (free > _threshold + _threshold / 4) _armed = true;
            if (!_armed || free >= _threshold) return false;
            DeliveryAgent? delivery = _gateway.Delivery;
            if (delivery == null) return false;
            _armed = false;
            // Submit logs and returns false when the queue is full; the next fall tries again.
            return delivery.Submission.Submit("Low memory on " + _gateway.Config.Hostname,
                "The gateway " + _gateway.Config.Hostname + " has " + free.ToString() + " bytes of heap free, below "
                + _threshold.ToString() + ".\r\nSessions beyond the free heap are refused busy (421 4.3.2).");
        }
    }
}
