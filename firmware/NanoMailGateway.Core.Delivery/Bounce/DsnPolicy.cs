// Whether a notification is sent at all (RFC 3461 §4.1 NOTIFY; RFC 5321 §4.5.5 and
// §6.1: never a notification about a message with the null reverse-path, or bounces
// would loop). A pure decision the scheduler calls per recipient.

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.Core.Bounce
{
    /// <summary>NOTIFY honouring. Stateless.</summary>
    public static class DsnPolicy
    {
        /// <summary>
        /// True when the sender of a message from <paramref name="envelopeSender"/> gets a
        /// report with <paramref name="action"/> for a recipient with <paramref name="notify"/>.
        /// Without NOTIFY the default is FAILURE (RFC 3461 §4.1), plus DELAY when
        /// <paramref name="delayByDefault"/> (the RFC leaves that to the MTA; we follow
        /// delay_warning being on).
        /// </summary>
        public static bool ShouldNotify(string envelopeSender, DsnNotify notify, DsnAction action, bool delayByDefault)
        {
            if (envelopeSender.Length == 0) return false;          // never bounce a bounce
            if ((notify & DsnNotify.Never) != 0) return false;
            if (notify == DsnNotify.Unspecified)
            {
                return action == DsnAction.Failed || (action == DsnAction.Delayed && delayByDefault);
            }
            switch (action)
            {
                case DsnAction.Failed: return (notify & DsnNotify.Failure) != 0;
                case DsnAction.Delayed: return (notify & DsnNotify.Delay) != 0;
                default: return (notify & DsnNotify.Success) != 0;  // delivered, relayed
            }
        }
    }
}
