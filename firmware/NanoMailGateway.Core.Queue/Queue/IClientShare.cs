// Fair share of the queue per client address (README, Capacity): one noisy device may hold
// at most a configured part of the outbound queue, so a quiet device's alarm still finds
// room. A store that can tell implements this beside IMessageStore; the listener asks at
// MAIL when it does (stores for tests and benchmarks need not).

namespace NanoMailGateway.Core.Queue
{
    /// <summary>How much of the queue one client holds. Thread-safe.</summary>
    public interface IClientShare
    {
        /// <summary>
        /// True while the messages from <paramref name="clientAddress"/> (queued for delivery
        /// or being written) stay below <paramref name="percent"/> % of the listener's index
        /// entries and of its bytes: one more may start. False means 452 4.3.1 for this client.
        /// </summary>
        bool WithinShare(string clientAddress, int percent);
    }
}
