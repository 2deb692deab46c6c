// IRandom for the self-test and the tests: a fixed, cheap sequence so that runs repeat
// exactly; the seed picks another sequence. Never use it outside tests: DNS ids and
// ports must be unpredictable (RFC 5452 §9.2).

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Deterministic pseudo-random numbers (a linear congruential sequence). Thread-safe.</summary>
    public sealed class CountingRandom : IRandom
    {
        private readonly object _gate = new object();
        private uint _state;

        /// <summary>The sequence of seed 12345.</summary>
        public CountingRandom() : this(12345)
        {
        }

        /// <summary>The sequence that starts from <paramref name="seed"/>.</summary>
        public CountingRandom(int seed)
        {
            _state = (uint)seed;
        }

        /// <inheritdoc/>
        public int Next(int maxExclusive)
        {
            if (maxExclusive <= 0) return 0;
            lock (_gate)
            {
                _state = _state * 1103515245 + 12345;
                return (int)((_state >> 8) % (uint)maxExclusive);
            }
        }

        /// <inheritdoc/>
        public void NextBytes(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++) buffer[offset + i] = (byte)Next(256);
        }
    }
}
