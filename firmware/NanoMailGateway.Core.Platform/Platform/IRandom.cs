// Randomness behind a seam. DNS query ids and source ports (RFC 5452 §9.2), retry
// jitter and generated passwords depend on it, so the host adapter uses the operating
// system's cryptographic generator; tests may pass a seeded one for repeatability.

namespace NanoMailGateway.Core.Platform
{
    /// <summary>Random source. Thread-safe.</summary>
    public interface IRandom
    {
        /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>).</summary>
        int Next(int maxExclusive);

        /// <summary>Fills the range with random bytes.</summary>
        void NextBytes(byte[] buffer, int offset, int count);
    }
}
